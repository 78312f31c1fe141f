/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "ref_tdhob.h"

#include <string.h>

static uint16_t ld16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)ld16(p) | ((uint32_t)ld16(p + 2) << 16);
}

static uint64_t ld64(const uint8_t *p)
{
    return (uint64_t)ld32(p) | ((uint64_t)ld32(p + 4) << 32);
}

size_t ref_resources(const uint8_t *buf, size_t len, ref_res *out, size_t cap)
{
    size_t off = 0;
    size_t n = 0;
    while (len - off >= 8) {
        const uint16_t type = ld16(buf + off);
        const uint16_t hl = ld16(buf + off + 2);
        if (hl < 8 || hl > len - off) {
            break;
        }
        if (type == 0xFFFF) {
            break;
        }
        if (type == 3 && hl == 48) {
            if (n < cap) {
                out[n].offset = off;
                out[n].type = ld32(buf + off + 24);
                out[n].start = ld64(buf + off + 32);
                out[n].length = ld64(buf + off + 40);
            }
            n++;
        }
        off += hl;
    }
    return n;
}

static bool ref_io(uint32_t type)
{
    return type == 2 || type == 6;
}

/* [a, a+alen) and [b, b+blen), both non-empty and not wrapping. */
static bool ref_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

size_t ref_first_overlap(const ref_res *res, size_t n, uint64_t *comparisons)
{
    for (size_t j = 0; j < n; j++) {
        for (size_t i = 0; i < j; i++) {
            if (comparisons != NULL) {
                (*comparisons)++;
            }
            if (ref_io(res[i].type) == ref_io(res[j].type) &&
                ref_overlap(res[i].start, res[i].length, res[j].start, res[j].length)) {
                return j;
            }
        }
    }
    return n;
}

bool ref_classify(tdhob_convention conv, uint32_t type, tdhob_mem_kind *kind)
{
    const bool legacy = conv == TDHOB_CONV_LEGACY;
    switch (type) {
    case 0: *kind = legacy ? TDHOB_MEM_UNACCEPTED : TDHOB_MEM_ACCEPTED; return true;
    case 7: *kind = TDHOB_MEM_UNACCEPTED; return true;
    case 5: *kind = legacy ? TDHOB_MEM_ACCEPTED : TDHOB_MEM_RESERVED; return true;
    case 3: *kind = TDHOB_MEM_RESERVED; return true;
    case 1:
    case 4: *kind = TDHOB_MEM_MMIO; return true;
    default: return false;
    }
}

static uint32_t ref_key(tdhob_mem_kind k, uint32_t e820_unaccepted)
{
    if (e820_unaccepted == 0) {
        return (uint32_t)k;
    }
    switch (k) {
    case TDHOB_MEM_ACCEPTED: return 1;
    case TDHOB_MEM_UNACCEPTED: return e820_unaccepted;
    case TDHOB_MEM_RESERVED: return 2;
    case TDHOB_MEM_MMIO: return 0;
    }
    return 0;
}

size_t ref_merged(const ref_res *res, size_t n, tdhob_convention conv, uint32_t e820_unaccepted,
                  ref_range *out, size_t cap, uint64_t *comparisons)
{
    size_t count = 0;
    bool first = true;
    uint64_t after = 0;
    bool have = false;
    ref_range cur = {0, 0, 0};
    for (;;) {
        /* Select the memory-space resource with the lowest start above the previous one. */
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            tdhob_mem_kind k;
            if (!ref_classify(conv, res[i].type, &k)) {
                continue;
            }
            if (comparisons != NULL) {
                (*comparisons)++;
            }
            if (!first && res[i].start <= after) {
                continue;
            }
            if (best == n || res[i].start < res[best].start) {
                best = i;
            }
        }
        if (best == n) {
            break;
        }
        first = false;
        after = res[best].start;
        tdhob_mem_kind k = TDHOB_MEM_ACCEPTED;
        if (!ref_classify(conv, res[best].type, &k)) {
            break; /* cannot happen: only memory-space resources are selected */
        }
        const uint32_t key = ref_key(k, e820_unaccepted);
        if (have && key != 0 && key == cur.key && cur.base + cur.length == res[best].start) {
            cur.length += res[best].length;
            continue;
        }
        if (have) {
            if (count < cap) {
                out[count] = cur;
            }
            count++;
        }
        have = key != 0;
        cur.base = res[best].start;
        cur.length = res[best].length;
        cur.key = key;
    }
    if (have) {
        if (count < cap) {
            out[count] = cur;
        }
        count++;
    }
    return count;
}

void ref_ram_summary(const ref_res *res, size_t n, tdhob_convention conv, tdhob_ram_summary *out)
{
    memset(out, 0, sizeof *out);
    const uint64_t four_g = 1ull << 32;
    for (size_t i = 0; i < n; i++) {
        tdhob_mem_kind k;
        if (!ref_classify(conv, res[i].type, &k) ||
            (k != TDHOB_MEM_ACCEPTED && k != TDHOB_MEM_UNACCEPTED)) {
            continue;
        }
        const uint64_t end = res[i].start + res[i].length;
        if (k == TDHOB_MEM_ACCEPTED) {
            out->accepted_bytes += res[i].length;
        } else {
            out->unaccepted_bytes += res[i].length;
        }
        if (end > out->ram_top) {
            out->ram_top = end;
        }
        if (res[i].start < four_g) {
            const uint64_t low = end < four_g ? end : four_g;
            if (low > out->ram_top_below_4g) {
                out->ram_top_below_4g = low;
            }
        }
    }
}

uint64_t ref_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

void big_make(big_res *res, size_t n, size_t n_io, uint64_t seed)
{
    static const uint32_t mem_types[] = {0, 1, 3, 4, 5, 7};
    uint64_t st = seed | 1u;
    uint64_t addr = 0;
    uint64_t io = 0;
    const size_t n_mem = n - n_io;
    for (size_t i = 0; i < n; i++) {
        const uint64_t r = ref_rand(&st);
        if (i < n_mem) {
            addr += 0x1000u * (r % 3u); /* a third of the neighbours touch */
            uint64_t len = 0x1000u * (1u + (r >> 8) % 8u);
            if ((r >> 16) % 64u == 0) {
                len = 256ull << 20; /* a few large ones, so RAM crosses 4 GiB */
            }
            res[i].type = mem_types[(r >> 24) % 6u];
            res[i].start = addr;
            res[i].length = len;
            addr += len;
        } else {
            io += r % 4u;
            const uint64_t len = 1u + (r >> 8) % 16u;
            res[i].type = (r >> 24) % 2u == 0 ? 2u : 6u;
            res[i].start = io;
            res[i].length = len;
            io += len;
        }
    }
    for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
        const size_t j = (size_t)(ref_rand(&st) % i);
        const big_res t = res[i - 1];
        res[i - 1] = res[j];
        res[j] = t;
    }
}

static void st16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void st32(uint8_t *p, uint32_t v)
{
    st16(p, (uint16_t)v);
    st16(p + 2, (uint16_t)(v >> 16));
}

static void st64(uint8_t *p, uint64_t v)
{
    st32(p, (uint32_t)v);
    st32(p + 4, (uint32_t)(v >> 32));
}

size_t big_write(uint8_t *buf, size_t cap, uint64_t gpa, const big_res *res, size_t n)
{
    const size_t len = 56u + 48u * n + 8u;
    if (len > cap) {
        return 0;
    }
    memset(buf, 0, cap);
    st16(buf, 0x0001);
    st16(buf + 2, 56);
    st32(buf + 8, 9);
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = buf + big_offset(i);
        st16(p, 0x0003);
        st16(p + 2, 48);
        st32(p + 24, res[i].type);
        st32(p + 28, 0x7);
        st64(p + 32, res[i].start);
        st64(p + 40, res[i].length);
    }
    st16(buf + len - 8, 0xFFFF);
    st16(buf + len - 6, 8);
    st64(buf + 48, gpa + len);
    return len;
}
