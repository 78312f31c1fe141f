/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A stateful fake of what the allocator's ops touch: guest page tables (shared bit per page),
 * the VMM's MapGPA state per page, TDX acceptance per page, and page contents, over a small
 * guest memory whose pool sits between guard pages. MapGPA answers can be scripted to be
 * hostile. The fake also acts as the device: it translates device addresses and refuses to
 * touch a page that is not shared.
 */
#ifndef VSHARED_FAKE_TDX_H
#define VSHARED_FAKE_TDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/virtio_shared.h"

#define FAKE_PAGES 80u
#define FAKE_GUARD 4u /* pool = pages [FAKE_GUARD, FAKE_PAGES - FAKE_GUARD) by default */
#define FAKE_POOL_PAGES (FAKE_PAGES - 2u * FAKE_GUARD)
#define FAKE_VMM_SHARED_BYTE 0xEEu /* what a page holds after the VMM converts it */
#define FAKE_PENDING_BYTE 0xDDu    /* what a pending (unaccepted) private page holds */

typedef struct fake_page {
    bool pte_shared; /* guest PTE has the shared bit */
    bool vmm_shared; /* MapGPA state */
    bool accepted;   /* TDX: private page accepted */
} fake_page;

/*
 * The map_gpa op stands for libtdcall's tdvmcall_map_gpa, i.e. the whole MapGPA loop with its
 * retry rule; the fake scripts its outcomes. What a hostile VMM does inside that loop (retry
 * storms, resume addresses outside the range) is exercised on the real loop in test_emu.c.
 */
typedef enum fake_map_mode {
    FAKE_MAP_NORMAL = 0,
    FAKE_MAP_FAIL_AFTER, /* convert `chunk` pages, then fail with fail_status (error midway) */
    FAKE_MAP_LIE,        /* convert `chunk` pages, then report success anyway */
    FAKE_MAP_SCRIPT,     /* outcomes read from script[] (fuzzing), 2 bytes per call */
} fake_map_mode;

enum { FAKE_DIR_SHARED = 1, FAKE_DIR_PRIVATE = 2, FAKE_DIR_BOTH = 3 };

typedef struct fake_tdx {
    uint8_t *mem; /* FAKE_PAGES pages, 4 KiB aligned */
    uint64_t gpa_base;
    uint64_t mask;
    fake_page page[FAKE_PAGES];

    /* MapGPA script */
    fake_map_mode mode;
    int fault_dir; /* which conversions the script applies to */
    size_t chunk;
    tds_status fail_status;
    const uint8_t *script;
    size_t script_len;
    size_t script_pos;

    /* op failures: fail the Nth call (1-based) of that op, 0 = never */
    unsigned fail_set_shared_at, fail_clear_shared_at, fail_accept_at;
    bool accept_zeroes; /* default true; false models ALREADY_ACCEPTED pages with old bytes */

    /* counters and violations */
    unsigned map_calls, map_calls_shared, map_calls_private;
    unsigned set_calls, clear_calls, accept_calls;
    unsigned violations; /* an op got a range outside guest memory or malformed */
    unsigned leaks;      /* a page went shared holding non-zero bytes */
    unsigned device_faults;
    uint64_t last_map_gpa, last_map_len;
} fake_tdx;

/* Set up guest memory (heap) at gpa_base with the given shared mask; every page private and
 * accepted, contents 0x11. */
void fake_init(fake_tdx *f, uint64_t gpa_base, uint64_t mask);
void fake_fini(fake_tdx *f);
vshared_ops fake_ops(fake_tdx *f);

void *fake_va(const fake_tdx *f, size_t page);
uint64_t fake_gpa(const fake_tdx *f, size_t page);

/* First page in [0, FAKE_PAGES) that breaks the expectation, or -1. Pool pages [first, first+n)
 * must be shared (PTE, VMM, not accepted) when shared, else private and accepted; every other
 * page private and accepted. */
int fake_first_bad(const fake_tdx *f, size_t first, size_t n, bool shared);

/* First page whose private PTE maps a page that is not private-and-accepted (the fatal case of
 * the Intel TDX Module ABI specification, GPAW and the shared bit), or -1. Must hold at every
 * moment. */
int fake_first_unsafe(const fake_tdx *f);

/* Device view (a VMM device model on TDX): host pointer for [dev, dev+len) if dev is a plain GPA
 * (shared bit clear), the range is inside guest memory and every page it touches is shared (PTE
 * and MapGPA); else NULL and device_faults++ (an address with the shared bit, a private page). */
uint8_t *fake_device_ptr(fake_tdx *f, uint64_t dev, size_t len);

/* True when every byte of [p, p+n) is zero. */
bool all_zero(const void *p, size_t n);

#endif
