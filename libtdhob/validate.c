/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * TD HOB validator (the UEFI PI specification vol. 3, HOB list rules; edk2
 * MdePkg/Include/Pi/PiHob.h/5.4; td-shim td-shim-interface/src/td_uefi_pi/hob.rs). Every rule is
 * listed in docs/libtdhob.md. All reads go through tds_cursor; nothing is cast.
 *
 * One walk checks every HOB on its own and records each resource descriptor in the caller's
 * scratch; the overlap rule ("no overlap with an earlier resource of the same space") is then
 * checked on the sorted scratch (ranges.c) in O(n log n) instead of against every earlier
 * resource. The error reported is still the first one in list order: the walk stops at its first
 * error, and an overlap among the resources recorded before that point precedes it.
 */
#include "tdhob_internal.h"

/* Speculation barrier after a bounds check on VMM-controlled lengths (threat model S-1). */
static inline void tdhob_spec_barrier(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__("lfence" ::: "memory");
#endif
}

typedef struct vstate {
    tds_bytes buf;
    const tdhob_config *cfg;
    uint64_t gpa_limit;
    tdhob_error *err;
    size_t count[16];
    bool any_unaccepted;
    tdhob_phit phit;
    tdhob_scratch_entry *scratch; /* the caller's, cfg->scratch_cap entries */
    size_t nres;                  /* resources recorded in scratch[0..nres) (ordinal = index) */
    size_t nmem;                  /* of which memory space */
} vstate;

static tds_status fail(vstate *s, tds_status st, tdhob_reason r, size_t hob_off, size_t field_rel,
                       uint16_t type, uint64_t value)
{
    if (s->err != NULL) {
        s->err->reason = r;
        s->err->hob_offset = hob_off;
        s->err->field_offset = hob_off + field_rel;
        s->err->hob_type = type;
        s->err->value = value;
    }
    return st;
}

#define F(type, field) offsetof(type, field)

static bool boot_mode_known(uint32_t m)
{
    return m <= 0x07u || m == 0x10u || m == 0x11u || m == 0x12u || m == 0x20u;
}

/* Range rules shared by resources, allocations and FVs. rel_start/rel_len: field offsets. */
static tds_status check_range(vstate *s, size_t off, uint16_t type, size_t rel_start,
                              size_t rel_len, uint64_t start, uint64_t len, bool io_space)
{
    uint64_t end;
    if (len == 0) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_RANGE_LENGTH_ZERO, off, rel_len, type, 0);
    }
    if (tds_range_end(start, len, &end) != TDS_OK) {
        return fail(s, TDS_ERR_OVERFLOW, TDHOB_R_RANGE_WRAP, off, rel_len, type, len);
    }
    if (io_space) {
        if (end > TDHOB_IO_LIMIT) {
            return fail(s, TDS_ERR_OUT_OF_BOUNDS, TDHOB_R_RANGE_BEYOND_IO, off, rel_start, type,
                        end);
        }
        return TDS_OK;
    }
    if (!tds_is_aligned_u64(start, TDHOB_PAGE)) {
        return fail(s, TDS_ERR_ALIGNMENT, TDHOB_R_RANGE_UNALIGNED, off, rel_start, type, start);
    }
    if (!tds_is_aligned_u64(len, TDHOB_PAGE)) {
        return fail(s, TDS_ERR_ALIGNMENT, TDHOB_R_RANGE_UNALIGNED, off, rel_len, type, len);
    }
    if (end > s->gpa_limit) {
        return fail(s, TDS_ERR_OUT_OF_BOUNDS, TDHOB_R_RANGE_BEYOND_GPAW, off, rel_start, type, end);
    }
    return TDS_OK;
}

static tds_status check_phit(vstate *s, size_t off, uint16_t len, tds_cursor *c)
{
    if (s->count[TDHOB_TYPE_HANDOFF] != 0) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_PHIT_DUPLICATE, off, 0, TDHOB_TYPE_HANDOFF, 0);
    }
    if (len != sizeof(tdhob_wire_phit)) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_PHIT_SIZE, off, 2, TDHOB_TYPE_HANDOFF, len);
    }
    tdhob_phit p;
    TDS_TRY(tds_cursor_le32(c, &p.version));
    TDS_TRY(tds_cursor_le32(c, &p.boot_mode));
    TDS_TRY(tds_cursor_le64(c, &p.memory_top));
    TDS_TRY(tds_cursor_le64(c, &p.memory_bottom));
    TDS_TRY(tds_cursor_le64(c, &p.free_memory_top));
    TDS_TRY(tds_cursor_le64(c, &p.free_memory_bottom));
    TDS_TRY(tds_cursor_le64(c, &p.end_of_hob_list));
    const uint16_t t = TDHOB_TYPE_HANDOFF;
    if (p.version != TDHOB_PHIT_VERSION) {
        return fail(s, TDS_ERR_UNSUPPORTED, TDHOB_R_PHIT_VERSION, off, F(tdhob_wire_phit, version),
                    t, p.version);
    }
    if (!boot_mode_known(p.boot_mode)) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_PHIT_BOOT_MODE, off,
                    F(tdhob_wire_phit, boot_mode), t, p.boot_mode);
    }
    if (!tds_is_aligned_u64(p.memory_top, TDHOB_PAGE)) {
        return fail(s, TDS_ERR_ALIGNMENT, TDHOB_R_PHIT_MEMORY_TOP_ALIGN, off,
                    F(tdhob_wire_phit, efi_memory_top), t, p.memory_top);
    }
    if (!tds_is_aligned_u64(p.free_memory_top, TDHOB_PAGE)) {
        return fail(s, TDS_ERR_ALIGNMENT, TDHOB_R_PHIT_FREE_TOP_ALIGN, off,
                    F(tdhob_wire_phit, efi_free_memory_top), t, p.free_memory_top);
    }
    if (p.memory_bottom > p.memory_top) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_PHIT_MEMORY_ORDER, off,
                    F(tdhob_wire_phit, efi_memory_bottom), t, p.memory_bottom);
    }
    if (p.free_memory_bottom > p.free_memory_top) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_PHIT_MEMORY_ORDER, off,
                    F(tdhob_wire_phit, efi_free_memory_bottom), t, p.free_memory_bottom);
    }
    s->phit = p;
    return TDS_OK;
}

/* Record a resource that passed its own checks in the next scratch entry. */
static tds_status record_resource(vstate *s, size_t off, uint32_t type, uint64_t start,
                                  uint64_t length)
{
    uint64_t end;
    if (s->nres >= s->cfg->scratch_cap) {
        return fail(s, TDS_ERR_NO_SPACE, TDHOB_R_SCRATCH_TOO_SMALL, off, 0,
                    TDHOB_TYPE_RESOURCE_DESCRIPTOR, (uint64_t)s->cfg->scratch_cap);
    }
    TDS_TRY(tds_range_end(start, length, &end)); /* checked by check_range: cannot wrap */
    tdhob_scratch_entry e = {start, end, tdhob_tag_make(s->nres, type)};
    s->scratch[s->nres] = e;
    s->nres++;
    if (!tdhob_is_io_type(type)) {
        s->nmem++;
    }
    return TDS_OK;
}

static tds_status check_resource(vstate *s, size_t off, uint16_t len, tds_cursor *c)
{
    const uint16_t t = TDHOB_TYPE_RESOURCE_DESCRIPTOR;
    if (len != sizeof(tdhob_wire_resource)) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_SIZE, off, 2, t, len);
    }
    uint32_t type;
    uint32_t attr;
    uint64_t start;
    uint64_t length;
    TDS_TRY(tds_cursor_skip(c, 16)); /* owner GUID: any value */
    TDS_TRY(tds_cursor_le32(c, &type));
    TDS_TRY(tds_cursor_le32(c, &attr));
    TDS_TRY(tds_cursor_le64(c, &start));
    TDS_TRY(tds_cursor_le64(c, &length));
    if (type >= TDHOB_RES_TYPE_COUNT) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_TYPE, off,
                    F(tdhob_wire_resource, resource_type), t, type);
    }
    if ((attr & ~TDHOB_ATTR_KNOWN_MASK) != 0) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_ATTR, off,
                    F(tdhob_wire_resource, resource_attribute), t, attr);
    }
    const bool io = tdhob_is_io_type(type);
    TDS_TRY(check_range(s, off, t, F(tdhob_wire_resource, physical_start),
                        F(tdhob_wire_resource, resource_length), start, length, io));
    /* Overlaps are checked after the walk, on the sorted scratch (check_overlaps). */
    TDS_TRY(record_resource(s, off, type, start, length));
    if (type == TDHOB_RES_MEMORY_UNACCEPTED) {
        s->any_unaccepted = true;
    }
    return TDS_OK;
}

static tds_status check_memalloc(vstate *s, size_t off, uint16_t len, tds_cursor *c)
{
    const uint16_t t = TDHOB_TYPE_MEMORY_ALLOCATION;
    if (len != sizeof(tdhob_wire_memalloc)) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_MEMALLOC_SIZE, off, 2, t, len);
    }
    uint64_t base;
    uint64_t length;
    uint32_t mtype;
    uint32_t reserved;
    TDS_TRY(tds_cursor_skip(c, 16)); /* name GUID: any value */
    TDS_TRY(tds_cursor_le64(c, &base));
    TDS_TRY(tds_cursor_le64(c, &length));
    TDS_TRY(tds_cursor_le32(c, &mtype));
    TDS_TRY(tds_cursor_le32(c, &reserved));
    /* EFI_MEMORY_TYPE: 0..15 (15 = EfiUnacceptedMemoryType), OEM 0x7000_0000+, OS 0x8000_0000+ */
    if (mtype > 15u && mtype < 0x70000000u) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_MEMALLOC_TYPE, off,
                    F(tdhob_wire_memalloc, memory_type), t, mtype);
    }
    if (reserved != 0) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_MEMALLOC_RESERVED, off,
                    F(tdhob_wire_memalloc, reserved), t, reserved);
    }
    return check_range(s, off, t, F(tdhob_wire_memalloc, memory_base_address),
                       F(tdhob_wire_memalloc, memory_length), base, length, false);
}

static tds_status check_guid_data(vstate *s, size_t off, const tds_guid *name, tds_bytes data)
{
    const uint16_t t = TDHOB_TYPE_GUID_EXTENSION;
    const size_t d = sizeof(tdhob_wire_guid);
    if (tds_guid_equal(name, &tdhob_guid_payload_info)) {
        if (data.len < sizeof(tdhob_wire_payload_info)) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_PAYLOAD_INFO_SIZE, off, 2, t, data.len);
        }
        uint32_t image_type = tds_load_le32(data.ptr);
        uint32_t reserved = tds_load_le32(data.ptr + F(tdhob_wire_payload_info, reserved));
        if (reserved != 0) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_PAYLOAD_INFO_RESERVED, off,
                        d + F(tdhob_wire_payload_info, reserved), t, reserved);
        }
        if (image_type > TDHOB_PAYLOAD_RAW_VMLINUX) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_PAYLOAD_INFO_TYPE, off, d, t, image_type);
        }
    } else if (tds_guid_equal(name, &tdhob_guid_acpi_table)) {
        if (data.len < TDHOB_ACPI_HEADER_SIZE) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_ACPI_TABLE_SIZE, off, 2, t, data.len);
        }
        uint32_t tlen = tds_load_le32(data.ptr + TDHOB_ACPI_LENGTH_OFFSET);
        /* The table fills the data up to the producer's padding (< 8 bytes). */
        if (tlen < TDHOB_ACPI_HEADER_SIZE || tlen > data.len || data.len - tlen >= 8u) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_ACPI_TABLE_SIZE, off,
                        d + TDHOB_ACPI_LENGTH_OFFSET, t, tlen);
        }
    } else if (tds_guid_equal(name, &tdhob_guid_e820_table)) {
        const size_t esz = sizeof(tdhob_wire_e820);
        size_t n = data.len / esz;
        size_t rem = data.len % esz;
        if (n == 0 || rem >= 8u) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_E820_SIZE, off, 2, t, data.len);
        }
        for (size_t i = n * esz; i < data.len; i++) {
            if (data.ptr[i] != 0) {
                return fail(s, TDS_ERR_MALFORMED, TDHOB_R_E820_SIZE, off, d + i, t, data.len);
            }
        }
        for (size_t i = 0; i < n; i++) {
            tdhob_e820_entry e;
            TDS_TRY(tdhob_e820_hob_entry(data, i, &e));
            uint64_t end;
            if (e.size == 0 || tds_range_end(e.addr, e.size, &end) != TDS_OK) {
                return fail(s, TDS_ERR_MALFORMED, TDHOB_R_E820_ENTRY, off, d + i * esz, t, e.size);
            }
        }
    }
    return TDS_OK;
}

static tds_status check_guid(vstate *s, size_t off, uint16_t len, tds_cursor *c)
{
    if (len < sizeof(tdhob_wire_guid)) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_GUID_TRUNCATED, off, 2, TDHOB_TYPE_GUID_EXTENSION,
                    len);
    }
    tds_guid name;
    tds_bytes data;
    TDS_TRY(tds_cursor_copy(c, name.b, sizeof name.b));
    TDS_TRY(tds_cursor_take(c, (size_t)len - sizeof(tdhob_wire_guid), &data));
    return check_guid_data(s, off, &name, data);
}

static tds_status check_fv(vstate *s, size_t off, uint16_t type, uint16_t len, tds_cursor *c)
{
    size_t want = type == TDHOB_TYPE_FV    ? sizeof(tdhob_wire_fv)
                  : type == TDHOB_TYPE_FV2 ? sizeof(tdhob_wire_fv2)
                                           : sizeof(tdhob_wire_fv3);
    if (len != want) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_FV_SIZE, off, 2, type, len);
    }
    uint64_t base;
    uint64_t length;
    TDS_TRY(tds_cursor_le64(c, &base));
    TDS_TRY(tds_cursor_le64(c, &length));
    if (type == TDHOB_TYPE_FV3) {
        uint32_t auth;
        uint8_t extracted;
        tds_bytes pad;
        TDS_TRY(tds_cursor_le32(c, &auth));
        TDS_TRY(tds_cursor_u8(c, &extracted));
        TDS_TRY(tds_cursor_take(c, 3, &pad));
        if (extracted > 1u) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_FV_RESERVED, off,
                        F(tdhob_wire_fv3, extracted_fv), type, extracted);
        }
        for (size_t i = 0; i < pad.len; i++) {
            if (pad.ptr[i] != 0) {
                return fail(s, TDS_ERR_MALFORMED, TDHOB_R_FV_RESERVED, off,
                            F(tdhob_wire_fv3, pad) + i, type, pad.ptr[i]);
            }
        }
    }
    return check_range(s, off, type, F(tdhob_wire_fv, base_address), F(tdhob_wire_fv, length), base,
                       length, false);
}

static tds_status check_cpu(vstate *s, size_t off, uint16_t len, tds_cursor *c)
{
    const uint16_t t = TDHOB_TYPE_CPU;
    if (len != sizeof(tdhob_wire_cpu)) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_CPU_SIZE, off, 2, t, len);
    }
    if (s->count[TDHOB_TYPE_CPU] != 0) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_CPU_DUPLICATE, off, 0, t, 0);
    }
    uint8_t mem_bits;
    uint8_t io_bits;
    tds_bytes reserved;
    TDS_TRY(tds_cursor_u8(c, &mem_bits));
    TDS_TRY(tds_cursor_u8(c, &io_bits));
    TDS_TRY(tds_cursor_take(c, 6, &reserved));
    if (mem_bits == 0 || mem_bits > 64u) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_CPU_SPACE, off,
                    F(tdhob_wire_cpu, size_of_memory_space), t, mem_bits);
    }
    if (io_bits > 32u) {
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_CPU_SPACE, off,
                    F(tdhob_wire_cpu, size_of_io_space), t, io_bits);
    }
    for (size_t i = 0; i < reserved.len; i++) {
        if (reserved.ptr[i] != 0) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_CPU_RESERVED, off,
                        F(tdhob_wire_cpu, reserved) + i, t, reserved.ptr[i]);
        }
    }
    return TDS_OK;
}

/* Type-specific rules for the HOB at `off` whose body is in `c` (positioned after the header). */
static tds_status check_body(vstate *s, size_t off, uint16_t type, uint16_t len, tds_cursor *c)
{
    switch (type) {
    case TDHOB_TYPE_HANDOFF: return check_phit(s, off, len, c);
    case TDHOB_TYPE_MEMORY_ALLOCATION: return check_memalloc(s, off, len, c);
    case TDHOB_TYPE_RESOURCE_DESCRIPTOR: return check_resource(s, off, len, c);
    case TDHOB_TYPE_GUID_EXTENSION: return check_guid(s, off, len, c);
    case TDHOB_TYPE_FV:
    case TDHOB_TYPE_FV2:
    case TDHOB_TYPE_FV3: return check_fv(s, off, type, len, c);
    case TDHOB_TYPE_CPU: return check_cpu(s, off, len, c);
    case TDHOB_TYPE_END_OF_HOB_LIST:
        if (len != sizeof(tdhob_wire_header)) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_END_SIZE, off, 2, type, len);
        }
        return TDS_OK;
    case TDHOB_TYPE_MEMORY_POOL:
    case TDHOB_TYPE_LOAD_PEIM_UNUSED:
    case TDHOB_TYPE_UEFI_CAPSULE:
    case TDHOB_TYPE_UNUSED:
        return fail(s, TDS_ERR_MALFORMED, TDHOB_R_TYPE_NOT_ALLOWED, off, 0, type, type);
    default: return fail(s, TDS_ERR_MALFORMED, TDHOB_R_UNKNOWN_TYPE, off, 0, type, type);
    }
}

/* Walk headers until END; *end_off = offset just past END. */
static tds_status walk(vstate *s, size_t *end_off)
{
    size_t off = 0;
    for (;;) {
        const size_t rem = s->buf.len - off;
        if (rem == 0) {
            return fail(s, TDS_ERR_TRUNCATED, TDHOB_R_END_MISSING, off, 0, 0, 0);
        }
        if (rem < sizeof(tdhob_wire_header)) {
            return fail(s, TDS_ERR_TRUNCATED, TDHOB_R_HEADER_TRUNCATED, off, 0, 0, rem);
        }
        tds_bytes rest;
        TDS_TRY(tds_bytes_sub(s->buf, off, rem, &rest));
        tds_cursor c = tds_cursor_make(rest);
        uint16_t type;
        uint16_t len;
        uint32_t reserved;
        TDS_TRY(tds_cursor_le16(&c, &type));
        TDS_TRY(tds_cursor_le16(&c, &len));
        TDS_TRY(tds_cursor_le32(&c, &reserved));
        if (len == 0) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_LENGTH_ZERO, off, 2, type, 0);
        }
        if (len < sizeof(tdhob_wire_header)) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_LENGTH_TOO_SMALL, off, 2, type, len);
        }
        if ((len & 7u) != 0) {
            return fail(s, TDS_ERR_ALIGNMENT, TDHOB_R_LENGTH_UNALIGNED, off, 2, type, len);
        }
        if (len > rem) {
            return fail(s, TDS_ERR_TRUNCATED, TDHOB_R_LENGTH_PAST_END, off, 2, type, len);
        }
        tdhob_spec_barrier();
        if (reserved != 0) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_HEADER_RESERVED, off, 4, type, reserved);
        }
        if (off == 0 && type != TDHOB_TYPE_HANDOFF) {
            return fail(s, TDS_ERR_MALFORMED, TDHOB_R_FIRST_NOT_PHIT, off, 0, type, type);
        }
        /* The body cursor covers exactly this HOB. */
        tds_bytes body;
        TDS_TRY(tds_bytes_sub(rest, 0, len, &body));
        tds_cursor bc = tds_cursor_make(body);
        TDS_TRY(tds_cursor_skip(&bc, sizeof(tdhob_wire_header)));
        TDS_TRY(check_body(s, off, type, len, &bc));
        int slot = tdhob_slot(type);
        if (slot >= 0) {
            s->count[slot]++;
        }
        off += len;
        if (type == TDHOB_TYPE_END_OF_HOB_LIST) {
            *end_off = off;
            return TDS_OK;
        }
    }
}

/* Offset of the header of the resource descriptor with this ordinal (list order), walking the
 * headers the walk already accepted. */
static tds_status resource_offset(tds_bytes buf, uint64_t ordinal, size_t *out)
{
    size_t off = 0;
    uint64_t seen = 0;
    while (buf.len - off >= sizeof(tdhob_wire_header)) {
        const uint16_t type = tds_load_le16(buf.ptr + off);
        const uint16_t len = tds_load_le16(buf.ptr + off + 2u);
        if (len < sizeof(tdhob_wire_header) || len > buf.len - off) {
            break;
        }
        if (type == TDHOB_TYPE_RESOURCE_DESCRIPTOR) {
            if (seen == ordinal) {
                *out = off;
                return TDS_OK;
            }
            seen++;
        }
        off += len;
    }
    return TDS_ERR_STATE; /* the walk recorded this resource: cannot happen */
}

/*
 * The overlap rule over the resources the walk recorded (every one before its first error, if
 * any): sort them, find the first resource in list order that overlaps an earlier one of its
 * space, and report it as a walk checking each resource in turn against the earlier ones would.
 */
static tds_status check_overlaps(vstate *s)
{
    tdhob_sort_ranges(s->scratch, s->nres);
    uint64_t k;
    if (!tdhob_first_overlap(s->scratch, s->nres, &k)) {
        return TDS_OK;
    }
    uint64_t start = 0;
    for (size_t i = 0; i < s->nres; i++) {
        if (tdhob_tag_ordinal(s->scratch[i].tag) == k) {
            start = s->scratch[i].start;
        }
    }
    size_t off;
    TDS_TRY(resource_offset(s->buf, k, &off));
    return fail(s, TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_OVERLAP, off,
                F(tdhob_wire_resource, physical_start), TDHOB_TYPE_RESOURCE_DESCRIPTOR, start);
}

/* The scratch must be a well-formed array of its own: NULL only when empty, not wrapping, and
 * not inside the HOB bytes it would be written over while they are read. */
static bool scratch_ok(tds_bytes hob, const tdhob_config *cfg)
{
    if (cfg->scratch == NULL) {
        return cfg->scratch_cap == 0;
    }
    size_t bytes;
    if (tds_mul_size(cfg->scratch_cap, sizeof(tdhob_scratch_entry), &bytes) != TDS_OK) {
        return false;
    }
    const tds_bytes sb = tds_bytes_make(cfg->scratch, bytes);
    if (!tds_bytes_valid(sb)) {
        return false;
    }
    if (bytes == 0 || hob.len == 0) {
        return true;
    }
    const uintptr_t s0 = (uintptr_t)sb.ptr;
    const uintptr_t h0 = (uintptr_t)hob.ptr;
    /* Both ranges are non-empty and do not wrap; disjoint iff one ends before the other. */
    return s0 + (bytes - 1u) < h0 || h0 + (hob.len - 1u) < s0;
}

tds_status tdhob_validate(tds_bytes hob, const tdhob_config *cfg, tdhob_view *view,
                          tdhob_error *err)
{
    if (err != NULL) {
        memset(err, 0, sizeof *err);
        err->reason = TDHOB_R_BAD_ARG;
    }
    if (cfg == NULL || view == NULL || !tds_bytes_valid(hob)) {
        return TDS_ERR_INVALID_ARG;
    }
    vstate s;
    memset(&s, 0, sizeof s);
    s.buf = hob;
    s.cfg = cfg;
    s.err = err;
    if (cfg->gpaw != 48u && cfg->gpaw != 52u) {
        return fail(&s, TDS_ERR_INVALID_ARG, TDHOB_R_BAD_GPAW, 0, 0, 0, cfg->gpaw);
    }
    if (cfg->convention != TDHOB_CONV_AUTO && cfg->convention != TDHOB_CONV_CURRENT &&
        cfg->convention != TDHOB_CONV_LEGACY) {
        return fail(&s, TDS_ERR_INVALID_ARG, TDHOB_R_BAD_ARG, 0, 0, 0, (uint64_t)cfg->convention);
    }
    if (!scratch_ok(hob, cfg)) {
        return fail(&s, TDS_ERR_INVALID_ARG, TDHOB_R_BAD_ARG, 0, 0, 0, (uint64_t)cfg->scratch_cap);
    }
    s.scratch = cfg->scratch;
    s.gpa_limit = 1ull << (cfg->gpaw - 1u);
    if (!cfg->gpa_from_phit && !tds_is_aligned_u64(cfg->hob_gpa, 8)) {
        return fail(&s, TDS_ERR_ALIGNMENT, TDHOB_R_GPA_UNALIGNED, 0, 0, 0, cfg->hob_gpa);
    }

    size_t end_off = 0;
    const tds_status walked = walk(&s, &end_off);
    /* An overlap among the resources before the walk's first error comes before that error. */
    TDS_TRY(check_overlaps(&s));
    TDS_TRY(walked);

    /* PHIT.EfiEndOfHobList must name the byte right after END (td-shim check_hob_integrity). */
    const size_t end_field = offsetof(tdhob_wire_phit, efi_end_of_hob_list);
    uint64_t gpa = cfg->hob_gpa;
    if (cfg->gpa_from_phit) {
        if (tds_sub_u64(s.phit.end_of_hob_list, (uint64_t)end_off, &gpa) != TDS_OK) {
            return fail(&s, TDS_ERR_MALFORMED, TDHOB_R_PHIT_END_MISMATCH, 0, end_field,
                        TDHOB_TYPE_HANDOFF, s.phit.end_of_hob_list);
        }
        if (!tds_is_aligned_u64(gpa, 8)) {
            return fail(&s, TDS_ERR_ALIGNMENT, TDHOB_R_GPA_UNALIGNED, 0, end_field,
                        TDHOB_TYPE_HANDOFF, gpa);
        }
    } else {
        uint64_t want;
        if (tds_add_u64(gpa, (uint64_t)end_off, &want) != TDS_OK ||
            want != s.phit.end_of_hob_list) {
            return fail(&s, TDS_ERR_MALFORMED, TDHOB_R_PHIT_END_MISMATCH, 0, end_field,
                        TDHOB_TYPE_HANDOFF, s.phit.end_of_hob_list);
        }
    }
    if (s.phit.end_of_hob_list > s.gpa_limit) {
        return fail(&s, TDS_ERR_OUT_OF_BOUNDS, TDHOB_R_HOB_BEYOND_GPAW, 0, end_field,
                    TDHOB_TYPE_HANDOFF, s.phit.end_of_hob_list);
    }

    tdhob_convention conv = cfg->convention;
    if (conv == TDHOB_CONV_AUTO) {
        conv = s.any_unaccepted ? TDHOB_CONV_CURRENT : TDHOB_CONV_LEGACY;
    } else if (conv == TDHOB_CONV_LEGACY && s.any_unaccepted) {
        return fail(&s, TDS_ERR_MALFORMED, TDHOB_R_UNACCEPTED_IN_LEGACY, 0, 0, 0, 0);
    }

    tdhob_view v;
    memset(&v, 0, sizeof v);
    TDS_TRY(tds_bytes_sub(hob, 0, end_off, &v.hob));
    v.hob_gpa = gpa;
    v.gpa_limit = s.gpa_limit;
    v.gpaw = cfg->gpaw;
    v.convention = conv;
    memcpy(v.count, s.count, sizeof v.count);
    v.ranges = s.scratch;
    v.range_count = s.nres;
    v.mem_count = s.nmem;
    v.magic = TDHOB_VIEW_MAGIC;
    *view = v;
    if (err != NULL) {
        err->reason = TDHOB_R_NONE;
    }
    return TDS_OK;
}
