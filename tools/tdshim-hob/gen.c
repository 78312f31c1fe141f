/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * tdshim-hob gen: build a TD HOB the way QEMU's hw/i386/tdvf-hob.c does (QEMU hw/i386/tdvf-hob.c):
 * the guest RAM from the q35 e820 ([0, below-4G) and [4 GiB, +rest)), split around every range the
 * VMM adds before boot (the TD_HOB section itself, plus --accepted) and every range it keeps for
 * itself (--reserved), sorted by address.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/tdhob.h"
#include "tool.h"
#include "tool_io.h"

#define MAX_ENTRIES 512u
#define FOUR_G 0x100000000ull
#define Q35_LOWMEM_MAX 0xB0000000ull /* q35: RAM below 4 GiB never exceeds the MMCONFIG base */

typedef enum ram_kind { RAM_UNACCEPTED = 0, RAM_ADDED, RAM_RESERVED } ram_kind;

typedef struct ram_entry {
    uint64_t start;
    uint64_t size;
    ram_kind kind;
} ram_entry;

typedef struct gen_state {
    ram_entry e[MAX_ENTRIES];
    size_t n;
} gen_state;

static bool push(gen_state *g, uint64_t start, uint64_t size, ram_kind kind)
{
    if (g->n >= MAX_ENTRIES) {
        fprintf(stderr, TOOL_NAME " gen: too many ranges (max %u)\n", MAX_ENTRIES);
        return false;
    }
    g->e[g->n].start = start;
    g->e[g->n].size = size;
    g->e[g->n].kind = kind;
    g->n++;
    return true;
}

/* QEMU tdx_accept_ram_range: the range must sit inside one not-yet-added RAM entry; it becomes
 * `kind` (added, or reserved by the VMM for itself). */
static bool carve_range(gen_state *g, uint64_t start, uint64_t size, ram_kind kind,
                        const char *what)
{
    for (size_t i = 0; i < g->n; i++) {
        ram_entry *r = &g->e[i];
        const uint64_t rend = r->start + r->size;
        if (start >= rend || start + size <= r->start) {
            continue;
        }
        if (r->kind != RAM_UNACCEPTED || start < r->start || start + size > rend) {
            fprintf(stderr,
                    TOOL_NAME " gen: %s [0x%" PRIx64 ", 0x%" PRIx64
                              ") is not inside one unaccepted RAM range (overlaps an earlier "
                              "accepted range or crosses the end of RAM)\n",
                    what, start, start + size);
            return false;
        }
        const uint64_t head = start - r->start;
        const uint64_t tail = rend - (start + size);
        r->start = start;
        r->size = size;
        r->kind = kind;
        if (head != 0 && !push(g, start - head, head, RAM_UNACCEPTED)) {
            return false;
        }
        if (tail != 0 && !push(g, start + size, tail, RAM_UNACCEPTED)) {
            return false;
        }
        return true;
    }
    fprintf(stderr, TOOL_NAME " gen: %s [0x%" PRIx64 ", 0x%" PRIx64 ") is outside guest RAM\n",
            what, start, start + size);
    return false;
}

static bool page_aligned(uint64_t v)
{
    return (v & 0xFFFu) == 0;
}

static bool check_range_arg(const char *opt, const char *arg, uint64_t start, uint64_t size,
                            uint64_t limit)
{
    if (size == 0 || !page_aligned(start) || !page_aligned(size) || start + size < start ||
        start + size > limit) {
        fprintf(stderr,
                TOOL_NAME " gen: %s '%s': need a non-empty, 4 KiB aligned range below 0x%" PRIx64
                          "\n",
                opt, arg, limit);
        return false;
    }
    return true;
}

typedef struct mmio_list {
    uint64_t start[64];
    uint64_t size[64];
    const char *arg[64];
    size_t n;
} mmio_list;

static int cmp_entry(const void *a, const void *b)
{
    const ram_entry *x = a;
    const ram_entry *y = b;
    return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

static bool write_out(const char *path, tds_bytes hob)
{
    if (tool_write_file(path, hob.ptr, hob.len) != TDS_OK) {
        fprintf(stderr, TOOL_NAME " gen: cannot write '%s': %s\n", path, tool_io_error());
        return false;
    }
    return true;
}

int tool_gen(int argc, char **argv)
{
    uint64_t mem = 0;
    bool have_mem = false;
    bool legacy = false;
    uint64_t below = 0;
    bool have_below = false;
    uint64_t base = 0x800000;
    uint64_t hob_size = 0x20000;
    uint64_t gpaw = 48;
    const char *out = NULL;
    const char *cmdline = NULL;
    static uint64_t acc_start[64];
    static uint64_t acc_size[64];
    static const char *acc_arg[64];
    static ram_kind acc_kind[64];
    size_t nacc = 0;
    static mmio_list mmio;
    mmio.n = 0;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const bool has_val = i + 1 < argc;
        if (strcmp(a, "--mem") == 0 && has_val) {
            have_mem = hob_parse_u64(argv[++i], &mem);
            if (!have_mem) {
                fprintf(stderr, TOOL_NAME " gen: bad --mem '%s'\n", argv[i]);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--layout") == 0 && has_val) {
            const char *l = argv[++i];
            if (strcmp(l, "qemu") == 0) {
                legacy = false;
            } else if (strcmp(l, "legacy") == 0) {
                legacy = true;
            } else {
                fprintf(stderr, TOOL_NAME " gen: --layout must be qemu or legacy, not '%s'\n", l);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--below-4g") == 0 && has_val) {
            have_below = hob_parse_u64(argv[++i], &below);
            if (!have_below) {
                fprintf(stderr, TOOL_NAME " gen: bad --below-4g '%s'\n", argv[i]);
                return EXIT_USAGE;
            }
        } else if ((strcmp(a, "--base") == 0 || strcmp(a, "--hob-size") == 0 ||
                    strcmp(a, "--gpaw") == 0) &&
                   has_val) {
            uint64_t *dst = a[2] == 'b' ? &base : a[2] == 'h' ? &hob_size : &gpaw;
            if (!hob_parse_u64(argv[++i], dst)) {
                fprintf(stderr, TOOL_NAME " gen: bad %s '%s'\n", a, argv[i]);
                return EXIT_USAGE;
            }
        } else if ((strcmp(a, "--accepted") == 0 || strcmp(a, "--mmio") == 0 ||
                    strcmp(a, "--reserved") == 0) &&
                   has_val) {
            const bool is_mmio = a[2] == 'm';
            const ram_kind kind = a[2] == 'r' ? RAM_RESERVED : RAM_ADDED;
            /* One or more ranges follow, up to the next option. */
            int taken = 0;
            while (i + 1 < argc && argv[i + 1][0] != '-') {
                const char *r = argv[++i];
                uint64_t s;
                uint64_t z;
                if (!hob_parse_range(r, &s, &z)) {
                    fprintf(stderr, TOOL_NAME " gen: bad range '%s' (want START:SIZE)\n", r);
                    return EXIT_USAGE;
                }
                if (is_mmio) {
                    if (mmio.n >= 64) {
                        fprintf(stderr, TOOL_NAME " gen: too many --mmio ranges\n");
                        return EXIT_USAGE;
                    }
                    mmio.start[mmio.n] = s;
                    mmio.size[mmio.n] = z;
                    mmio.arg[mmio.n++] = r;
                } else {
                    if (nacc >= 64) {
                        fprintf(stderr, TOOL_NAME " gen: too many --accepted/--reserved ranges\n");
                        return EXIT_USAGE;
                    }
                    acc_start[nacc] = s;
                    acc_size[nacc] = z;
                    acc_kind[nacc] = kind;
                    acc_arg[nacc++] = r;
                }
                taken++;
            }
            if (taken == 0) {
                fprintf(stderr, TOOL_NAME " gen: %s needs START:SIZE\n", a);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "-o") == 0 && has_val) {
            out = argv[++i];
        } else if (strcmp(a, "--cmdline") == 0 && has_val) {
            cmdline = argv[++i];
        } else {
            fprintf(stderr, TOOL_NAME " gen: unexpected argument '%s'\n", a);
            return EXIT_USAGE;
        }
    }
    if (!have_mem || out == NULL) {
        fprintf(stderr, TOOL_NAME " gen: --mem SIZE and -o FILE are required\n");
        return EXIT_USAGE;
    }
    if (gpaw != 48 && gpaw != 52) {
        fprintf(stderr, TOOL_NAME " gen: --gpaw must be 48 or 52\n");
        return EXIT_USAGE;
    }
    const uint64_t limit = 1ull << (gpaw - 1u);
    if (mem == 0 || !page_aligned(mem)) {
        fprintf(stderr, TOOL_NAME " gen: --mem must be a non-zero multiple of 4 KiB\n");
        return EXIT_USAGE;
    }
    if (!have_below) {
        below = mem >= Q35_LOWMEM_MAX ? 0x80000000ull : mem; /* QEMU pc_q35_init */
    }
    if (below > mem || below > Q35_LOWMEM_MAX || !page_aligned(below)) {
        fprintf(stderr,
                TOOL_NAME " gen: --below-4g must be 4 KiB aligned, <= --mem and <= 0x%llx\n",
                (unsigned long long)Q35_LOWMEM_MAX);
        return EXIT_USAGE;
    }
    const uint64_t above = mem - below;
    if (above > limit - FOUR_G) {
        fprintf(stderr,
                TOOL_NAME " gen: memory above 4 GiB crosses the GPAW %" PRIu64 " limit 0x%" PRIx64
                          "\n",
                gpaw, limit);
        return EXIT_USAGE;
    }
    if (hob_size == 0 || !page_aligned(base) || !page_aligned(hob_size) || hob_size > 0xFFFFFFF) {
        fprintf(stderr, TOOL_NAME " gen: --base and --hob-size must be 4 KiB aligned (size "
                                  "non-zero)\n");
        return EXIT_USAGE;
    }

    static gen_state g;
    g.n = 0;
    if (below != 0 && !push(&g, 0, below, RAM_UNACCEPTED)) {
        return EXIT_USAGE;
    }
    if (above != 0 && !push(&g, FOUR_G, above, RAM_UNACCEPTED)) {
        return EXIT_USAGE;
    }
    /* The TD_HOB section is always added by the VMM, then the extra ranges in order. */
    if (!carve_range(&g, base, hob_size, RAM_ADDED, "the HOB section (--base/--hob-size)")) {
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < nacc; i++) {
        const bool added = acc_kind[i] == RAM_ADDED;
        if (!check_range_arg(added ? "--accepted" : "--reserved", acc_arg[i], acc_start[i],
                             acc_size[i], limit) ||
            !carve_range(&g, acc_start[i], acc_size[i], acc_kind[i],
                         added ? "--accepted range" : "--reserved range")) {
            return EXIT_USAGE;
        }
    }
    qsort(g.e, g.n, sizeof g.e[0], cmp_entry);

    /* Resource list: RAM entries and MMIO ranges, merged by address. */
    const size_t count = g.n + mmio.n;
    /* A command line GUID HOB: 24-byte header, the string, its NUL, zeros to 8 bytes. */
    const size_t cmd_hob = cmdline != NULL ? 24u + ((strlen(cmdline) + 1u + 7u) & ~(size_t)7u) : 0;
    if (cmdline != NULL && strlen(cmdline) > 0x8000u) {
        fprintf(stderr, TOOL_NAME " gen: --cmdline longer than 32 KiB\n");
        return EXIT_USAGE;
    }
    const size_t need = 56u + 48u * count + cmd_hob + 8u;
    if (need > hob_size) {
        fprintf(stderr, TOOL_NAME " gen: the HOB needs %zu bytes but --hob-size is 0x%" PRIx64 "\n",
                need, hob_size);
        return EXIT_USAGE;
    }
    uint8_t *buf = calloc(1, need);
    if (buf == NULL) {
        fprintf(stderr, TOOL_NAME " gen: out of memory\n");
        return EXIT_USAGE;
    }
    tdhob_builder b;
    tdhob_phit_params phit = {0};
    tds_status s =
        tdhob_builder_init(&b, tds_mut_bytes_make(buf, need), base, (uint32_t)gpaw, &phit);
    size_t mi = 0;
    /* MMIO ranges are appended sorted among the RAM entries. */
    static ram_entry order[MAX_ENTRIES + 64];
    size_t no = 0;
    for (size_t i = 0; i < g.n; i++) {
        order[no++] = g.e[i];
    }
    for (mi = 0; mi < mmio.n; mi++) {
        if (!check_range_arg("--mmio", mmio.arg[mi], mmio.start[mi], mmio.size[mi], limit)) {
            free(buf);
            return EXIT_USAGE;
        }
        order[no].start = mmio.start[mi];
        order[no].size = mmio.size[mi];
        order[no].kind = RAM_UNACCEPTED;
        no++;
    }
    qsort(order, no, sizeof order[0], cmp_entry);
    for (size_t i = 0; i < no && s == TDS_OK; i++) {
        bool is_mmio = false;
        for (size_t k = 0; k < mmio.n; k++) {
            if (mmio.start[k] == order[i].start && mmio.size[k] == order[i].size) {
                is_mmio = true;
            }
        }
        tdhob_resource r;
        memset(&r, 0, sizeof r);
        r.start = order[i].start;
        r.length = order[i].size;
        if (is_mmio) {
            r.type = TDHOB_RES_MEMORY_MAPPED_IO;
            r.attribute = TDHOB_ATTR_MMIO;
        } else if (!legacy) {
            r.type = order[i].kind == RAM_ADDED      ? TDHOB_RES_SYSTEM_MEMORY
                     : order[i].kind == RAM_RESERVED ? TDHOB_RES_MEMORY_RESERVED
                                                     : TDHOB_RES_MEMORY_UNACCEPTED;
            r.attribute = TDHOB_ATTR_QEMU_RAM;
        } else {
            /* Legacy: type 5 means added, so a range the VMM keeps is firmware-device memory. */
            r.type = order[i].kind == RAM_ADDED      ? TDHOB_RES_MEMORY_RESERVED
                     : order[i].kind == RAM_RESERVED ? TDHOB_RES_FIRMWARE_DEVICE
                                                     : TDHOB_RES_SYSTEM_MEMORY;
            r.attribute = TDHOB_ATTR_LEGACY_RAM;
        }
        s = tdhob_add_resource(&b, &r);
    }
    if (s == TDS_OK && cmdline != NULL) {
        s = tdhob_add_guid(&b, &tdhob_guid_linux_cmdline,
                           tds_bytes_make(cmdline, strlen(cmdline) + 1u));
    }
    tds_bytes hob = {NULL, 0};
    /* Sort scratch for the final validation: one entry per resource. */
    tdhob_scratch_entry *scratch = calloc(count + 1u, sizeof *scratch);
    if (scratch == NULL) {
        fprintf(stderr, TOOL_NAME " gen: out of memory\n");
        free(buf);
        return EXIT_USAGE;
    }
    if (s == TDS_OK) {
        s = tdhob_finish(&b, scratch, count + 1u, &hob);
    } else {
        tds_status ignored = tdhob_finish(&b, scratch, count + 1u, &hob);
        (void)ignored;
    }
    free(scratch);
    if (s != TDS_OK) {
        fprintf(stderr,
                TOOL_NAME " gen: the resulting HOB does not validate (%s): check that --mmio "
                          "ranges do not overlap RAM\n",
                tds_status_str(s));
        free(buf);
        return EXIT_USAGE;
    }
    bool ok = write_out(out, hob);
    free(buf);
    return ok ? 0 : EXIT_USAGE;
}
