/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer target for liblinux: setup-header parser, command-line check, planner, boot_params
 * builder and entry, chained as the firmware chains them (input layout: fuzz_input.h). Checks:
 * every status matches its reason; failed calls write nothing; an accepted plan lies in RAM, is
 * aligned, in reach and free of overlaps; an accepted page holds the header copy, the fixed
 * fields and the map.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_input.h"
#include "tdshim/linux_boot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FILL 0xA5u

static lnx_e820_entry g_map[256];
static uint8_t g_bp[4096];
static uint8_t g_node[4096];
static uint8_t g_fill[4096];

static void check(int cond)
{
    if (!cond) {
        __builtin_trap();
    }
}

/* Still all FILL (an untouched out-parameter)? */
static int untouched(const void *p, size_t n)
{
    return n <= sizeof g_fill && memcmp(p, g_fill, n) == 0;
}

static uint64_t le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i > 0; i--) {
        v = (v << 8) | p[i - 1];
    }
    return v;
}

static int in_ram(size_t n, uint64_t a, uint64_t len)
{
    uint64_t pos = a, last = a + (len - 1);
    for (size_t i = 0; i < n; i++) {
        uint64_t el = g_map[i].addr + (g_map[i].size - 1);
        if (g_map[i].type == LNX_E820_RAM && pos >= g_map[i].addr && pos <= el) {
            if (last <= el) {
                return 1;
            }
            pos = el + 1;
        }
    }
    return 0;
}

static void check_plan(const lnx_header *h, const lnx_plan_request *r, const lnx_plan *p)
{
    uint64_t a[5] = {p->kernel_addr, p->initrd_addr, p->boot_params_addr, p->cmdline_addr,
                     p->setup_data_addr};
    uint64_t l[5] = {h->init_size, p->initrd_size, 4096, p->cmdline_size, p->setup_data_size};
    uint64_t fixed[5] = {0, 0, r->boot_params_addr, r->cmdline_addr, r->setup_data_addr};
    int above = (h->xloadflags & LNX_XLF_CAN_BE_LOADED_ABOVE_4G) != 0;
    for (int i = 0; i < 5; i++) {
        if (l[i] == 0) {
            check(a[i] == 0);
            continue;
        }
        uint64_t last = a[i] + (l[i] - 1);
        check(last >= a[i] && last <= r->mapped_last);
        check(above || i == 1 || last <= 0xFFFFFFFFull);
        if (fixed[i] == 0) {
            check(a[i] >= 0x100000 && in_ram(r->map_count, a[i], l[i]));
        }
        for (int j = 0; j < i; j++) {
            check(l[j] == 0 || a[i] > a[j] + (l[j] - 1) || a[j] > last);
        }
    }
    check(p->kernel_addr % h->kernel_alignment == 0 && p->kernel_addr >= h->pref_address);
    check(h->relocatable || p->kernel_addr == h->pref_address);
    check(p->boot_params_addr % 4096 == 0);
    check(p->initrd_size == 0 || above ||
          p->initrd_addr + (p->initrd_size - 1) <= h->initrd_addr_max);
    check(p->setup_data_size == (r->map_count > 128 ? 16 + 20 * (r->map_count - 128) : 0));
}

static void check_page(const lnx_header *h, const lnx_plan *p, size_t n)
{
    check(g_bp[0x1EF] == 0 && g_bp[0x210] == 0xFF && g_bp[0x211] == 0x01);
    check(memcmp(g_bp + 0x202, h->raw + (0x202 - 0x1F1), 4) == 0); /* "HdrS" */
    check(le(g_bp + 0x260, 4) == h->init_size);
    check((le(g_bp + 0x228, 4) | (le(g_bp + 0x0C8, 4) << 32)) == p->cmdline_addr);
    check((le(g_bp + 0x218, 4) | (le(g_bp + 0x0C0, 4) << 32)) == p->initrd_addr);
    check((le(g_bp + 0x21C, 4) | (le(g_bp + 0x0C4, 4) << 32)) == p->initrd_size);
    check(le(g_bp + 0x250, 8) == p->setup_data_addr);
    size_t in_bp = n < 128 ? n : 128;
    check(g_bp[0x1E8] == in_bp);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *q = i < 128 ? g_bp + 0x2D0 + 20 * i : g_node + 16 + 20 * (i - 128);
        check(le(q, 8) == g_map[i].addr && le(q + 8, 8) == g_map[i].size &&
              le(q + 16, 4) == g_map[i].type);
    }
    if (n > 128) {
        check(le(g_node, 8) == 0 && le(g_node + 8, 4) == 1 && le(g_node + 12, 4) == 20 * (n - 128));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < FZ_PARAMS) {
        return 0;
    }
    if (g_fill[0] != FILL) {
        memset(g_fill, FILL, sizeof g_fill);
    }
    uint64_t kernel_size = le(data, 4);
    uint64_t initrd_size = le(data + 4, 8);
    uint64_t cmdline_size = le(data + 12, 2);
    size_t n = data[14];
    uint8_t flags = data[15];
    uint64_t base = le(data + 16, 8);
    uint64_t mapped_last = le(data + 24, 8);
    if (size < FZ_PARAMS + n * FZ_ENTRY) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const uint8_t *q = data + FZ_PARAMS + i * FZ_ENTRY;
        g_map[i].addr = le(q, 8);
        g_map[i].size = le(q + 8, 8);
        g_map[i].type = q[16];
    }
    size_t off = FZ_PARAMS + n * FZ_ENTRY;
    tds_bytes setup = tds_bytes_make(data + off, size - off);

    lnx_header h;
    memset(&h, FILL, sizeof h);
    lnx_error e;
    tds_status s = lnx_parse_header(setup, kernel_size, &h, &e);
    check(s == lnx_reason_status(e.reason));
    if (s != TDS_OK) {
        check(untouched((const uint8_t *)&h, sizeof h));
        return 0;
    }
    check(h.hdr_end >= 0x264 && h.hdr_end <= 0x290 && h.setup_size == setup.len);
    check(memcmp(h.raw, setup.ptr + 0x1F1, h.hdr_end - 0x1F1) == 0);
    check(h.kernel_size > 0x200 && h.kernel_size <= h.init_size);

    /* The setup bytes double as a command line. */
    s = lnx_check_cmdline(&h, setup, &e);
    check(s == lnx_reason_status(e.reason));

    lnx_plan_request r;
    memset(&r, 0, sizeof r);
    r.map = g_map;
    r.map_count = n;
    r.initrd_size = initrd_size;
    r.cmdline_size = cmdline_size;
    r.boot_params_addr = (flags & FZ_FIXED_BOOT_PARAMS) ? base : 0;
    r.cmdline_addr = (flags & FZ_FIXED_CMDLINE) ? base + 0x1000 : 0;
    r.setup_data_addr = (flags & FZ_FIXED_SETUP_DATA) ? base + 0x2000 : 0;
    r.mapped_last = mapped_last;
    lnx_plan p;
    memset(&p, FILL, sizeof p);
    s = lnx_plan_placement(&h, &r, &p, &e);
    check(s == lnx_reason_status(e.reason));
    if (s != TDS_OK) {
        check(untouched((const uint8_t *)&p, sizeof p));
        return 0;
    }
    check_plan(&h, &r, &p);

    /* Build twice: once with a node buffer one byte short (refused, untouched), once right. */
    memset(g_bp, FILL, sizeof g_bp);
    memset(g_node, FILL, sizeof g_node);
    size_t node_len = (size_t)p.setup_data_size;
    if (node_len != 0) {
        s = lnx_build_boot_params(&h, &p, g_map, n, base, tds_mut_bytes_make(g_bp, sizeof g_bp),
                                  tds_mut_bytes_make(g_node, node_len - 1), &e);
        check(s == TDS_ERR_NO_SPACE && e.reason == LNX_R_BUFFER_TOO_SMALL);
        check(memcmp(g_bp, g_fill, sizeof g_bp) == 0 && memcmp(g_node, g_fill, sizeof g_node) == 0);
    }
    s = lnx_build_boot_params(&h, &p, g_map, n, base, tds_mut_bytes_make(g_bp, sizeof g_bp),
                              tds_mut_bytes_make(g_node, node_len), &e);
    check(s == TDS_OK && e.reason == LNX_R_NONE);
    check_page(&h, &p, n);
    check(memcmp(g_node + node_len, g_fill, sizeof g_node - node_len) == 0);

    lnx_entry en;
    check(lnx_entry_for(&p, &en) == TDS_OK);
    check(en.rip == p.kernel_addr + 0x200 && en.rsi == p.boot_params_addr);
    return 0;
}
