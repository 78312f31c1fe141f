/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "fixtures.h"

#include <string.h>

/* ---- raw assembler ---- */
void hb_init(hb *h, uint8_t *buf, size_t cap)
{
    h->buf = buf;
    h->cap = cap;
    h->len = 0;
    memset(buf, 0, cap);
}

void hb_u8(hb *h, uint8_t v)
{
    if (h->len < h->cap) {
        h->buf[h->len] = v;
    }
    h->len++;
}

void hb_u16(hb *h, uint16_t v)
{
    hb_u8(h, (uint8_t)v);
    hb_u8(h, (uint8_t)(v >> 8));
}

void hb_u32(hb *h, uint32_t v)
{
    hb_u16(h, (uint16_t)v);
    hb_u16(h, (uint16_t)(v >> 16));
}

void hb_u64(hb *h, uint64_t v)
{
    hb_u32(h, (uint32_t)v);
    hb_u32(h, (uint32_t)(v >> 32));
}

void hb_zero(hb *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        hb_u8(h, 0);
    }
}

void hb_bytes(hb *h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        hb_u8(h, b[i]);
    }
}

size_t hb_hdr(hb *h, uint16_t type, uint16_t len, uint32_t reserved)
{
    size_t off = h->len;
    hb_u16(h, type);
    hb_u16(h, len);
    hb_u32(h, reserved);
    return off;
}

size_t hb_phit(hb *h)
{
    size_t off = hb_hdr(h, 0x0001, 56, 0);
    hb_u32(h, 9);   /* Version */
    hb_u32(h, 0);   /* BootMode */
    hb_zero(h, 40); /* 5 x u64 */
    return off;
}

size_t hb_res(hb *h, uint32_t type, uint32_t attr, uint64_t start, uint64_t len)
{
    size_t off = hb_hdr(h, 0x0003, 48, 0);
    hb_zero(h, 16); /* Owner */
    hb_u32(h, type);
    hb_u32(h, attr);
    hb_u64(h, start);
    hb_u64(h, len);
    return off;
}

size_t hb_memalloc(hb *h, uint64_t base, uint64_t len, uint32_t mtype)
{
    size_t off = hb_hdr(h, 0x0002, 48, 0);
    for (uint8_t i = 0; i < 16; i++) {
        hb_u8(h, (uint8_t)(0xA0 + i));
    }
    hb_u64(h, base);
    hb_u64(h, len);
    hb_u32(h, mtype);
    hb_zero(h, 4);
    return off;
}

size_t hb_guid(hb *h, const tds_guid *g, const void *data, size_t n)
{
    size_t total = (24 + n + 7) & ~(size_t)7;
    size_t off = hb_hdr(h, 0x0004, (uint16_t)total, 0);
    hb_bytes(h, g->b, 16);
    hb_bytes(h, data, n);
    hb_zero(h, total - 24 - n);
    return off;
}

size_t hb_cpu(hb *h, uint8_t mem, uint8_t io)
{
    size_t off = hb_hdr(h, 0x0006, 16, 0);
    hb_u8(h, mem);
    hb_u8(h, io);
    hb_zero(h, 6);
    return off;
}

size_t hb_fv(hb *h, uint64_t base, uint64_t len)
{
    size_t off = hb_hdr(h, 0x0005, 24, 0);
    hb_u64(h, base);
    hb_u64(h, len);
    return off;
}

size_t hb_end(hb *h)
{
    return hb_hdr(h, 0xFFFF, 8, 0);
}

void hb_put16(hb *h, size_t off, uint16_t v)
{
    h->buf[off] = (uint8_t)v;
    h->buf[off + 1] = (uint8_t)(v >> 8);
}

void hb_put32(hb *h, size_t off, uint32_t v)
{
    hb_put16(h, off, (uint16_t)v);
    hb_put16(h, off + 2, (uint16_t)(v >> 16));
}

void hb_put64(hb *h, size_t off, uint64_t v)
{
    hb_put32(h, off, (uint32_t)v);
    hb_put32(h, off + 4, (uint32_t)(v >> 32));
}

void hb_patch_end(hb *h, uint64_t gpa)
{
    hb_put64(h, 48, gpa + h->len);
}

/* ---- byte-exact vectors, spelled out byte by byte ---- */
#define B16(x) (uint8_t)((x)&0xFFu), (uint8_t)(((x) >> 8) & 0xFFu)
#define B32(x) B16((x)&0xFFFFu), B16(((x) >> 16) & 0xFFFFu)
#define B64(x) B32((uint64_t)(x)&0xFFFFFFFFu), B32(((uint64_t)(x) >> 32) & 0xFFFFFFFFu)
#define Z8 0, 0, 0, 0, 0, 0, 0, 0
#define HDR(t, l) B16(t), B16(l), 0, 0, 0, 0
/* EFI_HOB_HANDOFF_INFO_TABLE as QEMU writes it: v9, boot mode 0, Efi*Memory* 0. */
#define PHIT(end) HDR(0x0001, 56), B32(9), B32(0), Z8, Z8, Z8, Z8, B64(end)
/* EFI_HOB_RESOURCE_DESCRIPTOR with a zero owner GUID. */
#define RES(type, attr, start, len)                                                                \
    HDR(0x0003, 48), Z8, Z8, B32(type), B32(attr), B64(start), B64(len)
#define END HDR(0xFFFF, 8)

/* 2 GiB guest, q35: one e820 RAM entry [0, 2 GiB). Sections marked added: TempMem
 * [0x800000, +0x9000), TD_HOB [0x809000, +0x2000) (the HOB itself), TempMem [0x810000, +0x10000).
 * QEMU splits the RAM entry around each (tdx_accept_ram_range), sorts by address, and writes
 * type 0 for added, 7 for the rest, attribute 0x7 for both. */
static const uint8_t k_qemu_2g[] = {
    PHIT(0x809000u + 352u),
    RES(7, 0x7, 0x0, 0x800000),
    RES(0, 0x7, 0x800000, 0x9000),
    RES(0, 0x7, 0x809000, 0x2000),
    RES(7, 0x7, 0x80B000, 0x5000),
    RES(0, 0x7, 0x810000, 0x10000),
    RES(7, 0x7, 0x820000, 0x7F7E0000),
    END,
};
const hob_vector k_vec_qemu_2g = {"qemu_2g", k_qemu_2g, sizeof k_qemu_2g, 0x809000u};

/* 8 GiB guest, q35 (ram >= 0xB0000000, so 2 GiB below 4 GiB and 6 GiB from 4 GiB). TD_HOB
 * [0x800000, +0x20000) is the only added section. */
static const uint8_t k_qemu_8g[] = {
    PHIT(0x800000u + 256u),
    RES(7, 0x7, 0x0, 0x800000),
    RES(0, 0x7, 0x800000, 0x20000),
    RES(7, 0x7, 0x820000, 0x7F7E0000),
    RES(7, 0x7, 0x100000000ull, 0x180000000ull),
    END,
};
const hob_vector k_vec_qemu_8g = {"qemu_8g", k_qemu_8g, sizeof k_qemu_8g, 0x800000u};

/* td-shim td-shim-interface/fuzz/seeds/hob_parser/hob_buffer as decoded in td-shim tests:
 * legacy convention (no type 7), 496 bytes, RAM attribute 0x04000007, MMIO 0x403. Assumed GPA:
 * 0x1000000, the 128 KiB reserved (= added) hole between the two system-memory ranges. */
static const uint8_t k_legacy_2g[] = {
    PHIT(0x1000000u + 496u),
    RES(0, 0x04000007, 0x0, 0x1000000),
    RES(0, 0x04000007, 0x1020000, 0x7EFE0000),
    RES(5, 0x04000007, 0x1000000, 0x20000),
    RES(5, 0x04000007, 0xFEFFC000, 0x4000),
    RES(5, 0x04000007, 0xFF040000, 0x1000),
    RES(5, 0x04000007, 0xFF042000, 0x20000),
    RES(5, 0x04000007, 0xFF062000, 0x20000),
    RES(1, 0x403, 0x80000000, 0x7EE00000),
    RES(1, 0x403, 0x100000000ull, 0x800000000ull),
    END,
};
const hob_vector k_vec_legacy_2g = {"legacy_2g", k_legacy_2g, sizeof k_legacy_2g, 0x1000000u};

/* ---- a valid list with every accepted type ---- */
static const uint8_t k_acpi_tbl[40] = {'T', 'E', 'S', 'T', 40, 0, 0, 0, 1, 0};

size_t fixture_all_types(uint8_t *buf, size_t cap, uint64_t gpa)
{
    hb h;
    hb_init(&h, buf, cap);
    hb_phit(&h);
    hb_cpu(&h, 48, 16);
    hb_res(&h, 0, 0x7, 0x0, 0x800000);
    hb_res(&h, 7, 0x7, 0x800000, 0x7F800000);
    hb_res(&h, 1, 0x403, 0xC0000000ull, 0x10000000);
    hb_res(&h, 2, 0x1, 0x0, 0x1000);
    hb_memalloc(&h, 0x100000, 0x2000, 4);
    hb_fv(&h, 0xFF000000ull, 0x40000);
    /* FV2 and FV3 by hand */
    hb_hdr(&h, 0x0009, 56, 0);
    hb_u64(&h, 0xFF100000ull);
    hb_u64(&h, 0x1000);
    hb_zero(&h, 32);
    hb_hdr(&h, 0x000C, 64, 0);
    hb_u64(&h, 0xFF200000ull);
    hb_u64(&h, 0x2000);
    hb_u32(&h, 3);
    hb_u8(&h, 1);
    hb_zero(&h, 3 + 32);
    uint8_t pi[16] = {1, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x10, 0x86, 0, 0, 0, 0, 0};
    hb_guid(&h, &tdhob_guid_payload_info, pi, sizeof pi);
    hb_guid(&h, &tdhob_guid_acpi_table, k_acpi_tbl, sizeof k_acpi_tbl);
    uint8_t e820[40] = {0};
    e820[8 + 2] = 0x10; /* entry 0: [0, 0x100000) */
    e820[16] = 1;
    e820[20 + 2] = 0x10; /* entry 1: [0x100000, +0x7FF00000) type 1 */
    e820[20 + 8 + 2] = 0xF0;
    e820[20 + 8 + 3] = 0x7F;
    e820[20 + 16] = 1;
    hb_guid(&h, &tdhob_guid_e820_table, e820, sizeof e820);
    static const tds_guid other =
        TDS_GUID_INIT(0x12345678u, 0x9abcu, 0xdef0u, 1, 2, 3, 4, 5, 6, 7, 8);
    hb_guid(&h, &other, "hello", 5);
    hb_end(&h);
    hb_patch_end(&h, gpa);
    return h.len;
}

/* ---- hostile HOBs ---- */
/* Each builder starts from PHIT + one good resource, then breaks one rule. Offsets: PHIT @0,
 * first resource @56, the HOB under test usually @104. */
#define OFF_R1 56u
#define OFF_X 104u

static void start(hb *h, uint8_t *buf, size_t cap)
{
    hb_init(h, buf, cap);
    hb_phit(h);
    hb_res(h, 0, 0x7, 0x800000, 0x20000);
}

static size_t finish(hb *h)
{
    hb_end(h);
    hb_patch_end(h, HOSTILE_GPA);
    return h->len;
}

#define CASE(name) static size_t b_##name(uint8_t *buf, size_t cap, tdhob_config *cfg)
#define UNUSED_CFG (void)cfg

CASE(empty)
{
    (void)buf;
    (void)cap;
    UNUSED_CFG;
    return 0;
}

CASE(header_truncated)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_u32(&h, 0xFFFF0008u); /* half of an END header */
    return h.len;
}

CASE(missing_end)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_patch_end(&h, HOSTILE_GPA);
    return h.len;
}

CASE(zero_length)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0003, 0, 0);
    return finish(&h);
}

CASE(length_too_small)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0003, 4, 0);
    return finish(&h);
}

CASE(length_unaligned)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0004, 28, 0);
    hb_zero(&h, 20);
    return finish(&h);
}

CASE(length_past_end)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0004, 0x1000, 0);
    hb_zero(&h, 16);
    return finish(&h);
}

CASE(header_reserved)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    size_t len = finish(&h);
    hb_put32(&h, OFF_R1 + 4, 1);
    return len;
}

CASE(first_not_phit)
{
    hb h;
    UNUSED_CFG;
    hb_init(&h, buf, cap);
    hb_res(&h, 0, 0x7, 0x800000, 0x20000);
    hb_end(&h);
    return h.len;
}

CASE(phit_duplicate)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_phit(&h);
    return finish(&h);
}

CASE(phit_size)
{
    hb h;
    UNUSED_CFG;
    hb_init(&h, buf, cap);
    hb_hdr(&h, 0x0001, 64, 0);
    hb_u32(&h, 9);
    hb_zero(&h, 52);
    hb_end(&h);
    hb_patch_end(&h, HOSTILE_GPA);
    return h.len;
}

CASE(phit_version)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    size_t len = finish(&h);
    hb_put32(&h, 8, 8);
    return len;
}

CASE(phit_boot_mode)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    size_t len = finish(&h);
    hb_put32(&h, 12, 0x08);
    return len;
}

CASE(phit_memory_top_align)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    size_t len = finish(&h);
    hb_put64(&h, 16, 0x80000800ull);
    return len;
}

CASE(phit_free_top_align)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    size_t len = finish(&h);
    hb_put64(&h, 32, 0x100008ull);
    return len;
}

CASE(phit_memory_order)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    size_t len = finish(&h);
    hb_put64(&h, 16, 0x1000); /* top */
    hb_put64(&h, 24, 0x2000); /* bottom above top */
    return len;
}

CASE(phit_end_mismatch)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    size_t len = finish(&h);
    hb_put64(&h, 48, HOSTILE_GPA + len + 8);
    return len;
}

CASE(phit_end_wrap)
{
    hb h;
    start(&h, buf, cap);
    size_t len = finish(&h);
    cfg->hob_gpa = 0xFFFFFFFFFFFFFFF8ull; /* gpa + length wraps */
    hb_put64(&h, 48, 0x100);
    return len;
}

CASE(phit_end_below_length)
{
    hb h;
    start(&h, buf, cap);
    size_t len = finish(&h);
    cfg->gpa_from_phit = true;
    hb_put64(&h, 48, 16); /* EfiEndOfHobList - length underflows */
    return len;
}

CASE(hob_beyond_gpaw)
{
    hb h;
    hb_init(&h, buf, cap);
    hb_phit(&h);
    hb_end(&h);
    cfg->hob_gpa = (1ull << 47) - 32; /* the 64-byte list crosses the shared bit */
    hb_patch_end(&h, cfg->hob_gpa);
    return h.len;
}

CASE(gpa_unaligned)
{
    hb h;
    start(&h, buf, cap);
    cfg->hob_gpa = HOSTILE_GPA + 4;
    return finish(&h);
}

CASE(bad_gpaw)
{
    hb h;
    start(&h, buf, cap);
    cfg->gpaw = 40;
    return finish(&h);
}

CASE(unknown_type)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0042, 16, 0);
    hb_zero(&h, 8);
    return finish(&h);
}

CASE(type_not_allowed)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x000B, 24, 0); /* UEFI capsule */
    hb_zero(&h, 16);
    return finish(&h);
}

CASE(resource_size)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0003, 56, 0);
    hb_zero(&h, 48);
    return finish(&h);
}

CASE(resource_type)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 8, 0x7, 0x1000000, 0x1000);
    return finish(&h);
}

CASE(resource_attr)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 7, 0x20000007u, 0x1000000, 0x1000);
    return finish(&h);
}

CASE(resource_length_zero)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 7, 0x7, 0x1000000, 0);
    return finish(&h);
}

CASE(resource_wrap)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 7, 0x7, 0xFFFFFFFFFFFFF000ull, 0x2000);
    return finish(&h);
}

CASE(resource_start_unaligned)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 7, 0x7, 0x1000800, 0x1000);
    return finish(&h);
}

CASE(resource_length_unaligned)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 7, 0x7, 0x1000000, 0x1800);
    return finish(&h);
}

CASE(resource_beyond_gpaw)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 7, 0x7, (1ull << 47) - 0x1000, 0x2000); /* crosses the shared bit (GPAW 48) */
    return finish(&h);
}

CASE(io_beyond_64k)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 2, 0x1, 0xF000, 0x2000);
    return finish(&h);
}

CASE(resource_overlap)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 7, 0x7, 0x81F000, 0x10000); /* last page of the first one */
    return finish(&h);
}

CASE(resource_overlap_contains)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 7, 0x7, 0x0, 0x80000000); /* swallows the first one */
    return finish(&h);
}

CASE(resource_overlap_identical)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 5, 0x7, 0x800000, 0x20000); /* the first one again, other type */
    return finish(&h);
}

CASE(io_overlap)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 2, 0x1, 0x0, 0x10);  /* I/O space is its own: no clash with memory */
    hb_res(&h, 6, 0x1, 0x10, 0x10); /* touches the one before */
    hb_res(&h, 2, 0x1, 0x8, 0x4);   /* inside the first I/O range */
    return finish(&h);
}

/* An overlap comes before a malformed HOB later in the list ... */
CASE(overlap_before_bad_hob)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_res(&h, 7, 0x7, 0x81F000, 0x1000);
    hb_hdr(&h, 0x0042, 16, 0);
    hb_zero(&h, 8);
    return finish(&h);
}

/* ... and after one earlier in the list. */
CASE(bad_hob_before_overlap)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0042, 16, 0);
    hb_zero(&h, 8);
    hb_res(&h, 7, 0x7, 0x81F000, 0x1000);
    return finish(&h);
}

/* A sort scratch with one entry for two resources. */
CASE(scratch_too_small)
{
    hb h;
    start(&h, buf, cap);
    cfg->scratch_cap = 1;
    hb_res(&h, 7, 0x7, 0x1000000, 0x1000);
    return finish(&h);
}

CASE(unaccepted_in_legacy)
{
    hb h;
    start(&h, buf, cap);
    cfg->convention = TDHOB_CONV_LEGACY;
    hb_res(&h, 7, 0x7, 0x1000000, 0x1000);
    return finish(&h);
}

CASE(memalloc_size)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0002, 80, 0); /* the MODULE variant is not accepted */
    hb_zero(&h, 72);
    return finish(&h);
}

CASE(memalloc_reserved)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_memalloc(&h, 0x100000, 0x1000, 4);
    size_t len = finish(&h);
    hb_put32(&h, OFF_X + 44, 0x01000000u);
    return len;
}

CASE(memalloc_type)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_memalloc(&h, 0x100000, 0x1000, 16);
    return finish(&h);
}

CASE(memalloc_wrap)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_memalloc(&h, 0xFFFFFFFFFFFFF000ull, 0x1000, 4);
    return finish(&h);
}

CASE(guid_truncated)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0004, 16, 0);
    hb_zero(&h, 8); /* only half a GUID */
    return finish(&h);
}

CASE(guid_past_end)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0004, 64, 0);
    hb_bytes(&h, tdhob_guid_payload_info.b, 16); /* data claimed but the buffer stops */
    return h.len;
}

CASE(payload_info_size)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    uint8_t d[8] = {1};
    hb_guid(&h, &tdhob_guid_payload_info, d, sizeof d);
    return finish(&h);
}

CASE(payload_info_reserved)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    uint8_t d[16] = {1, 0, 0, 0, 0, 0, 1, 0};
    hb_guid(&h, &tdhob_guid_payload_info, d, sizeof d);
    return finish(&h);
}

CASE(payload_info_type)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    uint8_t d[16] = {4};
    hb_guid(&h, &tdhob_guid_payload_info, d, sizeof d);
    return finish(&h);
}

CASE(acpi_table_size)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    uint8_t t[40] = {'A', 'P', 'I', 'C', 0x30, 0, 0, 0}; /* claims 48 bytes, 40 present */
    hb_guid(&h, &tdhob_guid_acpi_table, t, sizeof t);
    return finish(&h);
}

CASE(e820_size)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    uint8_t d[16] = {0};
    hb_guid(&h, &tdhob_guid_e820_table, d, sizeof d); /* less than one 20-byte entry */
    return finish(&h);
}

CASE(e820_entry)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    uint8_t d[20] = {0, 0, 0x10, 0}; /* addr 0x100000, size 0 */
    d[16] = 1;
    hb_guid(&h, &tdhob_guid_e820_table, d, sizeof d);
    return finish(&h);
}

CASE(fv_size)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0005, 32, 0);
    hb_u64(&h, 0xFF000000ull);
    hb_u64(&h, 0x1000);
    hb_zero(&h, 8);
    return finish(&h);
}

CASE(fv3_reserved)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x000C, 64, 0);
    hb_u64(&h, 0xFF000000ull);
    hb_u64(&h, 0x1000);
    hb_u32(&h, 0);
    hb_u8(&h, 0);
    hb_u8(&h, 0);
    hb_u8(&h, 0x5A); /* padding byte 30 */
    hb_zero(&h, 33);
    return finish(&h);
}

CASE(fv_beyond_gpaw)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_fv(&h, 1ull << 47, 0x1000);
    return finish(&h);
}

CASE(cpu_size)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0x0006, 24, 0);
    hb_u8(&h, 48);
    hb_zero(&h, 15);
    return finish(&h);
}

CASE(cpu_reserved)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_cpu(&h, 48, 16);
    size_t len = finish(&h);
    h.buf[OFF_X + 15] = 1;
    return len;
}

CASE(cpu_space)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_cpu(&h, 0, 16);
    return finish(&h);
}

CASE(cpu_duplicate)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_cpu(&h, 48, 16);
    hb_cpu(&h, 52, 16);
    return finish(&h);
}

CASE(end_size)
{
    hb h;
    UNUSED_CFG;
    start(&h, buf, cap);
    hb_hdr(&h, 0xFFFF, 16, 0);
    hb_zero(&h, 8);
    hb_patch_end(&h, HOSTILE_GPA);
    return h.len;
}

#define E(n, st, r, ho, fo)                                                                        \
    {                                                                                              \
#n, b_##n, st, r, ho, fo                                                                   \
    }
const hostile_case k_hostile[] = {
    E(empty, TDS_ERR_TRUNCATED, TDHOB_R_END_MISSING, 0, 0),
    E(header_truncated, TDS_ERR_TRUNCATED, TDHOB_R_HEADER_TRUNCATED, OFF_X, OFF_X),
    E(missing_end, TDS_ERR_TRUNCATED, TDHOB_R_END_MISSING, OFF_X, OFF_X),
    E(zero_length, TDS_ERR_MALFORMED, TDHOB_R_LENGTH_ZERO, OFF_X, OFF_X + 2),
    E(length_too_small, TDS_ERR_MALFORMED, TDHOB_R_LENGTH_TOO_SMALL, OFF_X, OFF_X + 2),
    E(length_unaligned, TDS_ERR_ALIGNMENT, TDHOB_R_LENGTH_UNALIGNED, OFF_X, OFF_X + 2),
    E(length_past_end, TDS_ERR_TRUNCATED, TDHOB_R_LENGTH_PAST_END, OFF_X, OFF_X + 2),
    E(header_reserved, TDS_ERR_MALFORMED, TDHOB_R_HEADER_RESERVED, OFF_R1, OFF_R1 + 4),
    E(first_not_phit, TDS_ERR_MALFORMED, TDHOB_R_FIRST_NOT_PHIT, 0, 0),
    E(phit_duplicate, TDS_ERR_MALFORMED, TDHOB_R_PHIT_DUPLICATE, OFF_X, OFF_X),
    E(phit_size, TDS_ERR_MALFORMED, TDHOB_R_PHIT_SIZE, 0, 2),
    E(phit_version, TDS_ERR_UNSUPPORTED, TDHOB_R_PHIT_VERSION, 0, 8),
    E(phit_boot_mode, TDS_ERR_MALFORMED, TDHOB_R_PHIT_BOOT_MODE, 0, 12),
    E(phit_memory_top_align, TDS_ERR_ALIGNMENT, TDHOB_R_PHIT_MEMORY_TOP_ALIGN, 0, 16),
    E(phit_free_top_align, TDS_ERR_ALIGNMENT, TDHOB_R_PHIT_FREE_TOP_ALIGN, 0, 32),
    E(phit_memory_order, TDS_ERR_MALFORMED, TDHOB_R_PHIT_MEMORY_ORDER, 0, 24),
    E(phit_end_mismatch, TDS_ERR_MALFORMED, TDHOB_R_PHIT_END_MISMATCH, 0, 48),
    E(phit_end_wrap, TDS_ERR_MALFORMED, TDHOB_R_PHIT_END_MISMATCH, 0, 48),
    E(phit_end_below_length, TDS_ERR_MALFORMED, TDHOB_R_PHIT_END_MISMATCH, 0, 48),
    E(hob_beyond_gpaw, TDS_ERR_OUT_OF_BOUNDS, TDHOB_R_HOB_BEYOND_GPAW, 0, 48),
    E(gpa_unaligned, TDS_ERR_ALIGNMENT, TDHOB_R_GPA_UNALIGNED, 0, 0),
    E(bad_gpaw, TDS_ERR_INVALID_ARG, TDHOB_R_BAD_GPAW, 0, 0),
    E(unknown_type, TDS_ERR_MALFORMED, TDHOB_R_UNKNOWN_TYPE, OFF_X, OFF_X),
    E(type_not_allowed, TDS_ERR_MALFORMED, TDHOB_R_TYPE_NOT_ALLOWED, OFF_X, OFF_X),
    E(resource_size, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_SIZE, OFF_X, OFF_X + 2),
    E(resource_type, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_TYPE, OFF_X, OFF_X + 24),
    E(resource_attr, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_ATTR, OFF_X, OFF_X + 28),
    E(resource_length_zero, TDS_ERR_MALFORMED, TDHOB_R_RANGE_LENGTH_ZERO, OFF_X, OFF_X + 40),
    E(resource_wrap, TDS_ERR_OVERFLOW, TDHOB_R_RANGE_WRAP, OFF_X, OFF_X + 40),
    E(resource_start_unaligned, TDS_ERR_ALIGNMENT, TDHOB_R_RANGE_UNALIGNED, OFF_X, OFF_X + 32),
    E(resource_length_unaligned, TDS_ERR_ALIGNMENT, TDHOB_R_RANGE_UNALIGNED, OFF_X, OFF_X + 40),
    E(resource_beyond_gpaw, TDS_ERR_OUT_OF_BOUNDS, TDHOB_R_RANGE_BEYOND_GPAW, OFF_X, OFF_X + 32),
    E(io_beyond_64k, TDS_ERR_OUT_OF_BOUNDS, TDHOB_R_RANGE_BEYOND_IO, OFF_X, OFF_X + 32),
    E(resource_overlap, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_OVERLAP, OFF_X, OFF_X + 32),
    E(resource_overlap_contains, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_OVERLAP, OFF_X, OFF_X + 32),
    E(resource_overlap_identical, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_OVERLAP, OFF_X, OFF_X + 32),
    E(io_overlap, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_OVERLAP, OFF_X + 96, OFF_X + 96 + 32),
    E(overlap_before_bad_hob, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_OVERLAP, OFF_X, OFF_X + 32),
    E(bad_hob_before_overlap, TDS_ERR_MALFORMED, TDHOB_R_UNKNOWN_TYPE, OFF_X, OFF_X),
    E(scratch_too_small, TDS_ERR_NO_SPACE, TDHOB_R_SCRATCH_TOO_SMALL, OFF_X, OFF_X),
    E(unaccepted_in_legacy, TDS_ERR_MALFORMED, TDHOB_R_UNACCEPTED_IN_LEGACY, 0, 0),
    E(memalloc_size, TDS_ERR_MALFORMED, TDHOB_R_MEMALLOC_SIZE, OFF_X, OFF_X + 2),
    E(memalloc_reserved, TDS_ERR_MALFORMED, TDHOB_R_MEMALLOC_RESERVED, OFF_X, OFF_X + 44),
    E(memalloc_type, TDS_ERR_MALFORMED, TDHOB_R_MEMALLOC_TYPE, OFF_X, OFF_X + 40),
    E(memalloc_wrap, TDS_ERR_OVERFLOW, TDHOB_R_RANGE_WRAP, OFF_X, OFF_X + 32),
    E(guid_truncated, TDS_ERR_MALFORMED, TDHOB_R_GUID_TRUNCATED, OFF_X, OFF_X + 2),
    E(guid_past_end, TDS_ERR_TRUNCATED, TDHOB_R_LENGTH_PAST_END, OFF_X, OFF_X + 2),
    E(payload_info_size, TDS_ERR_MALFORMED, TDHOB_R_PAYLOAD_INFO_SIZE, OFF_X, OFF_X + 2),
    E(payload_info_reserved, TDS_ERR_MALFORMED, TDHOB_R_PAYLOAD_INFO_RESERVED, OFF_X, OFF_X + 28),
    E(payload_info_type, TDS_ERR_MALFORMED, TDHOB_R_PAYLOAD_INFO_TYPE, OFF_X, OFF_X + 24),
    E(acpi_table_size, TDS_ERR_MALFORMED, TDHOB_R_ACPI_TABLE_SIZE, OFF_X, OFF_X + 28),
    E(e820_size, TDS_ERR_MALFORMED, TDHOB_R_E820_SIZE, OFF_X, OFF_X + 2),
    E(e820_entry, TDS_ERR_MALFORMED, TDHOB_R_E820_ENTRY, OFF_X, OFF_X + 24),
    E(fv_size, TDS_ERR_MALFORMED, TDHOB_R_FV_SIZE, OFF_X, OFF_X + 2),
    E(fv3_reserved, TDS_ERR_MALFORMED, TDHOB_R_FV_RESERVED, OFF_X, OFF_X + 30),
    E(fv_beyond_gpaw, TDS_ERR_OUT_OF_BOUNDS, TDHOB_R_RANGE_BEYOND_GPAW, OFF_X, OFF_X + 8),
    E(cpu_size, TDS_ERR_MALFORMED, TDHOB_R_CPU_SIZE, OFF_X, OFF_X + 2),
    E(cpu_reserved, TDS_ERR_MALFORMED, TDHOB_R_CPU_RESERVED, OFF_X, OFF_X + 15),
    E(cpu_space, TDS_ERR_MALFORMED, TDHOB_R_CPU_SPACE, OFF_X, OFF_X + 8),
    E(cpu_duplicate, TDS_ERR_MALFORMED, TDHOB_R_CPU_DUPLICATE, OFF_X + 16, OFF_X + 16),
    E(end_size, TDS_ERR_MALFORMED, TDHOB_R_END_SIZE, OFF_X, OFF_X + 2),
};
const size_t k_hostile_count = sizeof k_hostile / sizeof k_hostile[0];

const hostile_case *hostile_find(const char *name)
{
    for (size_t i = 0; i < k_hostile_count; i++) {
        if (strcmp(k_hostile[i].name, name) == 0) {
            return &k_hostile[i];
        }
    }
    return NULL;
}
