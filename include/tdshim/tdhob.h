/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libtdhob: TD HOB validator and payload HOB builder. Contract: docs/libtdhob.md.
 *
 * Trust: the TD HOB comes from the VMM, which is outside the TCB (the TDVF design guide, TD HOB).
 * The caller MUST copy it into private memory it owns (and measure it) before calling
 * tdhob_validate(), and MUST NOT modify those bytes while a view on them is in use: the view
 * borrows the caller's buffer, it copies nothing. tdhob_validate() checks everything once; every
 * accessor takes only the checked view and never meets a byte the validator did not accept.
 *
 * Ownership: all storage (the HOB bytes, the sort scratch, the view, memory-map arrays, builder
 * buffers) belongs to the caller. The library allocates nothing, does not recurse and keeps no
 * global state. A view borrows two caller buffers: the HOB bytes and the sort scratch given in
 * tdhob_config; both MUST stay alive and unchanged while the view is used.
 *
 * Cost: validation is O(n log n) in the number n of resource descriptors (one walk over the
 * list, an in-place heapsort of the scratch, linear overlap passes); the memory map, E820 and
 * RAM summary are O(n) over the sorted scratch.
 */
#ifndef TDSHIM_TDHOB_H
#define TDSHIM_TDHOB_H

/*
 * Thread safety: no state in the library. tdhob_validate and the accessors are as described at
 * tdhob_validate (one scratch per concurrent validation; any number of readers of one view). A
 * tdhob_builder is state of one user: one thread at a time per builder.
 */

#include "tdshim/base.h"
#include "tdshim/tdhob_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library interface version; bumped on any incompatible change. */
#define TDHOB_API_VERSION 2u

uint32_t tdhob_api_version(void);

/* ---------------------------------------------------------------------------------------------
 * Errors: a tds_status says what to do; tdhob_error says exactly what was wrong and where.
 */
typedef enum tdhob_reason {
    TDHOB_R_NONE = 0,
    TDHOB_R_BAD_ARG,               /* NULL pointer, invalid slice, bad config */
    TDHOB_R_BAD_GPAW,              /* config GPAW is not 48 or 52 */
    TDHOB_R_GPA_UNALIGNED,         /* HOB GPA (given or derived) not 8-byte aligned */
    TDHOB_R_END_MISSING,           /* buffer ended exactly at a HOB boundary without END */
    TDHOB_R_HEADER_TRUNCATED,      /* fewer than 8 bytes left for a HOB header */
    TDHOB_R_LENGTH_ZERO,           /* HobLength == 0 */
    TDHOB_R_LENGTH_TOO_SMALL,      /* 0 < HobLength < 8 */
    TDHOB_R_LENGTH_UNALIGNED,      /* HobLength not a multiple of 8 */
    TDHOB_R_LENGTH_PAST_END,       /* HOB runs past the end of the buffer */
    TDHOB_R_HEADER_RESERVED,       /* header Reserved != 0 */
    TDHOB_R_FIRST_NOT_PHIT,        /* first HOB is not the PHIT */
    TDHOB_R_PHIT_DUPLICATE,        /* a second PHIT */
    TDHOB_R_PHIT_SIZE,             /* PHIT HobLength != 56 */
    TDHOB_R_PHIT_VERSION,          /* PHIT Version != 9 */
    TDHOB_R_PHIT_BOOT_MODE,        /* BootMode not in the PI list */
    TDHOB_R_PHIT_MEMORY_TOP_ALIGN, /* EfiMemoryTop not 4 KiB aligned (td-shim) */
    TDHOB_R_PHIT_FREE_TOP_ALIGN,   /* EfiFreeMemoryTop not 4 KiB aligned (OVMF) */
    TDHOB_R_PHIT_MEMORY_ORDER,     /* EfiMemoryBottom > EfiMemoryTop or free bottom > free top */
    TDHOB_R_PHIT_END_MISMATCH,     /* EfiEndOfHobList != GPA + walked length (or wraps) */
    TDHOB_R_HOB_BEYOND_GPAW,       /* the HOB's own GPA range is not below the shared bit */
    TDHOB_R_UNKNOWN_TYPE,          /* HOB type outside the PI list */
    TDHOB_R_TYPE_NOT_ALLOWED,      /* PI type a TD HOB must not carry (pool, capsule, unused...) */
    TDHOB_R_RESOURCE_SIZE,         /* resource descriptor HobLength != 48 */
    TDHOB_R_RESOURCE_TYPE,         /* ResourceType > 7 */
    TDHOB_R_RESOURCE_ATTR,         /* unknown ResourceAttribute bits */
    TDHOB_R_RANGE_LENGTH_ZERO,     /* a resource / allocation / FV length of 0 */
    TDHOB_R_RANGE_WRAP,            /* start + length wraps past 2^64 */
    TDHOB_R_RANGE_UNALIGNED,       /* memory range start or length not 4 KiB aligned */
    TDHOB_R_RANGE_BEYOND_GPAW,     /* memory range end above 2^(GPAW-1) (shared bit) */
    TDHOB_R_RANGE_BEYOND_IO,       /* I/O range end above 0x10000 */
    TDHOB_R_RESOURCE_OVERLAP,      /* overlaps an earlier resource of the same space */
    TDHOB_R_UNACCEPTED_IN_LEGACY,  /* type 7 present but the legacy convention was forced */
    TDHOB_R_MEMALLOC_SIZE,         /* memory allocation HobLength != 48 */
    TDHOB_R_MEMALLOC_RESERVED,     /* memory allocation Reserved bytes != 0 */
    TDHOB_R_MEMALLOC_TYPE,         /* EFI memory type not valid */
    TDHOB_R_GUID_TRUNCATED,        /* GUID HOB shorter than 24 bytes */
    TDHOB_R_PAYLOAD_INFO_SIZE,     /* payload-info GUID data shorter than 16 bytes */
    TDHOB_R_PAYLOAD_INFO_RESERVED, /* payload-info Reserved != 0 */
    TDHOB_R_PAYLOAD_INFO_TYPE,     /* payload-info ImageType not 0..3 */
    TDHOB_R_ACPI_TABLE_SIZE,       /* ACPI GUID HOB: table header missing or length mismatch */
    TDHOB_R_E820_SIZE,             /* E820 GUID HOB: data not whole entries (+ <8 zero pad) */
    TDHOB_R_E820_ENTRY,            /* E820 GUID HOB entry with zero size or wrap */
    TDHOB_R_FV_SIZE,               /* FV/FV2/FV3 HobLength != 24/56/64 */
    TDHOB_R_FV_RESERVED,           /* FV3 padding != 0 or ExtractedFv not 0/1 */
    TDHOB_R_CPU_SIZE,              /* CPU HobLength != 16 */
    TDHOB_R_CPU_RESERVED,          /* CPU Reserved bytes != 0 */
    TDHOB_R_CPU_SPACE,             /* SizeOfMemorySpace not 1..64 or SizeOfIoSpace > 32 */
    TDHOB_R_CPU_DUPLICATE,         /* a second CPU HOB */
    TDHOB_R_END_SIZE,              /* END HobLength != 8 */
    TDHOB_R_SCRATCH_TOO_SMALL,     /* the sort scratch has no entry left for this resource */
    TDHOB_R_COUNT_
} tdhob_reason;

typedef struct tdhob_error {
    tdhob_reason reason;
    size_t hob_offset;   /* byte offset of the offending HOB's header in the buffer */
    size_t field_offset; /* byte offset of the offending field (== hob_offset for header faults) */
    uint16_t hob_type;   /* type of the offending HOB (0 when none was read) */
    uint64_t value;      /* the offending value (length, type, address...), 0 when none */
} tdhob_error;

/* Short stable text for a reason. Never NULL. */
const char *tdhob_reason_str(tdhob_reason r);

/* ---------------------------------------------------------------------------------------------
 * Validation.
 */
typedef enum tdhob_convention {
    TDHOB_CONV_AUTO = 0, /* current if any type-7 resource is present, else legacy */
    TDHOB_CONV_CURRENT,  /* QEMU today: 0 = added (accepted), 7 = unaccepted */
    TDHOB_CONV_LEGACY,   /* old VMMs: 0 = unaccepted, 5 (reserved) = added (accepted) */
} tdhob_convention;

/*
 * Sort scratch: one entry per resource descriptor of the list. The caller provides the array
 * (tdhob_config.scratch); tdhob_validate() fills it, sorts it in place, checks overlaps on it, and
 * the view it returns keeps reading it (memory map, E820, RAM summary). Fields are private.
 */
typedef struct tdhob_scratch_entry {
    uint64_t start; /* range start */
    uint64_t end;   /* exclusive end (validated: no wrap) */
    uint64_t tag;   /* (resource ordinal in list order << 3) | ResourceType */
} tdhob_scratch_entry;
TDS_ASSERT_SIZE(tdhob_scratch_entry, 24);

/*
 * Scratch entries that are always enough for a HOB buffer of `hob_bytes` bytes: only resource
 * descriptors (48 bytes each, PI spec vol. 3 EFI_HOB_RESOURCE_DESCRIPTOR) take an entry, and they
 * follow the 56-byte PHIT that must come first, so a buffer of B bytes holds at most
 * (B - 56) / 48 of them, whether or not the list in it is valid. Memory allocations and FVs are
 * not overlap-checked and take none. TDHOB_SCRATCH_ENTRIES(128 KiB) = 2729 (65,496 bytes).
 * An integer constant expression when hob_bytes is one (static arrays).
 */
#define TDHOB_SCRATCH_ENTRIES(hob_bytes)                                                           \
    ((size_t)(hob_bytes) < sizeof(tdhob_wire_phit)                                                 \
         ? (size_t)0                                                                               \
         : ((size_t)(hob_bytes) - sizeof(tdhob_wire_phit)) / sizeof(tdhob_wire_resource))

typedef struct tdhob_config {
    uint64_t hob_gpa;   /* GPA the HOB was read from (EfiEndOfHobList check) */
    bool gpa_from_phit; /* true: derive hob_gpa = EfiEndOfHobList - walked length (tools) */
    uint32_t gpaw;      /* guest physical address width: 48 or 52 (TDG.VP.INFO) */
    tdhob_convention convention;
    /* Sort scratch, scratch_cap entries, caller-owned; TDHOB_SCRATCH_ENTRIES(hob.len) always
     * suffices. NULL is allowed only with scratch_cap 0, which validates only lists without
     * resource descriptors. Must not overlap the HOB bytes. Overwritten by every tdhob_validate
     * call (also on failure); after a success the view borrows it. */
    tdhob_scratch_entry *scratch;
    size_t scratch_cap;
} tdhob_config;

/* The checked view. Produced only by tdhob_validate(); treat every field as private. */
typedef struct tdhob_view {
    tds_bytes hob;      /* [0, length) of the caller's buffer: PHIT .. END inclusive */
    uint64_t hob_gpa;   /* GPA of byte 0 */
    uint64_t gpa_limit; /* 2^(GPAW-1): first shared GPA */
    uint32_t gpaw;
    tdhob_convention convention;       /* resolved: CURRENT or LEGACY */
    size_t count[16];                  /* HOBs per type slot (see tdhob_count) */
    const tdhob_scratch_entry *ranges; /* the caller's scratch, sorted: memory space by start, */
    size_t range_count;                /* then I/O space by start; one per resource descriptor */
    size_t mem_count;                  /* memory-space entries: ranges[0 .. mem_count) */
    uint32_t magic;                    /* set by tdhob_validate */
} tdhob_view;

/*
 * Measure before parse: how many bytes of a TD_HOB section a firmware extends into RTMR0 before
 * it validates them, so that even a list the validator refuses shows in the measurement. Reads
 * only the first HOB header and, when that is a 56-byte PHIT, its EfiEndOfHobList: if that names
 * a list end inside the section (EfiEndOfHobList - gpa a multiple of 8, at least a PHIT and an END
 * long, at most section.len) *len is that length, which for every list tdhob_validate accepts is
 * exactly the validated list (PHIT .. END); otherwise *len is the whole section. Never fails on
 * content; TDS_ERR_INVALID_ARG for an empty or ill-formed slice or a NULL len. This is td-shim's
 * "td_hob" event payload for a valid list (the whole list).
 */
TDS_MUST_USE tds_status tdhob_measured_length(tds_bytes section, uint64_t gpa, size_t *len);

/*
 * Validate the HOB list in `hob` in one pass. On success *view is written and *err is cleared;
 * on failure *view is untouched and *err says why (err may be NULL). Bytes after the END HOB are
 * ignored (the TD_HOB section is usually larger than the list).
 *
 * The error reported is the first one in list order, exactly as a check of each HOB in turn
 * would find it. For overlapping resources that is the resource that overlaps one EARLIER in the
 * list (same space: memory or I/O), and among those the earliest in the list; hob_offset is its
 * header, field_offset its PhysicalStart, value its PhysicalStart.
 *
 * Scratch: each resource descriptor that passes its own checks takes the next scratch entry; the
 * first one that finds none fails with TDS_ERR_NO_SPACE, TDHOB_R_SCRATCH_TOO_SMALL (hob_offset =
 * field_offset = that resource, value = scratch_cap) unless an error earlier in the list (an
 * overlap among the resources already recorded included) comes first. Overlaps are never skipped.
 *
 * Statuses: TDS_ERR_INVALID_ARG, _TRUNCATED, _MALFORMED, _ALIGNMENT, _OVERFLOW, _OUT_OF_BOUNDS,
 * _UNSUPPORTED (PHIT version), _NO_SPACE (scratch); the reason is in err.
 *
 * Thread safety: writes only *view, *err and the scratch; concurrent calls need their own
 * scratch. Accessors only read the view, the HOB bytes and the scratch: any number of threads may
 * use one view while nobody writes those.
 */
TDS_MUST_USE tds_status tdhob_validate(tds_bytes hob, const tdhob_config *cfg, tdhob_view *view,
                                       tdhob_error *err);

/* ---------------------------------------------------------------------------------------------
 * Accessors: they take only a view from tdhob_validate (TDS_ERR_STATE otherwise).
 */
typedef struct tdhob_phit {
    uint32_t version;
    uint32_t boot_mode;
    uint64_t memory_top;
    uint64_t memory_bottom;
    uint64_t free_memory_top;
    uint64_t free_memory_bottom;
    uint64_t end_of_hob_list;
} tdhob_phit;

typedef struct tdhob_resource {
    tds_guid owner;
    uint32_t type;
    uint32_t attribute;
    uint64_t start;
    uint64_t length;
} tdhob_resource;

typedef struct tdhob_memalloc {
    tds_guid name;
    uint64_t base;
    uint64_t length;
    uint32_t memory_type;
} tdhob_memalloc;

typedef struct tdhob_guid_hob {
    tds_guid name;
    tds_bytes data; /* HobLength - 24 bytes inside the view's buffer (includes producer padding) */
} tdhob_guid_hob;

typedef struct tdhob_fv {
    uint64_t base;
    uint64_t length;
    uint32_t authentication_status; /* FV3 only */
    bool extracted;                 /* FV3 only */
    tds_guid fv_name;               /* FV2/FV3 only (zero otherwise) */
    tds_guid file_name;             /* FV2/FV3 only (zero otherwise) */
} tdhob_fv;

typedef struct tdhob_cpu {
    uint8_t memory_space_bits;
    uint8_t io_space_bits;
} tdhob_cpu;

/* One decoded HOB. Which union member is valid follows `type` (FV, FV2, FV3 share `fv`). */
typedef struct tdhob_item {
    uint16_t type;
    uint16_t length;
    size_t offset; /* of its header in the view's buffer */
    union {
        tdhob_phit phit;
        tdhob_resource resource;
        tdhob_memalloc memalloc;
        tdhob_guid_hob guid;
        tdhob_fv fv;
        tdhob_cpu cpu;
    } u;
} tdhob_item;

/* Opaque iteration state; start with tdhob_iter_begin(). */
typedef struct tdhob_iter {
    size_t next_offset;
} tdhob_iter;

static inline tdhob_iter tdhob_iter_begin(void)
{
    tdhob_iter it = {0};
    return it;
}

/* Next HOB (PHIT first, END last). TDS_ERR_NOT_FOUND after END. A forged iterator offset that
 * does not fall on a HOB boundary gives TDS_ERR_INVALID_ARG. */
TDS_MUST_USE tds_status tdhob_next(const tdhob_view *v, tdhob_iter *it, tdhob_item *out);

TDS_MUST_USE tds_status tdhob_get_phit(const tdhob_view *v, tdhob_phit *out);
/* The one CPU HOB, TDS_ERR_NOT_FOUND when absent. */
TDS_MUST_USE tds_status tdhob_get_cpu(const tdhob_view *v, tdhob_cpu *out);
/* Number of HOBs of `type` (0 for types the validator does not accept). */
size_t tdhob_count(const tdhob_view *v, uint16_t type);
/* Walked length (PHIT through END, inclusive); 0 for an invalid view. */
size_t tdhob_length(const tdhob_view *v);
/* CURRENT or LEGACY (as resolved by validation); AUTO for an invalid view. */
tdhob_convention tdhob_get_convention(const tdhob_view *v);
/* The validated list (PHIT through END) as a slice of the caller's buffer; empty if invalid. */
tds_bytes tdhob_bytes(const tdhob_view *v);
/* GPA of the list (given or derived from the PHIT); 0 for an invalid view. */
uint64_t tdhob_gpa(const tdhob_view *v);
/* GPAW the view was validated with (48 or 52); 0 for an invalid view. */
uint32_t tdhob_gpaw(const tdhob_view *v);

/* The index-th (0-based) GUID HOB named `name`; data is a checked slice into the view's buffer.
 * TDS_ERR_NOT_FOUND when there are fewer. */
TDS_MUST_USE tds_status tdhob_find_guid(const tdhob_view *v, const tds_guid *name, size_t index,
                                        tds_bytes *data);

/* td-shim GUIDs (td-shim doc/tdshim_spec.md, GUID HOBs). */
extern const tds_guid tdhob_guid_acpi_table;
extern const tds_guid tdhob_guid_e820_table;
extern const tds_guid tdhob_guid_payload_info;

/*
 * This project's GUID HOB for a Linux kernel command line (9186f69a-eae9-48ae-82f2-4722a0cf5673, a
 * fixed random value; docs/libtdhob.md): data = the command line, its NUL, then zeros up to the
 * HOB's 8-byte length. A VMM without fw_cfg puts it in the TD HOB for a kernel it placed in the
 * payload region (docs/linux-boot.md).
 */
extern const tds_guid tdhob_guid_linux_cmdline;

/*
 * The command line of the one Linux-cmdline GUID HOB: *cmdline = its bytes through the first NUL
 * (a slice of the view's buffer). TDS_ERR_NOT_FOUND without one; TDS_ERR_MALFORMED for two such
 * HOBs, data without a NUL, or a non-zero byte after the NUL. TDS_ERR_STATE for an invalid view
 * or cmdline == NULL.
 */
TDS_MUST_USE tds_status tdhob_get_linux_cmdline(const tdhob_view *v, tds_bytes *cmdline);

/* Payload image types (td-shim spec). */
#define TDHOB_PAYLOAD_EXECUTABLE 0u
#define TDHOB_PAYLOAD_BZIMAGE 1u
#define TDHOB_PAYLOAD_VMLINUX 2u
#define TDHOB_PAYLOAD_RAW_VMLINUX 3u

typedef struct tdhob_payload_info {
    uint32_t image_type;
    uint64_t entry_point;
} tdhob_payload_info;

/* The first payload-info GUID HOB, decoded. */
TDS_MUST_USE tds_status tdhob_get_payload_info(const tdhob_view *v, tdhob_payload_info *out);
/* The index-th ACPI-table GUID HOB: exactly the table's bytes (header length), no padding. */
TDS_MUST_USE tds_status tdhob_get_acpi_table(const tdhob_view *v, size_t index, tds_bytes *table);

/* ---------------------------------------------------------------------------------------------
 * Memory map: memory-space resources sorted by address, adjacent same-kind ranges merged.
 * I/O-space resources (types 2, 6) are not part of it.
 */
typedef enum tdhob_mem_kind {
    TDHOB_MEM_ACCEPTED = 1, /* private RAM the VMM already added (usable now) */
    TDHOB_MEM_UNACCEPTED,   /* private RAM that must be accepted before use */
    TDHOB_MEM_RESERVED,     /* reserved or firmware-device ranges */
    TDHOB_MEM_MMIO,         /* MMIO and MMIO-port ranges */
} tdhob_mem_kind;

typedef struct tdhob_mem_range {
    uint64_t base;
    uint64_t length;
    tdhob_mem_kind kind;
} tdhob_mem_range;

/* Stable lower-case name of a kind ("accepted", "unaccepted", "reserved", "mmio"); never NULL. */
const char *tdhob_mem_kind_str(tdhob_mem_kind kind);

/* Kind of one resource type under a convention; false for I/O space and unknown types. */
bool tdhob_classify(tdhob_convention conv, uint32_t resource_type, tdhob_mem_kind *kind);

/* Number of ranges tdhob_memory_map would produce. O(n) over the view's sorted scratch; these
 * accessors fail with TDS_ERR_STATE when they notice that the scratch is no longer sorted. */
TDS_MUST_USE tds_status tdhob_memory_map_count(const tdhob_view *v, size_t *count);
/* Fill out[0..*count). More than `cap` ranges: TDS_ERR_NO_SPACE and nothing is written. */
TDS_MUST_USE tds_status tdhob_memory_map(const tdhob_view *v, tdhob_mem_range *out, size_t cap,
                                         size_t *count);

typedef struct tdhob_ram_summary {
    uint64_t accepted_bytes;
    uint64_t unaccepted_bytes;
    uint64_t ram_top;          /* exclusive end of the highest RAM range (0 when none) */
    uint64_t ram_top_below_4g; /* exclusive end of the highest RAM range below 4 GiB */
} tdhob_ram_summary;

TDS_MUST_USE tds_status tdhob_ram_summary_get(const tdhob_view *v, tdhob_ram_summary *out);

/* E820 form (Linux Documentation/arch/x86/zero-page.rst, E820; td-shim td-shim/src/e820.rs). */
#define TDHOB_E820_RAM 1u
#define TDHOB_E820_RESERVED 2u
#define TDHOB_E820_ACPI 3u
#define TDHOB_E820_NVS 4u
#define TDHOB_E820_UNUSABLE 5u
#define TDHOB_E820_UNACCEPTED 8u /* td-shim's private type; not understood by Linux */
#define TDHOB_E820_MAX_BOOT_PARAMS 128u

typedef struct tdhob_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} tdhob_e820_entry;

/*
 * E820 view of the memory map: ACCEPTED -> RAM (1), UNACCEPTED -> `unaccepted_type` (RAM when the
 * caller accepts everything first, or TDHOB_E820_UNACCEPTED), RESERVED -> 2, MMIO omitted.
 * Adjacent entries of equal type are merged. More than `cap`: TDS_ERR_NO_SPACE, nothing written.
 */
TDS_MUST_USE tds_status tdhob_e820(const tdhob_view *v, uint32_t unaccepted_type,
                                   tdhob_e820_entry *out, size_t cap, size_t *count);

/* Decode the index-th entry of an E820 GUID HOB payload (20-byte packed entries). */
TDS_MUST_USE tds_status tdhob_e820_hob_entry(tds_bytes data, size_t index, tdhob_e820_entry *out);
/* Entries in an E820 GUID HOB payload (data must have passed validation). */
size_t tdhob_e820_hob_count(tds_bytes data);

/* ---------------------------------------------------------------------------------------------
 * Payload HOB builder (td-shim doc/tdshim_spec.md, payload hand-off). Writes into caller storage; 8
 * bytes are held back from the start so tdhob_finish() can always append the END HOB. Any failed
 * add leaves the builder failed (errors stick: safe-C rule 11, docs/safe-c.md): later adds are
 * refused and tdhob_finish() returns the first error after zeroing the written bytes, so nothing
 * half-built is ever handed out.
 */
typedef struct tdhob_builder {
    tds_mut_bytes buf;
    size_t pos;
    uint64_t gpa;
    uint32_t gpaw;
    tds_status error;
    bool finished;
} tdhob_builder;

typedef struct tdhob_phit_params {
    uint32_t boot_mode;
    uint64_t memory_top;
    uint64_t memory_bottom;
    uint64_t free_memory_top;
    uint64_t free_memory_bottom;
} tdhob_phit_params;

/* Start a list at GPA `gpa` (8-byte aligned) in `buf`; writes the PHIT. */
TDS_MUST_USE tds_status tdhob_builder_init(tdhob_builder *b, tds_mut_bytes buf, uint64_t gpa,
                                           uint32_t gpaw, const tdhob_phit_params *phit);
TDS_MUST_USE tds_status tdhob_add_cpu(tdhob_builder *b, uint8_t memory_space_bits,
                                      uint8_t io_space_bits);
TDS_MUST_USE tds_status tdhob_add_resource(tdhob_builder *b, const tdhob_resource *r);
TDS_MUST_USE tds_status tdhob_add_memalloc(tdhob_builder *b, const tdhob_memalloc *m);
TDS_MUST_USE tds_status tdhob_add_fv(tdhob_builder *b, uint64_t base, uint64_t length);
/* GUID HOB with `data` copied in and zero-padded to 8 bytes. */
TDS_MUST_USE tds_status tdhob_add_guid(tdhob_builder *b, const tds_guid *name, tds_bytes data);
TDS_MUST_USE tds_status tdhob_add_payload_info(tdhob_builder *b, const tdhob_payload_info *info);
TDS_MUST_USE tds_status tdhob_add_e820(tdhob_builder *b, const tdhob_e820_entry *entries, size_t n);
/* One ACPI table; its header length (u32 @4) must equal table.len. */
TDS_MUST_USE tds_status tdhob_add_acpi_table(tdhob_builder *b, tds_bytes table);
/*
 * Append END, patch PHIT.EfiEndOfHobList, and validate the result with tdhob_validate (so the
 * output always parses back), with `scratch` (scratch_cap entries: one per resource added;
 * TDHOB_SCRATCH_ENTRIES(buf.len) always suffices; NULL only with scratch_cap 0) as its sort
 * scratch. The scratch is used only during the call. On success *out is the finished list. On
 * failure (TDS_ERR_NO_SPACE when the scratch is short) the written bytes are zeroed and the
 * builder stays failed. A NULL scratch with scratch_cap != 0 is TDS_ERR_INVALID_ARG, nothing
 * changed.
 */
TDS_MUST_USE tds_status tdhob_finish(tdhob_builder *b, tdhob_scratch_entry *scratch,
                                     size_t scratch_cap, tds_bytes *out);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_TDHOB_H */
