/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Fuzz the pool against arbitrary MapGPA outcomes: success, failure after any partial progress,
 * and success claimed after partial progress (a lying VMM), for the conversions to shared, to
 * private or both. For any answer sequence: no op is ever called outside guest
 * memory, no private byte leaks, the guest never has a private PTE over a shared or unaccepted
 * page, the state matches the pages (READY: pool PTEs all shared; UNINIT: everything private),
 * device addresses handed out by a READY pool are plain GPAs (no shared bit), and a well-behaved
 * VMM afterwards always lets the pool be released back to private.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fake_tdx.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fake_tdx f;
    static vshared_pool pool;
    static uint64_t bitmap[VSHARED_BITMAP_WORDS(FAKE_PAGES)];
    if (size < 1) {
        return 0;
    }
    fake_init(&f, 0x80000000ull, (uint64_t)1u << 47);
    f.mode = FAKE_MAP_SCRIPT;
    f.fault_dir = (int)(data[0] % 3u) + 1;
    f.script = data + 1;
    f.script_len = size - 1;
    vshared_ops ops = fake_ops(&f);
    memset(&pool, 0, sizeof(pool));
    size_t npages = FAKE_POOL_PAGES;

    tds_status s = vshared_pool_init(&pool, &ops, fake_va(&f, FAKE_GUARD), fake_gpa(&f, FAKE_GUARD),
                                     npages, bitmap, VSHARED_BITMAP_WORDS(FAKE_PAGES));
    vshared_pool_state st = vshared_pool_get_state(&pool);
    CHECK(f.violations == 0 && f.leaks == 0 && fake_first_unsafe(&f) == -1);
    if (s == TDS_OK) {
        CHECK(st == VSHARED_POOL_READY);
        /* The guest cannot verify the VMM's claims of progress (a lying VMM can skip pages and
         * still answer success): only the guest-side state is guaranteed. Pages it skipped are
         * a denial of service (accesses fault), never a leak: they were scrubbed first. */
        for (size_t i = 0; i < FAKE_PAGES; i++) {
            bool in_pool = i >= FAKE_GUARD && i < FAKE_GUARD + npages;
            CHECK(f.page[i].pte_shared == in_pool);
            CHECK(in_pool || (!f.page[i].vmm_shared && f.page[i].accepted));
        }
        /* Device addresses are plain GPAs whatever the VMM answered: no shared bit. */
        vshared_buffer b;
        vshared_mapping m;
        CHECK(vshared_alloc(&pool, 2, &b) == TDS_OK);
        CHECK(b.host == fake_va(&f, FAKE_GUARD) && b.device_addr == fake_gpa(&f, FAKE_GUARD));
        CHECK(vshared_map(&pool, VSHARED_BUS_MASTER_COMMON, (uint8_t *)b.host + 8191, 1, &m) ==
              TDS_OK);
        CHECK(m.device_addr == b.device_addr + 8191 &&
              ((m.device_addr | b.device_addr) & f.mask) == 0);
        CHECK(vshared_unmap(&pool, &m) == TDS_OK);
        CHECK(vshared_free(&pool, b.host) == TDS_OK);
    } else if (st == VSHARED_POOL_UNINIT) {
        CHECK(fake_first_bad(&f, 0, 0, false) == -1);
    } else {
        CHECK(st == VSHARED_POOL_BROKEN && vshared_pool_last_error(&pool) == s);
    }
    /* Release under the same hostile script (whatever is left of it). */
    if (st != VSHARED_POOL_UNINIT) {
        s = vshared_pool_release(&pool);
        CHECK(f.violations == 0 && fake_first_unsafe(&f) == -1);
        if (s == TDS_OK) {
            CHECK(fake_first_bad(&f, 0, 0, false) == -1);
        } else {
            CHECK(vshared_pool_get_state(&pool) == VSHARED_POOL_BROKEN);
        }
    }
    /* A well-behaved VMM always lets the pool recover. */
    f.mode = FAKE_MAP_NORMAL;
    if (vshared_pool_get_state(&pool) != VSHARED_POOL_UNINIT) {
        CHECK(vshared_pool_release(&pool) == TDS_OK);
    }
    CHECK(fake_first_bad(&f, 0, 0, false) == -1 && f.violations == 0 && f.leaks == 0);
    CHECK(all_zero(fake_va(&f, FAKE_GUARD), (size_t)npages * VSHARED_PAGE_SIZE));
    fake_fini(&f);
    return 0;
}
