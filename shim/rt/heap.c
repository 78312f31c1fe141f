/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "heap.h"

#include "tdshim/mem.h"

#define HDR ((size_t)16)
#define MAGIC_USED 0x7573656455534544ull /* distinct patterns for used and free headers */
#define MAGIC_FREE 0x6672656546524545ull

/* Header at the start of every block: size of the whole block (header included) and state. */
static size_t hdr_size(const uint8_t *b)
{
    size_t s;
    memcpy(&s, b, sizeof s);
    return s;
}
static uint64_t hdr_magic(const uint8_t *b)
{
    uint64_t m;
    memcpy(&m, b + 8, sizeof m);
    return m;
}
static void hdr_set(uint8_t *b, size_t size, uint64_t magic)
{
    memcpy(b, &size, sizeof size);
    memcpy(b + 8, &magic, sizeof magic);
}

bool rt_heap_init(struct rt_heap *h, void *arena, size_t len)
{
    if (arena == NULL || ((uintptr_t)arena & 15u) != 0 || len < 2u * HDR) {
        return false;
    }
    len &= ~(size_t)15u;
    h->base = arena;
    h->len = len;
    h->live = 0;
    h->high_water = 0;
    hdr_set(h->base, len, MAGIC_FREE);
    return true;
}

void *rt_heap_calloc(struct rt_heap *h, size_t n, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes) || bytes == 0 || bytes > h->len) {
        return NULL;
    }
    size_t need = ((bytes + 15u) & ~(size_t)15u) + HDR;
    size_t off = 0;
    while (off < h->len) {
        uint8_t *b = h->base + off;
        size_t bs = hdr_size(b);
        if (hdr_magic(b) == MAGIC_FREE) {
            /* Coalesce the run of free blocks that follows. */
            while (off + bs < h->len && hdr_magic(b + bs) == MAGIC_FREE) {
                bs += hdr_size(b + bs);
            }
            hdr_set(b, bs, MAGIC_FREE);
            if (bs >= need) {
                if (bs - need >= 2u * HDR) {
                    hdr_set(b + need, bs - need, MAGIC_FREE);
                    bs = need;
                }
                hdr_set(b, bs, MAGIC_USED);
                h->live++;
                if (off + bs > h->high_water) {
                    h->high_water = off + bs;
                }
                memset(b + HDR, 0, bs - HDR);
                return b + HDR;
            }
        }
        off += bs;
    }
    return NULL;
}

bool rt_heap_free(struct rt_heap *h, void *p)
{
    if (p == NULL) {
        return true;
    }
    uint8_t *u = p;
    if (u < h->base + HDR || u >= h->base + h->len || ((uintptr_t)(u - h->base) & 15u) != 0) {
        return false;
    }
    uint8_t *b = u - HDR;
    if (hdr_magic(b) != MAGIC_USED) {
        return false;
    }
    size_t bs = hdr_size(b);
    /* Scrub: freed crypto state must not linger. */
    memset(b + HDR, 0, bs - HDR);
    if ((size_t)(b - h->base) + bs < h->len && hdr_magic(b + bs) == MAGIC_FREE) {
        bs += hdr_size(b + bs);
    }
    hdr_set(b, bs, MAGIC_FREE);
    h->live--;
    return true;
}
