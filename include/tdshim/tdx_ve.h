/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libtdcall: the #VE (virtualization exception, vector 20) handler core (the Intel TDX Module ABI
 * specification, TDG.VP.VEINFO.GET; the GHCI specification, sub-functions; Linux
 * arch/x86/coco/tdx/tdx.c for the #VE exits a guest must handle). Pure C, freestanding-clean: the
 * caller (an IDT stub) supplies the interrupted register state, the VEINFO it read FIRST (the TDX
 * module turns a second #VE into #DF until VEINFO.GET has been called) and the code bytes at RIP;
 * the core emulates the instruction through the typed TDVMCALL wrappers (tdvmcall.h) and returns
 * the new register state, RIP stepped over it.
 *
 * Handled: HLT, IN/OUT of 1/2/4 bytes (port in DX or immediate), RDMSR/WRMSR, CPUID, and MMIO
 * (EPT violation on a shared GPA) for the MOV forms Linux emulates. Everything else is refused
 * with a precise tdx_ve_error; nothing is silently resumed. Every VMM-returned value is hostile:
 * only the bits the emulated instruction architecturally writes are changed.
 * Contract: docs/libtdcall.md "#VE handler".
 */
#ifndef TDSHIM_TDX_VE_H
#define TDSHIM_TDX_VE_H

/*
 * Thread safety: no state in the library. tdcall_ve_handle() runs on the vCPU that took the #VE
 * and writes only what the caller passes for that #VE (its saved registers and report); it reads
 * the configuration, which must not change while any handler may run. The decoders are pure.
 * Handlers may run concurrently on every vCPU.
 */

#include "tdshim/tdvmcall.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Basic VMX exit reasons delivered as #VE (Linux arch/x86/coco/tdx/tdx.c, virt_exception_kernel).
 */
#define TDX_VE_EXIT_CPUID 10u
#define TDX_VE_EXIT_HLT 12u
#define TDX_VE_EXIT_IO 30u
#define TDX_VE_EXIT_RDMSR 31u
#define TDX_VE_EXIT_WRMSR 32u
#define TDX_VE_EXIT_EPT_VIOLATION 48u

/* I/O exit qualification (Linux arch/x86/coco/tdx/tdx.c, virt_exception_kernel). */
#define TDX_VE_IO_SIZE_MASK 0x7ull /* size - 1 */
#define TDX_VE_IO_IN (1ull << 3)   /* direction: 1 = IN */
#define TDX_VE_IO_STRING (1ull << 4)
#define TDX_VE_IO_REP (1ull << 5)
#define TDX_VE_IO_IMM (1ull << 6) /* operand encoding: 1 = immediate port */
#define TDX_VE_IO_PORT_SHIFT 16u

#define TDX_VE_RFLAGS_IF (1ull << 9)
#define TDX_VE_MAX_INSN 15u /* architectural maximum instruction length */

/* GPR numbers as in ModRM/REX encoding. */
enum tdx_ve_gpr {
    TDX_VE_RAX = 0,
    TDX_VE_RCX,
    TDX_VE_RDX,
    TDX_VE_RBX,
    TDX_VE_RSP,
    TDX_VE_RBP,
    TDX_VE_RSI,
    TDX_VE_RDI,
    TDX_VE_R8,
    TDX_VE_R15 = 15,
    TDX_VE_GPR_COUNT = 16
};

/* The interrupted state. gpr[] in encoding order (RAX RCX RDX RBX RSP RBP RSI RDI R8..R15). */
struct tdx_ve_regs {
    uint64_t gpr[TDX_VE_GPR_COUNT];
    uint64_t rip;
    uint64_t rflags;
};

typedef enum tdx_ve_error {
    TDX_VE_OK = 0,
    TDX_VE_ERR_ARGUMENT,         /* NULL pointer, invalid code slice or shared_mask not bit 47/51 */
    TDX_VE_ERR_NO_VEINFO,        /* TDG.VP.VEINFO.GET had no valid #VE info */
    TDX_VE_ERR_EXIT_REASON,      /* an exit reason this handler does not emulate */
    TDX_VE_ERR_INSTR_LENGTH,     /* VEINFO instruction length not in 1..15 */
    TDX_VE_ERR_IO_STRING,        /* INS/OUTS: string I/O is not covered by Instruction.IO */
    TDX_VE_ERR_IO_REP,           /* REP-prefixed I/O */
    TDX_VE_ERR_IO_SIZE,          /* size field not 1, 2 or 4 bytes */
    TDX_VE_ERR_MMIO_PRIVATE,     /* EPT violation on a private GPA (never MMIO) */
    TDX_VE_ERR_MMIO_GPA,         /* GPA at or above 2^GPAW */
    TDX_VE_ERR_MMIO_ADDRESS,     /* decoded address != GLA, or GPA/GLA page offsets differ */
    TDX_VE_ERR_MMIO_ALIGN,       /* access not naturally aligned (GHCI MMIO needs it) */
    TDX_VE_ERR_DECODE_TRUNCATED, /* code bytes end inside the instruction */
    TDX_VE_ERR_DECODE_PREFIX,    /* a prefix other than 0x66 and one REX before the opcode */
    TDX_VE_ERR_DECODE_OPCODE,    /* not mov r/m<->reg, mov imm->m, movzx or movsx */
    TDX_VE_ERR_DECODE_MODRM,     /* register operand (mod = 3) or C6/C7 with reg != 0 */
    TDX_VE_ERR_DECODE_TOO_LONG,  /* longer than 15 bytes */
    TDX_VE_ERR_VMM,              /* the VMM answered an error status or a nonsensical value */
    TDX_VE_ERR_TDCALL,           /* the TDX module refused the TDVMCALL */
    TDX_VE_ERR_COUNT_
} tdx_ve_error;

/* Short stable text for an error ("string I/O refused", ...). Never NULL. */
const char *tdcall_ve_error_str(tdx_ve_error e);

/* ---- MMIO instruction decoder (pure; fuzzed) ---------------------------------------------- */

typedef enum tdx_mmio_op {
    TDX_MMIO_OP_READ = 0,  /* 8A/8B: mov reg, [mem] */
    TDX_MMIO_OP_WRITE_REG, /* 88/89: mov [mem], reg */
    TDX_MMIO_OP_WRITE_IMM, /* C6/C7 /0: mov [mem], imm */
    TDX_MMIO_OP_READ_ZX,   /* 0F B6/B7: movzx reg, [mem] */
    TDX_MMIO_OP_READ_SX    /* 0F BE/BF: movsx reg, [mem] */
} tdx_mmio_op;

#define TDX_MMIO_NO_REG 0xFFu

struct tdx_mmio_insn {
    tdx_mmio_op op;
    uint8_t length;   /* total instruction bytes (RIP advance) */
    uint8_t mem_size; /* bytes accessed: 1, 2, 4 or 8 */
    uint8_t reg_size; /* register operand width (reads, WRITE_REG): 1, 2, 4 or 8 */
    uint8_t reg;      /* register operand number 0..15 (reads, WRITE_REG) */
    bool high_byte;   /* reg is AH/CH/DH/BH (byte operand, no REX, reg 4..7 -> 0..3) */
    bool rip_relative;
    uint8_t base;  /* TDX_MMIO_NO_REG or 0..15 */
    uint8_t index; /* TDX_MMIO_NO_REG or 0..15 */
    uint8_t scale; /* 1, 2, 4, 8 */
    int32_t disp;
    uint64_t imm; /* WRITE_IMM: the value stored, already extended to mem_size */
};

/*
 * Decode the instruction at the start of `code` (the bytes at RIP; at most 15 are looked at).
 * On TDS_OK *out is the decoded form; otherwise *err (never NULL) says why and *out is
 * untouched. Statuses: TDS_ERR_TRUNCATED, TDS_ERR_UNSUPPORTED (prefix, opcode), TDS_ERR_MALFORMED
 * (ModRM, too long), TDS_ERR_INVALID_ARG (NULL).
 */
TDS_MUST_USE tds_status tdcall_ve_mmio_decode(tds_bytes code, struct tdx_mmio_insn *out,
                                              tdx_ve_error *err);

/* Effective (linear, segment base 0) address of the memory operand for this register state;
 * RIP-relative is relative to the end of the instruction. Wraps modulo 2^64 like the CPU. */
uint64_t tdcall_ve_mmio_address(const struct tdx_mmio_insn *insn, const struct tdx_ve_regs *regs);

/* ---- The handler -------------------------------------------------------------------------- */

/* CPUID policy. Default (0): like Linux, only the hypervisor range 0x40000000-0x4FFFFFFF goes
 * to the VMM; any other leaf reads as all zeros (what a CPU answers for an unsupported leaf). */
#define TDX_VE_CPUID_ALL_TO_VMM 0x1u

struct tdx_ve_config {
    uint64_t shared_mask; /* the shared bit: 1 << (GPAW - 1), from tdcall_vp_info; 47 or 51 */
    uint32_t flags;       /* TDX_VE_CPUID_* */
};

struct tdx_ve_report {
    tdx_ve_error error;
    uint32_t exit_reason;
    uint32_t length;    /* on TDS_OK: bytes RIP advanced by */
    bool vmcall_done;   /* a TDVMCALL was executed; vs is valid */
    tdvmcall_status vs; /* its decoded status */
    tds_status call;    /* the wrapper's status when it failed (TDS_OK otherwise) */
};

/*
 * Emulate the instruction that raised the #VE described by *ve. regs: the interrupted state
 * (in/out). code: the bytes at regs->rip (only used for EPT violations; may be empty
 * otherwise). On TDS_OK every register the instruction writes and RIP (+ VEINFO's instruction
 * length, or the decoded length for MMIO) are updated in *regs; on failure *regs is untouched
 * (an MMIO write or OUT may have reached the VMM if the failure came from its answer). rep
 * (never NULL) always receives the outcome. Statuses: TDS_ERR_UNSUPPORTED (unknown exit, string
 * or REP I/O, private GPA, undecodable instruction ...), TDS_ERR_MALFORMED / TDS_ERR_TRUNCATED
 * (decoder), TDS_ERR_VMM, TDS_ERR_DEVICE (module refused the TDVMCALL), TDS_ERR_INVALID_ARG.
 */
TDS_MUST_USE tds_status tdcall_ve_handle(struct tdx_ve_regs *regs, const struct tdcall_ve_info *ve,
                                         tds_bytes code, const struct tdx_ve_config *cfg,
                                         struct tdx_ve_report *rep);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_TDX_VE_H */
