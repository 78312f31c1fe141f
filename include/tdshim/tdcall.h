/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libtdcall: typed wrappers for every guest TDCALL leaf of TDX module 1.5 (the Intel TDX Module ABI
 * and GHCI specifications section 1) and the one decoder of the completion status (section 2). The
 * GHCI TDG.VP.VMCALL sub-functions are in tdshim/tdvmcall.h, the TDX-module emulator in
 * tdshim/tdx_emu.h. Contract: docs/libtdcall.md.
 *
 * Trust: the TDX module is trusted (its outputs are still sanity-checked where cheap); the VMM
 * is not (see tdvmcall.h). Buffer arguments are passed to the module as guest-physical
 * addresses equal to their pointer value: callers MUST run identity-mapped (the shim does) or
 * use the emulator backend, which resolves addresses through its own hook.
 *
 * Every wrapper: checks its inputs before the call (nothing is executed on a failed check),
 * fills one register block with only the inputs of that leaf (every other register 0), calls
 * tdcall_raw(), decodes RAX once, copies the outputs into the caller's struct (only on
 * TDS_OK) and wipes the register block.
 */
#ifndef TDSHIM_TDCALL_H
#define TDSHIM_TDCALL_H

/*
 * Thread safety: the library keeps no state. Each wrapper executes one TDCALL on the calling vCPU
 * with a register block on its own stack and writes only the caller's output pointers, so wrappers
 * may run concurrently on any vCPUs (host tests: threads; tdshim/tdx_emu_backend.h gives each
 * thread its vCPU index). What the TDX module serializes (for example two extends of one RTMR)
 * comes back as TDX_OPERAND_BUSY, decoded to TDS_ERR_BUSY; retrying is the caller's choice.
 */

#include "tdshim/base.h"
#include "tdshim/tdcall_regs_offsets.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library interface version; bumped on any incompatible change. */
#define TDCALL_API_VERSION 1u

uint32_t tdcall_api_version(void);

/* ---- The seam: one register block, one function that executes TDCALL ------------------- */

/*
 * The general-purpose registers TDCALL reads and writes. RSP and RBP are deliberately absent:
 * the seam never loads them and never exposes them to the VMM (GHCI 1.5, section 3.1).
 * Layout locked below against tdshim/tdcall_regs_offsets.h, which tdcall_hw.S includes.
 */
struct tdcall_regs {
    uint64_t rax; /* in: leaf | version << 16; out: completion status */
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rbx;
    uint64_t rsi;
    uint64_t rdi;
    uint64_t r8;
    uint64_t r9;
    uint64_t r10;
    uint64_t r11;
    uint64_t r12;
    uint64_t r13;
    uint64_t r14;
    uint64_t r15;
};
TDS_ASSERT_OFFSET(struct tdcall_regs, rax, TDCALL_REGS_RAX);
TDS_ASSERT_OFFSET(struct tdcall_regs, rcx, TDCALL_REGS_RCX);
TDS_ASSERT_OFFSET(struct tdcall_regs, rdx, TDCALL_REGS_RDX);
TDS_ASSERT_OFFSET(struct tdcall_regs, rbx, TDCALL_REGS_RBX);
TDS_ASSERT_OFFSET(struct tdcall_regs, rsi, TDCALL_REGS_RSI);
TDS_ASSERT_OFFSET(struct tdcall_regs, rdi, TDCALL_REGS_RDI);
TDS_ASSERT_OFFSET(struct tdcall_regs, r8, TDCALL_REGS_R8);
TDS_ASSERT_OFFSET(struct tdcall_regs, r9, TDCALL_REGS_R9);
TDS_ASSERT_OFFSET(struct tdcall_regs, r10, TDCALL_REGS_R10);
TDS_ASSERT_OFFSET(struct tdcall_regs, r11, TDCALL_REGS_R11);
TDS_ASSERT_OFFSET(struct tdcall_regs, r12, TDCALL_REGS_R12);
TDS_ASSERT_OFFSET(struct tdcall_regs, r13, TDCALL_REGS_R13);
TDS_ASSERT_OFFSET(struct tdcall_regs, r14, TDCALL_REGS_R14);
TDS_ASSERT_OFFSET(struct tdcall_regs, r15, TDCALL_REGS_R15);
TDS_ASSERT_SIZE(struct tdcall_regs, TDCALL_REGS_SIZE);

/*
 * Execute one TDCALL with every register of *regs loaded, store every register back into
 * *regs and return the new RAX. Defined by exactly one backend, chosen at link time:
 *   tdcall_hw           - libtdcall/tdcall_hw.S, the real instruction (66 0F 01 CC);
 *   tdcall_emu_backend  - hosted tests: dispatches to an installed tdx_emu (tdx_emu.h);
 *   a test's own fake   - recording backends in unit tests.
 * Not for direct use outside libtdcall and backends: call the typed wrappers.
 */
uint64_t tdcall_raw(struct tdcall_regs *regs);

/* ---- Leaf numbers ---------------------------------------------------------------------------- */
/* Source: TDX module source include/tdx_api_defs.h, tdcall_leaf_opcode_t. */

enum tdcall_leaf {
    TDCALL_LEAF_VP_VMCALL = 0,
    TDCALL_LEAF_VP_INFO = 1,
    TDCALL_LEAF_MR_RTMR_EXTEND = 2,
    TDCALL_LEAF_VP_VEINFO_GET = 3,
    TDCALL_LEAF_MR_REPORT = 4,
    TDCALL_LEAF_VP_CPUIDVE_SET = 5,
    TDCALL_LEAF_MEM_PAGE_ACCEPT = 6,
    TDCALL_LEAF_VM_RD = 7,
    TDCALL_LEAF_VM_WR = 8,
    TDCALL_LEAF_VP_RD = 9,
    TDCALL_LEAF_VP_WR = 10,
    TDCALL_LEAF_SYS_RD = 11,
    TDCALL_LEAF_SYS_RDALL = 12,
    TDCALL_LEAF_SERVTD_RD = 18,
    TDCALL_LEAF_SERVTD_WR = 20,
    TDCALL_LEAF_MR_VERIFYREPORT = 22,
    TDCALL_LEAF_MEM_PAGE_ATTR_RD = 23,
    TDCALL_LEAF_MEM_PAGE_ATTR_WR = 24,
    TDCALL_LEAF_VP_ENTER = 25,
    TDCALL_LEAF_VP_INVEPT = 26,
    TDCALL_LEAF_VP_INVVPID = 27,
    TDCALL_LEAF_COUNT_ = 28 /* bound for per-leaf tables; not a leaf */
};

/* ---- Completion status ----------------------------------------------------------------------- */
/* Source: TDX module source include/tdx_api_defs.h, api_error_code_t. */

/* Raw values (operand id / level in the low 32 bits is 0 here). */
#define TDX_SUCCESS 0x0000000000000000ull
#define TDX_OPERAND_INVALID 0xC000010000000000ull
#define TDX_OPERAND_ADDR_RANGE_ERROR 0xC000010100000000ull
#define TDX_OPERAND_BUSY 0x8000020000000000ull
#define TDX_PREVIOUS_TLB_EPOCH_BUSY 0x8000020100000000ull
#define TDX_SYS_BUSY 0x8000020200000000ull
#define TDX_OPERAND_BUSY_HOST_PRIORITY 0x8000020400000000ull
#define TDX_VCPU_STATE_INCORRECT 0xC000070000000000ull
#define TDX_NO_VALID_VE_INFO 0xC000070400000000ull
#define TDX_EPT_WALK_FAILED 0xC0000B0000000000ull
#define TDX_EPT_ENTRY_NOT_PRESENT 0xC0000B0300000000ull
#define TDX_PAGE_ALREADY_ACCEPTED 0x00000B0A00000000ull
#define TDX_PAGE_SIZE_MISMATCH 0xC0000B0B00000000ull
#define TDX_METADATA_FIELD_ID_INCORRECT 0xC0000C0000000000ull
#define TDX_METADATA_FIELD_NOT_WRITABLE 0xC0000C0100000000ull
#define TDX_METADATA_FIELD_NOT_READABLE 0xC0000C0200000000ull
#define TDX_METADATA_WR_MASK_NOT_VALID 0xC0000C0A00000000ull
#define TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT 0x00000C0B00000000ull
#define TDX_INVALID_CPUSVN 0xC000100000000000ull
#define TDX_INVALID_REPORTMACSTRUCT 0xC000100100000000ull

/* Operand ids carried in bits 31:0 of an error (TDX module source include/tdx_api_defs.h,
 * api_error_code_t). */
#define TDX_OPERAND_ID_RAX 0u
#define TDX_OPERAND_ID_RCX 1u
#define TDX_OPERAND_ID_RDX 2u
#define TDX_OPERAND_ID_R8 8u
#define TDX_OPERAND_ID_RTMR 168u

/* The class of a status: its upper 32 bits (the low bits carry operand ids or SEPT levels). */
static inline uint32_t tdx_status_class(uint64_t raw)
{
    return (uint32_t)(raw >> 32);
}

/* Decoded completion status. Compare .code; .raw keeps the exact value for logs. */
typedef enum tdcall_code {
    TDCALL_SUCCESS = 0,      /* RAX == 0 */
    TDCALL_BUSY,             /* OPERAND_BUSY / TLB-epoch / SYS / host-priority busy: retry */
    TDCALL_ALREADY_ACCEPTED, /* ACCEPT warning: page already accepted (level in .detail) */
    TDCALL_SIZE_MISMATCH,    /* ACCEPT 2M over a 4K-mapped range (level in .detail) */
    TDCALL_INVALID_OPERAND,  /* 0xC0000100xxxxxxxx: operand id in .detail */
    TDCALL_NO_VE_INFO,       /* VEINFO.GET: no valid #VE information */
    TDCALL_OTHER             /* anything else; see .raw */
} tdcall_code;

typedef struct tdcall_status {
    tdcall_code code;
    uint32_t detail; /* bits 31:0 of raw: operand id or SEPT level */
    uint64_t raw;    /* RAX as returned */
} tdcall_status;

/* The one decoder (safe-C rule 2, docs/safe-c.md). Total: any 64-bit value maps to exactly one
 * code. */
tdcall_status tdcall_status_decode(uint64_t raw);

/*
 * Project status for a decoded TDCALL status: SUCCESS -> TDS_OK, BUSY -> TDS_ERR_BUSY,
 * ALREADY_ACCEPTED -> TDS_ERR_STATE, SIZE_MISMATCH -> TDS_ERR_UNSUPPORTED, NO_VE_INFO ->
 * TDS_ERR_NOT_FOUND, INVALID_OPERAND and OTHER -> TDS_ERR_DEVICE.
 */
tds_status tdcall_status_to_tds(tdcall_status st);

/*
 * Every wrapper below takes `tdcall_status *hw` last: optional (may be NULL); when non-NULL it
 * is written whenever the TDCALL was executed (i.e. whenever the result is not an input-check
 * failure) so callers can tell ALREADY_ACCEPTED from SIZE_MISMATCH or log the raw value.
 * Input-check failures return TDS_ERR_INVALID_ARG or TDS_ERR_ALIGNMENT and execute nothing.
 */

/* ---- TDG.VP.INFO (leaf 1) ------------------------------------------------------------------ */

/* TD ATTRIBUTES bits (Linux arch/x86/include/asm/shared/tdx.h, TD attributes). */
#define TDX_ATTR_DEBUG (1ull << 0)
#define TDX_ATTR_SEPT_VE_DISABLE (1ull << 28)
#define TDX_ATTR_MIGRATABLE (1ull << 29)
#define TDX_ATTR_PKS (1ull << 30)
#define TDX_ATTR_KL (1ull << 31)
#define TDX_ATTR_PERFMON (1ull << 63)

struct tdcall_td_info {
    uint32_t gpaw;         /* 48 or 52 (checked) */
    uint32_t num_vcpus;    /* R8[31:0] */
    uint32_t max_vcpus;    /* R8[63:32] */
    uint32_t vcpu_index;   /* R9[31:0], < num_vcpus (checked) */
    uint64_t shared_mask;  /* 1 << (gpaw - 1) (the Intel TDX Module ABI specification, GPAW and the
                              shared bit) */
    uint64_t attributes;   /* RDX */
    bool sys_rd_available; /* R10 bit 0: TDG.SYS.RD/RDALL available */
};

/* Errors: TDS_ERR_DEVICE if the module fails or returns a GPAW other than 48/52, a zero vCPU
 * count or an index >= num_vcpus. */
TDS_MUST_USE tds_status tdcall_vp_info(struct tdcall_td_info *out, tdcall_status *hw);

/* ---- TDG.MR.RTMR.EXTEND (leaf 2) ----------------------------------------------------------- */

#define TDCALL_RTMR_COUNT 4u
#define TDCALL_SHA384_SIZE 48u

/* The extension data: one SHA-384 digest in a 64-byte aligned buffer (the module requires it). */
struct tdcall_digest48 {
    uint8_t bytes[TDCALL_SHA384_SIZE];
} TDS_ALIGNED(64);
TDS_ASSERT_SIZE(struct tdcall_digest48, 64);
TDS_ASSERT_ALIGN(struct tdcall_digest48, 64);

/* RTMR[index] := SHA-384(RTMR[index] || digest). Checks: index < 4 (TDS_ERR_INVALID_ARG),
 * digest non-NULL (TDS_ERR_INVALID_ARG) and 64-byte aligned (TDS_ERR_ALIGNMENT). Busy RTMR
 * lock -> TDS_ERR_BUSY (retry is the caller's choice). */
TDS_MUST_USE tds_status tdcall_mr_rtmr_extend(uint32_t index, const struct tdcall_digest48 *digest,
                                              tdcall_status *hw);

/* ---- TDG.VP.VEINFO.GET (leaf 3) ------------------------------------------------------------ */

struct tdcall_ve_info {
    uint32_t exit_reason;  /* basic VMX exit reason */
    uint32_t instr_length; /* R10[31:0] */
    uint32_t instr_info;   /* R10[63:32] */
    uint32_t reserved;     /* always 0 */
    uint64_t exit_qualification;
    uint64_t guest_linear_address;
    uint64_t guest_physical_address;
};

/* Read and invalidate the current #VE info. No valid info -> TDS_ERR_NOT_FOUND. */
TDS_MUST_USE tds_status tdcall_vp_veinfo_get(struct tdcall_ve_info *out, tdcall_status *hw);

/* ---- TDG.MR.REPORT (leaf 4) and TDREPORT_STRUCT ---------------------------------------------- */
/* Source: the Intel TDX Module ABI specification, TDREPORT_STRUCT; edk2
 * MdePkg/Include/IndustryStandard/Tdx.h. */

#define TDCALL_REPORTDATA_SIZE 64u
#define TDCALL_TDREPORT_SIZE 1024u
#define TDCALL_REPORTMAC_SIZE 256u
#define TDCALL_REPORT_TYPE_TDX 0x81u

struct tdcall_reportdata {
    uint8_t bytes[TDCALL_REPORTDATA_SIZE];
} TDS_ALIGNED(64);
TDS_ASSERT_SIZE(struct tdcall_reportdata, 64);

/* REPORTMACSTRUCT (256 bytes, the first part of TDREPORT; TDG.MR.VERIFYREPORT's input). Byte
 * arrays only: multi-byte fields are read with tds_load_le*(). */
struct tdcall_reportmac {
    uint8_t report_type[4]; /* [0] type 0x81, [1] subtype 0, [2] version */
    uint8_t reserved0[12];
    uint8_t cpusvn[16];
    uint8_t tee_tcb_info_hash[48];
    uint8_t tee_info_hash[48];
    uint8_t reportdata[64];
    uint8_t reserved1[32];
    uint8_t mac[32];
} TDS_ALIGNED(256);
TDS_ASSERT_SIZE(struct tdcall_reportmac, 256);
TDS_ASSERT_OFFSET(struct tdcall_reportmac, cpusvn, 16);
TDS_ASSERT_OFFSET(struct tdcall_reportmac, tee_tcb_info_hash, 32);
TDS_ASSERT_OFFSET(struct tdcall_reportmac, tee_info_hash, 80);
TDS_ASSERT_OFFSET(struct tdcall_reportmac, reportdata, 128);
TDS_ASSERT_OFFSET(struct tdcall_reportmac, mac, 224);

struct tdcall_tee_tcb_info {
    uint8_t valid[8];
    uint8_t tee_tcb_svn[16];
    uint8_t mrseam[48];
    uint8_t mrsignerseam[48];
    uint8_t attributes[8];
    uint8_t tee_tcb_svn2[16]; /* reserved in the 1.5 source */
    uint8_t reserved[112];
};
TDS_ASSERT_SIZE(struct tdcall_tee_tcb_info, 256);
TDS_ASSERT_OFFSET(struct tdcall_tee_tcb_info, mrseam, 24);
TDS_ASSERT_OFFSET(struct tdcall_tee_tcb_info, attributes, 120);
TDS_ASSERT_OFFSET(struct tdcall_tee_tcb_info, tee_tcb_svn2, 128);

struct tdcall_tdinfo {
    uint8_t attributes[8];
    uint8_t xfam[8];
    uint8_t mrtd[48];
    uint8_t mrconfigid[48];
    uint8_t mrowner[48];
    uint8_t mrownerconfig[48];
    uint8_t rtmr[TDCALL_RTMR_COUNT][48];
    uint8_t servtd_hash[48];
    uint8_t reserved[64];
};
TDS_ASSERT_SIZE(struct tdcall_tdinfo, 512);
TDS_ASSERT_OFFSET(struct tdcall_tdinfo, mrtd, 16);
TDS_ASSERT_OFFSET(struct tdcall_tdinfo, rtmr, 208);
TDS_ASSERT_OFFSET(struct tdcall_tdinfo, servtd_hash, 400);

struct tdcall_tdreport {
    struct tdcall_reportmac reportmac;
    struct tdcall_tee_tcb_info tee_tcb_info;
    struct tdcall_tdinfo tdinfo;
} TDS_ALIGNED(1024);
TDS_ASSERT_SIZE(struct tdcall_tdreport, 1024);
TDS_ASSERT_ALIGN(struct tdcall_tdreport, 1024);
TDS_ASSERT_OFFSET(struct tdcall_tdreport, tee_tcb_info, 256);
TDS_ASSERT_OFFSET(struct tdcall_tdreport, tdinfo, 512);

/* Produce a TDREPORT_STRUCT binding `reportdata`. Checks: both non-NULL (TDS_ERR_INVALID_ARG),
 * report 1024-byte aligned and reportdata 64-byte aligned (TDS_ERR_ALIGNMENT), and they do not
 * overlap (TDS_ERR_INVALID_ARG). Sub-type is always 0. Busy -> TDS_ERR_BUSY. `*report` may have
 * been overwritten by the module even on failure; it is meaningful only on TDS_OK. */
TDS_MUST_USE tds_status tdcall_mr_report(struct tdcall_tdreport *report,
                                         const struct tdcall_reportdata *reportdata,
                                         tdcall_status *hw);

/* Decoded scalar fields of a TDREPORT (the digests are read in place from the struct). */
struct tdcall_tdreport_summary {
    uint8_t report_type;
    uint8_t report_subtype;
    uint8_t report_version;
    uint64_t td_attributes;
    uint64_t xfam;
    uint64_t tee_tcb_attributes;
};
/* Checks report type 0x81 / subtype 0 (TDS_ERR_MALFORMED otherwise). */
TDS_MUST_USE tds_status tdcall_tdreport_summarize(const struct tdcall_tdreport *report,
                                                  struct tdcall_tdreport_summary *out);

/* ---- TDG.VP.CPUIDVE.SET (leaf 5) ----------------------------------------------------------- */

#define TDCALL_CPUIDVE_SUPERVISOR (1ull << 0)
#define TDCALL_CPUIDVE_USER (1ull << 1)
/* Checks: flags has only bits 1:0 (TDS_ERR_INVALID_ARG). */
TDS_MUST_USE tds_status tdcall_vp_cpuidve_set(uint64_t flags, tdcall_status *hw);

/* ---- TDG.MEM.PAGE.ACCEPT (leaf 6) ---------------------------------------------------------- */

typedef enum tdcall_page_level {
    TDCALL_PAGE_4K = 0,
    TDCALL_PAGE_2M = 1,
    TDCALL_PAGE_1G = 2 /* passed through; the 1.5 module answers INVALID_OPERAND */
} tdcall_page_level;

#define TDCALL_PAGE_SIZE_4K 0x1000ull
#define TDCALL_PAGE_SIZE_2M 0x200000ull
#define TDCALL_PAGE_SIZE_1G 0x40000000ull
#define TDCALL_GPA_LIMIT (1ull << 52) /* bits 63:52 of an accept GPA must be 0 */

/* Bytes covered by one page of `level` (0 for a level above 1G). */
uint64_t tdcall_page_level_size(tdcall_page_level level);

/*
 * Accept one pending private page; the module zeroes it. Checks: level <= 1G
 * (TDS_ERR_INVALID_ARG), gpa aligned to the level size (TDS_ERR_ALIGNMENT), gpa < 2^52
 * (TDS_ERR_INVALID_ARG). No shared-bit check: the wrapper does not know GPAW, the module refuses
 * a shared GPA (TDS_ERR_DEVICE). Results: TDS_OK; TDS_ERR_STATE with hw->code ALREADY_ACCEPTED;
 * TDS_ERR_UNSUPPORTED with hw->code SIZE_MISMATCH (retry as 512 x 4K); TDS_ERR_BUSY; TDS_ERR_DEVICE
 * (INVALID_OPERAND for 1G on 1.5, shared bit set, ...; OTHER). Policy (splitting, retry) is
 * libaccept's.
 */
TDS_MUST_USE tds_status tdcall_mem_page_accept(uint64_t gpa, tdcall_page_level level,
                                               tdcall_status *hw);

/* ---- Metadata: TDG.VM.RD/WR (7/8), TDG.VP.RD/WR (9/10), TDG.SYS.RD/RDALL (11/12) ---------- */

#define TDX_FIELD_TDCS_NOTIFY_ENABLES 0x9100000000000010ull
#define TDX_FIELD_TDCS_CONFIG_FLAGS 0x1110000300000016ull
#define TDX_FIELD_TDCS_TD_CTLS 0x1110000300000017ull
#define TDX_FIELD_TDCS_TOPOLOGY_ENUM_CONFIGURED 0x9100000000000019ull
#define TDX_FIELD_ID_NONE 0xFFFFFFFFFFFFFFFFull /* "no next field" */

/* TDG.VM.RD version 0 (RCX = 0 explicitly). Unknown field -> TDS_ERR_DEVICE. */
TDS_MUST_USE tds_status tdcall_vm_rd(uint64_t field, uint64_t *value, tdcall_status *hw);
/* TDG.VM.RD version 1: also returns the next readable field id (TDX_FIELD_ID_NONE if none). */
TDS_MUST_USE tds_status tdcall_vm_rd_next(uint64_t field, uint64_t *value, uint64_t *next,
                                          tdcall_status *hw);
/* TDG.VM.WR: write value under mask; *old (optional) receives the previous value. */
TDS_MUST_USE tds_status tdcall_vm_wr(uint64_t field, uint64_t value, uint64_t mask, uint64_t *old,
                                     tdcall_status *hw);
/* TDG.VP.RD / TDG.VP.WR: vCPU-scope fields of the calling vCPU; next is optional (may be NULL). */
TDS_MUST_USE tds_status tdcall_vp_rd(uint64_t field, uint64_t *value, uint64_t *next,
                                     tdcall_status *hw);
TDS_MUST_USE tds_status tdcall_vp_wr(uint64_t field, uint64_t value, uint64_t mask, uint64_t *old,
                                     tdcall_status *hw);
/* TDG.SYS.RD: global field; next optional. */
TDS_MUST_USE tds_status tdcall_sys_rd(uint64_t field, uint64_t *value, uint64_t *next,
                                      tdcall_status *hw);
/* TDG.SYS.RDALL: fill a 4 KiB-aligned private page with a metadata list starting at
 * first_field; *next receives the field to continue from (TDX_FIELD_ID_NONE when done).
 * Checks: page non-NULL, 4 KiB aligned. */
TDS_MUST_USE tds_status tdcall_sys_rdall(void *page, uint64_t first_field, uint64_t *next,
                                         tdcall_status *hw);

/* ---- Service TD: TDG.SERVTD.RD (18), TDG.SERVTD.WR (20) ----------------------------------- */

struct tdcall_servtd_result {
    uint64_t value;      /* R8: field value (RD) or previous value (WR) */
    uint64_t td_uuid[4]; /* R10..R13 */
};
TDS_MUST_USE tds_status tdcall_servtd_rd(uint64_t binding_handle, uint64_t field,
                                         const uint64_t target_td_uuid[4],
                                         struct tdcall_servtd_result *out, tdcall_status *hw);
TDS_MUST_USE tds_status tdcall_servtd_wr(uint64_t binding_handle, uint64_t field, uint64_t value,
                                         uint64_t mask, const uint64_t target_td_uuid[4],
                                         struct tdcall_servtd_result *out, tdcall_status *hw);

/* ---- TDG.MR.VERIFYREPORT (leaf 22) --------------------------------------------------------- */

/* Verify a REPORTMACSTRUCT produced on this platform. Checks: non-NULL, 256-byte aligned.
 * MAC mismatch -> TDS_ERR_MISMATCH (hw->raw TDX_INVALID_REPORTMACSTRUCT); other -> DEVICE. */
TDS_MUST_USE tds_status tdcall_mr_verifyreport(const struct tdcall_reportmac *reportmac,
                                               tdcall_status *hw);

/* ---- TDG.MEM.PAGE.ATTR.RD/WR (23/24), TD partitioning ------------------------------------- */

struct tdcall_page_attr {
    uint64_t gpa;            /* RCX bits 51:12 */
    tdcall_page_level level; /* RCX bits 2:0 */
    bool pending;            /* RCX bit 62 */
    uint16_t attr[4];        /* RDX: one 16-bit attribute field per L2 VM (index 0 = L1) */
};
/* Checks: gpa 4 KiB aligned, < 2^52. */
TDS_MUST_USE tds_status tdcall_mem_page_attr_rd(uint64_t gpa, struct tdcall_page_attr *out,
                                                tdcall_status *hw);
/* Checks: level <= 1G, gpa aligned to the level and < 2^52. attrs packs the four 16-bit
 * fields (RDX), flags is R8. out optional. */
TDS_MUST_USE tds_status tdcall_mem_page_attr_wr(uint64_t gpa, tdcall_page_level level,
                                                uint64_t attrs, uint64_t flags,
                                                struct tdcall_page_attr *out, tdcall_status *hw);

/* ---- TD partitioning: TDG.VP.ENTER (25), TDG.VP.INVEPT (26), TDG.VP.INVVPID (27) ----------- */

/* Enter an L2 vCPU. The exit information is left in *regs (RAX = status); the caller owns its
 * interpretation. Checks: regs non-NULL. Only RCX (vm flags) and RDX (GPA) are passed in. */
TDS_MUST_USE tds_status tdcall_vp_enter(uint64_t vm_flags, uint64_t gpa, struct tdcall_regs *exit,
                                        tdcall_status *hw);
TDS_MUST_USE tds_status tdcall_vp_invept(uint64_t vm_flags, tdcall_status *hw);
/* *next_gla (optional) receives RDX as returned. */
TDS_MUST_USE tds_status tdcall_vp_invvpid(uint64_t flags, uint64_t gla, uint64_t *next_gla,
                                          tdcall_status *hw);

/* ---- TDG.VP.VMCALL (leaf 0), raw form ------------------------------------------------------ */

/* GPR_SELECT bits of RCX (the Intel TDX GHCI specification, TDG.VP.VMCALL register use). */
#define TDVMCALL_EXPOSE_RDX (1u << 2)
#define TDVMCALL_EXPOSE_RBX (1u << 3)
#define TDVMCALL_EXPOSE_RSI (1u << 6)
#define TDVMCALL_EXPOSE_RDI (1u << 7)
#define TDVMCALL_EXPOSE_R8 (1u << 8)
#define TDVMCALL_EXPOSE_R9 (1u << 9)
#define TDVMCALL_EXPOSE_R10 (1u << 10)
#define TDVMCALL_EXPOSE_R11 (1u << 11)
#define TDVMCALL_EXPOSE_R12 (1u << 12)
#define TDVMCALL_EXPOSE_R13 (1u << 13)
#define TDVMCALL_EXPOSE_R14 (1u << 14)
#define TDVMCALL_EXPOSE_R15 (1u << 15)
/* The only bits a mask may carry: RDX RBX RSI RDI R8-R15 (never RAX RCX RSP RBP, no XMM). */
#define TDVMCALL_EXPOSE_ALLOWED 0xFFCCu

/*
 * Issue TDG.VP.VMCALL with `expose` as GPR_SELECT. regs->rax/rcx are set by this function;
 * registers not in `expose` are zeroed before the call (nothing private leaks), and on return
 * every exposed register holds VMM-written (hostile) values. Checks: expose is a subset of
 * TDVMCALL_EXPOSE_ALLOWED and contains R10 and R11 (TDS_ERR_INVALID_ARG). A non-zero RAX (the
 * module refused the mask) -> TDS_ERR_DEVICE. Does NOT look at R10: see tdvmcall.h. Unlike every
 * other wrapper it wipes nothing: the outputs stay in *regs, which the caller owns and MUST wipe
 * once it has read them (the tdvmcall_* wrappers do).
 */
TDS_MUST_USE tds_status tdcall_vp_vmcall(struct tdcall_regs *regs, uint32_t expose,
                                         tdcall_status *hw);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_TDCALL_H */
