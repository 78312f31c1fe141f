/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdp_fixture.h"

#include <string.h>

#include "tdshim/tdhob_wire.h"

static const tdhob_e820_entry fx_map[] = {
    {0x0, 0x100000, 1},        /* low RAM */
    {0x100000, 0xA0000, 2},    /* shim image, tables, stacks */
    {0x1A0000, 0x32000, 4},    /* event log 192 KiB + mailbox + blob pages */
    {0x1D2000, 0xE000, 2},     /* */
    {0x1E0000, 0x10000, 3},    /* ACPI area: payload HOB, MADT, CCEL */
    {0x1F0000, 0x610000, 2},   /* rest of the shim, AP stacks */
    {0x800000, 0x800000, 1},   /* TD_HOB section and RAM */
    {0x1000000, 0x200000, 2},  /* payload region */
    {0x1200000, 0x6E00000, 1}, /* RAM */
    {0x8000000, 0x8000000, 8}, /* unaccepted */
};

void fx_default(struct fx_spec *s)
{
    memset(s, 0, sizeof *s);
    s->n = sizeof fx_map / sizeof fx_map[0];
    memcpy(s->e820, fx_map, sizeof fx_map);
    s->nres = s->n;
    memcpy(s->res, fx_map, sizeof fx_map);
    s->fv_base = FX_PAYLOAD_BASE;
    s->fv_len = 0x200000;
    s->info.image_type = TDHOB_PAYLOAD_EXECUTABLE;
    s->info.entry_point = FX_ENTRY;
    s->cpu_bits = 48;
}

static uint32_t res_type(uint32_t e820_type)
{
    switch (e820_type) {
    case 1: return TDHOB_RES_SYSTEM_MEMORY;
    case 8: return TDHOB_RES_MEMORY_UNACCEPTED;
    default: return TDHOB_RES_MEMORY_RESERVED;
    }
}

tds_status fx_build(const struct fx_spec *s, uint8_t *buf, size_t cap, tds_bytes *out)
{
    tdhob_builder b;
    const tdhob_phit_params phit = {TDHOB_BOOT_WITH_FULL_CONFIGURATION, FX_HOB_GPA + 0x10000,
                                    FX_HOB_GPA, FX_HOB_GPA + 0x10000, FX_HOB_GPA + 0x8000};
    TDS_TRY(tdhob_builder_init(&b, tds_mut_bytes_make(buf, cap), FX_HOB_GPA, 48, &phit));
    TDS_TRY(tdhob_add_cpu(&b, s->cpu_bits, 16));
    /* A PCI hole: MMIO, which the E820 leaves out. */
    const tdhob_resource mmio = {.type = TDHOB_RES_MEMORY_MAPPED_IO,
                                 .attribute = 0,
                                 .start = 0xE0000000,
                                 .length = 0x10000000};
    TDS_TRY(tdhob_add_resource(&b, &mmio));
    for (size_t i = 0; i < s->nres; i++) {
        const tdhob_resource r = {.type = res_type(s->res[i].type),
                                  .attribute = 0x7,
                                  .start = s->res[i].addr,
                                  .length = s->res[i].size};
        TDS_TRY(tdhob_add_resource(&b, &r));
    }
    if (!s->no_fv) {
        TDS_TRY(tdhob_add_fv(&b, s->fv_base, s->fv_len));
    }
    if (s->two_fv) {
        TDS_TRY(tdhob_add_fv(&b, s->fv_base, s->fv_len));
    }
    if (!s->no_info) {
        TDS_TRY(tdhob_add_payload_info(&b, &s->info));
    }
    for (size_t i = 0; i < s->ntables; i++) {
        TDS_TRY(tdhob_add_acpi_table(&b, tds_bytes_make(s->tables[i], s->table_len[i])));
    }
    if (!s->no_e820) {
        TDS_TRY(tdhob_add_e820(&b, s->e820, s->n));
    }
    if (s->two_e820) {
        TDS_TRY(tdhob_add_e820(&b, s->e820, s->n));
    }
    tdhob_scratch_entry scratch[TDS_ARRAY_LEN(s->res) + 1u]; /* + the PCI hole */
    return tdhob_finish(&b, scratch, TDS_ARRAY_LEN(scratch), out);
}

static void fx_emit(void *ctx, const char *s, size_t n)
{
    struct fx_capture *c = ctx;
    if (c->len + n + 2 > sizeof c->text) {
        return;
    }
    memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len++] = '\n';
    c->text[c->len] = '\0';
    c->lines++;
}

struct tdp_sink fx_sink(struct fx_capture *c)
{
    c->len = 0;
    c->lines = 0;
    c->text[0] = '\0';
    struct tdp_sink s = {.ctx = c, .emit = fx_emit};
    return s;
}

bool fx_has_line(const struct fx_capture *c, const char *line)
{
    const size_t n = strlen(line);
    const char *p = c->text;
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        if (nl == NULL) {
            return false;
        }
        if ((size_t)(nl - p) == n && memcmp(p, line, n) == 0) {
            return true;
        }
        p = nl + 1;
    }
    return false;
}

unsigned fx_count_prefix(const struct fx_capture *c, const char *prefix)
{
    const size_t n = strlen(prefix);
    unsigned k = 0;
    const char *p = c->text;
    while (*p != '\0') {
        if (strncmp(p, prefix, n) == 0) {
            k++;
        }
        const char *nl = strchr(p, '\n');
        if (nl == NULL) {
            break;
        }
        p = nl + 1;
    }
    return k;
}
