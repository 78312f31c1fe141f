/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "fake_tdx.h"

#include <stdlib.h>
#include <string.h>

#define PG ((uint64_t)VSHARED_PAGE_SIZE)

void fake_init(fake_tdx *f, uint64_t gpa_base, uint64_t mask)
{
    memset(f, 0, sizeof(*f));
    f->mem = aligned_alloc(VSHARED_PAGE_SIZE, (size_t)FAKE_PAGES * VSHARED_PAGE_SIZE);
    if (f->mem == NULL) {
        abort();
    }
    memset(f->mem, 0x11, (size_t)FAKE_PAGES * VSHARED_PAGE_SIZE);
    f->gpa_base = gpa_base;
    f->mask = mask;
    f->accept_zeroes = true;
    f->fail_status = TDS_ERR_VMM;
    for (size_t i = 0; i < FAKE_PAGES; i++) {
        f->page[i].accepted = true;
    }
}

void fake_fini(fake_tdx *f)
{
    free(f->mem);
    f->mem = NULL;
}

void *fake_va(const fake_tdx *f, size_t page)
{
    return f->mem + page * VSHARED_PAGE_SIZE;
}

uint64_t fake_gpa(const fake_tdx *f, size_t page)
{
    return f->gpa_base + (uint64_t)page * PG;
}

bool all_zero(const void *p, size_t n)
{
    /* memcmp against a zero page: a byte loop is very slow under fuzzer instrumentation. */
    static const uint8_t zeros[VSHARED_PAGE_SIZE];
    const uint8_t *b = p;
    while (n > 0) {
        size_t k = n < sizeof(zeros) ? n : sizeof(zeros);
        if (memcmp(b, zeros, k) != 0) {
            return false;
        }
        b += k;
        n -= k;
    }
    return true;
}

/* Page range of private GPA [gpa, gpa+len) inside guest memory, or false. */
static bool gpa_pages(const fake_tdx *f, uint64_t gpa, uint64_t len, size_t *first, size_t *n)
{
    uint64_t mem_len = (uint64_t)FAKE_PAGES * PG;
    if (len == 0 || (gpa % PG) != 0 || (len % PG) != 0 || gpa < f->gpa_base ||
        gpa - f->gpa_base > mem_len || len > mem_len - (gpa - f->gpa_base)) {
        return false;
    }
    *first = (size_t)((gpa - f->gpa_base) / PG);
    *n = (size_t)(len / PG);
    return true;
}

static tds_status pte_op(fake_tdx *f, void *va, uint64_t gpa, uint64_t len, bool shared)
{
    size_t first = 0;
    size_t n = 0;
    if (!gpa_pages(f, gpa, len, &first, &n) || va != fake_va(f, first)) {
        f->violations++;
        return TDS_ERR_INVALID_ARG;
    }
    for (size_t i = first; i < first + n; i++) {
        f->page[i].pte_shared = shared;
    }
    return TDS_OK;
}

static tds_status op_set_shared(void *ctx, void *va, uint64_t gpa, uint64_t len)
{
    fake_tdx *f = ctx;
    f->set_calls++;
    if (f->fail_set_shared_at == f->set_calls) {
        /* Fail halfway: the first page got the bit, as a real partial failure would. */
        if (pte_op(f, va, gpa, PG, true) != TDS_OK) {
            return TDS_ERR_INVALID_ARG;
        }
        return TDS_ERR_DEVICE;
    }
    return pte_op(f, va, gpa, len, true);
}

static tds_status op_clear_shared(void *ctx, void *va, uint64_t gpa, uint64_t len)
{
    fake_tdx *f = ctx;
    f->clear_calls++;
    if (f->fail_clear_shared_at == f->clear_calls) {
        return TDS_ERR_DEVICE;
    }
    return pte_op(f, va, gpa, len, false);
}

static void convert(fake_tdx *f, size_t i, bool shared)
{
    uint8_t *p = fake_va(f, i);
    if (shared) {
        if (!f->page[i].vmm_shared && !all_zero(p, VSHARED_PAGE_SIZE)) {
            f->leaks++; /* private bytes would reach the VMM */
        }
        f->page[i].vmm_shared = true;
        f->page[i].accepted = false;
        memset(p, FAKE_VMM_SHARED_BYTE, VSHARED_PAGE_SIZE);
    } else {
        if (f->page[i].vmm_shared) {
            memset(p, FAKE_PENDING_BYTE, VSHARED_PAGE_SIZE);
            f->page[i].accepted = false;
        }
        f->page[i].vmm_shared = false;
    }
}

/*
 * One scripted outcome: b0 % 3 = 0 convert all and succeed; 1 convert b1 pages and fail
 * (b0 bit 2 picks TDS_ERR_VMM or TDS_ERR_DEVICE); 2 convert b1 pages and claim success. An
 * exhausted script converts all.
 */
static tds_status scripted(fake_tdx *f, size_t first, size_t n, bool shared)
{
    uint8_t b[2] = {0, 0};
    if (f->script_len - f->script_pos >= 2) {
        memcpy(b, f->script + f->script_pos, 2);
        f->script_pos += 2;
    }
    size_t done = (b[0] % 3u == 0) ? n : (b[1] < n ? b[1] : n);
    for (size_t i = first; i < first + done; i++) {
        convert(f, i, shared);
    }
    if (b[0] % 3u == 1u) {
        return (b[0] & 4u) != 0 ? TDS_ERR_VMM : TDS_ERR_DEVICE;
    }
    return TDS_OK;
}

static tds_status op_map_gpa(void *ctx, uint64_t gpa, uint64_t len)
{
    fake_tdx *f = ctx;
    f->map_calls++;
    f->last_map_gpa = gpa;
    f->last_map_len = len;
    bool shared = (gpa & f->mask) != 0;
    if (shared) {
        f->map_calls_shared++;
    } else {
        f->map_calls_private++;
    }
    uint64_t pgpa = gpa & ~f->mask;
    size_t first = 0;
    size_t n = 0;
    /* Like tdvmcall_map_gpa + KVM: both ends on the same side, aligned, inside guest memory. */
    if (len == 0 || (((gpa + len - 1) & f->mask) != 0) != shared ||
        !gpa_pages(f, pgpa, len, &first, &n)) {
        f->violations++;
        return TDS_ERR_VMM;
    }
    int dir = shared ? FAKE_DIR_SHARED : FAKE_DIR_PRIVATE;
    fake_map_mode mode = (f->fault_dir & dir) != 0 ? f->mode : FAKE_MAP_NORMAL;
    if (mode == FAKE_MAP_SCRIPT) {
        return scripted(f, first, n, shared);
    }
    size_t done = (mode == FAKE_MAP_NORMAL) ? n : (f->chunk < n ? f->chunk : n);
    for (size_t i = first; i < first + done; i++) {
        convert(f, i, shared);
    }
    return mode == FAKE_MAP_FAIL_AFTER ? f->fail_status : TDS_OK;
}

static tds_status op_accept(void *ctx, uint64_t gpa, uint64_t len)
{
    fake_tdx *f = ctx;
    f->accept_calls++;
    size_t first = 0;
    size_t n = 0;
    if ((gpa & f->mask) != 0 || !gpa_pages(f, gpa, len, &first, &n)) {
        f->violations++;
        return TDS_ERR_INVALID_ARG;
    }
    if (f->fail_accept_at == f->accept_calls) {
        return TDS_ERR_DEVICE;
    }
    for (size_t i = first; i < first + n; i++) {
        if (f->page[i].vmm_shared) {
            return TDS_ERR_DEVICE; /* no private page to accept */
        }
    }
    for (size_t i = first; i < first + n; i++) {
        if (!f->page[i].accepted && f->accept_zeroes) {
            memset(fake_va(f, i), 0, VSHARED_PAGE_SIZE);
        }
        f->page[i].accepted = true;
    }
    return TDS_OK;
}

vshared_ops fake_ops(fake_tdx *f)
{
    vshared_ops ops = {
        .ctx = f,
        .set_shared = op_set_shared,
        .clear_shared = op_clear_shared,
        .map_gpa = op_map_gpa,
        .accept = op_accept,
        .shared_mask = f->mask,
    };
    return ops;
}

static bool is_private(const fake_page *p)
{
    return !p->pte_shared && !p->vmm_shared && p->accepted;
}

int fake_first_bad(const fake_tdx *f, size_t first, size_t n, bool shared)
{
    for (size_t i = 0; i < FAKE_PAGES; i++) {
        const fake_page *p = &f->page[i];
        bool in_pool = i >= first && i < first + n;
        bool ok =
            (in_pool && shared) ? (p->pte_shared && p->vmm_shared && !p->accepted) : is_private(p);
        if (!ok) {
            return (int)i;
        }
    }
    return -1;
}

int fake_first_unsafe(const fake_tdx *f)
{
    for (size_t i = 0; i < FAKE_PAGES; i++) {
        const fake_page *p = &f->page[i];
        if (!p->pte_shared && (p->vmm_shared || !p->accepted)) {
            return (int)i;
        }
    }
    return -1;
}

uint8_t *fake_device_ptr(fake_tdx *f, uint64_t dev, size_t len)
{
    /* What the VMM's device model does on TDX: the device address is a plain GPA (no shared
     * bit), and it reaches only pages the guest has converted to shared. An address carrying
     * the shared bit (or anything above it) is not guest RAM for the VMM. */
    uint64_t mem_len = (uint64_t)FAKE_PAGES * PG;
    if (len == 0 || dev >= f->mask || dev < f->gpa_base || dev - f->gpa_base >= mem_len ||
        (uint64_t)len > mem_len - (dev - f->gpa_base)) {
        f->device_faults++;
        return NULL;
    }
    size_t first = (size_t)((dev - f->gpa_base) / PG);
    size_t last = (size_t)((dev - f->gpa_base + (uint64_t)len - 1u) / PG);
    for (size_t i = first; i <= last; i++) {
        if (!f->page[i].vmm_shared || !f->page[i].pte_shared) {
            f->device_faults++; /* private page: the VMM cannot reach it */
            return NULL;
        }
    }
    return f->mem + (dev - f->gpa_base);
}
