/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * tdp_elf2pe [--entry SYMBOL] [--image-base ADDR] IN.elf OUT.efi
 *
 * Host tool of the test payload (docs/test-payload.md, "The PE32+ build"): converts the payload's
 * static-PIE ELF into a PE32+ image with IMAGE_REL_BASED_DIR64 base relocations (tdp_elf2pe.h).
 * Exit 0 and one summary line on success; exit 1 with the reason on anything unexpected in the
 * input (OUT is then removed, so no stale image survives a refused input); exit 2 on usage errors.
 * OUT is written to OUT.tmp and renamed, so it is never seen half-written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdp_elf2pe.h"

#define TOOL "tdp_elf2pe"
#define MAX_INPUT (64u << 20) /* the payload region is at most 32 MiB */

static void usage(void)
{
    fprintf(stderr, "usage: " TOOL " [--entry SYMBOL] [--image-base ADDR] IN.elf OUT.efi\n");
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ') {
        return false;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0') {
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

/* Read the whole file (at most MAX_INPUT bytes). */
static bool read_file(const char *path, uint8_t **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, TOOL ": %s: %s\n", path, strerror(errno));
        return false;
    }
    uint8_t *buf = malloc((size_t)MAX_INPUT + 1u);
    if (buf == NULL) {
        (void)fclose(f);
        fprintf(stderr, TOOL ": out of memory\n");
        return false;
    }
    size_t n = fread(buf, 1, (size_t)MAX_INPUT + 1u, f);
    const bool bad = ferror(f) != 0;
    (void)fclose(f);
    if (bad || n > MAX_INPUT) {
        fprintf(stderr, TOOL ": %s: %s\n", path, bad ? "read error" : "larger than 64 MiB");
        free(buf);
        return false;
    }
    *data = buf;
    *len = n;
    return true;
}

static bool write_file(const char *path, const uint8_t *data, size_t len)
{
    char tmp[4096];
    const int k = snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (k < 0 || (size_t)k >= sizeof tmp) {
        fprintf(stderr, TOOL ": %s: path too long\n", path);
        return false;
    }
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        fprintf(stderr, TOOL ": %s: %s\n", tmp, strerror(errno));
        return false;
    }
    const size_t w = fwrite(data, 1, len, f);
    const int closed = fclose(f);
    if (w != len || closed != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, TOOL ": %s: write failed\n", path);
        (void)remove(tmp);
        return false;
    }
    return true;
}

/* What the error's value means, for the message. */
static void print_refusal(const char *in, const tdp_elf2pe_error *e)
{
    fprintf(stderr, TOOL ": %s: refused: %s", in, tdp_elf2pe_reason_str(e->reason));
    switch (e->reason) {
    case TDP_E2P_RELOC_TYPE:
        fprintf(stderr, " (type %llu, %s)", (unsigned long long)e->value,
                tdp_elf2pe_reloc_name(e->value));
        break;
    case TDP_E2P_INTERP:
    case TDP_E2P_PHDR_TYPE:
        fprintf(stderr, " (p_type 0x%llx)", (unsigned long long)e->value);
        break;
    case TDP_E2P_DYN_TAG: fprintf(stderr, " (d_tag %llu)", (unsigned long long)e->value); break;
    case TDP_E2P_RELOC_TARGET:
    case TDP_E2P_RELOC_ORDER:
        fprintf(stderr, " (r_offset 0x%llx)", (unsigned long long)e->value);
        break;
    default: fprintf(stderr, " (value 0x%llx)", (unsigned long long)e->value); break;
    }
    fprintf(stderr, " at ELF file offset 0x%llx\n", (unsigned long long)e->offset);
}

int main(int argc, char **argv)
{
    tdp_elf2pe_opts opts = {NULL, 0};
    const char *in = NULL;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--entry") == 0 && i + 1 < argc) {
            opts.entry_symbol = argv[++i];
        } else if (strcmp(argv[i], "--image-base") == 0 && i + 1 < argc) {
            if (!parse_u64(argv[++i], &opts.image_base)) {
                fprintf(stderr, TOOL ": bad --image-base %s\n", argv[i]);
                return 2;
            }
        } else if (argv[i][0] != '-' && in == NULL) {
            in = argv[i];
        } else if (argv[i][0] != '-' && out == NULL) {
            out = argv[i];
        } else { /* an unknown option, or a third file */
            usage();
            return 2;
        }
    }
    if (in == NULL || out == NULL) {
        usage();
        return 2;
    }
    uint8_t *elf = NULL;
    size_t elf_len = 0;
    if (!read_file(in, &elf, &elf_len)) {
        return 1;
    }
    tdp_elf2pe_plan plan;
    tdp_elf2pe_error err = {TDP_E2P_NONE, 0, 0};
    const tds_bytes src = tds_bytes_make(elf, elf_len);
    if (tdp_elf2pe_plan_make(src, &opts, &plan, &err) != TDS_OK) {
        print_refusal(in, &err);
        free(elf);
        (void)remove(out); /* no stale image from an earlier run */
        return 1;
    }
    uint8_t *pe = malloc(plan.out_len);
    if (pe == NULL) {
        fprintf(stderr, TOOL ": out of memory\n");
        free(elf);
        return 1;
    }
    const bool ok =
        tdp_elf2pe_write(src, &plan, tds_mut_bytes_make(pe, plan.out_len), &err) == TDS_OK &&
        write_file(out, pe, plan.out_len);
    if (!ok && err.reason != TDP_E2P_NONE) {
        print_refusal(in, &err);
    }
    free(pe);
    free(elf);
    if (!ok) {
        (void)remove(out);
        return 1;
    }
    printf(TOOL ": %s -> %s: %u sections, %u DIR64 relocations in %u blocks, entry %s at RVA "
                "0x%x, ImageBase 0x%llx, SizeOfImage 0x%x\n",
           in, out, plan.nsect, plan.reloc_count, plan.reloc_blocks,
           opts.entry_symbol != NULL ? opts.entry_symbol : "e_entry", plan.entry_rva,
           (unsigned long long)plan.image_base, plan.size_of_image);
    return 0;
}
