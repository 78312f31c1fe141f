/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libtdcall emulator (target tdcall_emu): a portable C model of what a TD guest can observe of
 * the TDX module 1.5 and of a VMM answering GHCI calls. Freestanding-clean, no globals, no
 * allocation: every byte of state is owned by the embedder (struct tdx_emu, the range table,
 * the per-page state arrays, optional backing memory, the vCPU table).
 *
 * Thread safety: tdx_emu_dispatch() may be called concurrently from any number of threads
 * (one per emulated vCPU or more). Page states, RTMR locks, fault budgets and counters are
 * updated with __atomic builtins; contention is reported the way the module does (OPERAND_BUSY)
 * instead of waiting. Configuration (tdx_emu_init, tdx_emu_fault_*) must not race dispatch.
 *
 * Contract and the exact model (what is and is not emulated): docs/libtdcall.md.
 */
#ifndef TDSHIM_TDX_EMU_H
#define TDSHIM_TDX_EMU_H

#include "tdshim/tdcall.h"
#include "tdshim/tdvmcall.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Per-4K page acceptance state (bits 1:0 of a page-state byte). */
typedef enum tdx_emu_page_state {
    TDX_EMU_PAGE_NOT_PRESENT = 0, /* not added by the VMM: ACCEPT -> EPT_ENTRY_NOT_PRESENT */
    TDX_EMU_PAGE_PENDING = 1,     /* added (AUG), waiting for ACCEPT */
    TDX_EMU_PAGE_ACCEPTED = 2,    /* guest-accessible private page */
    TDX_EMU_PAGE_BUSY = 3         /* internal: an ACCEPT is zeroing it right now */
} tdx_emu_page_state;
#define TDX_EMU_PAGE_STATE_MASK 0x3u
#define TDX_EMU_PAGE_SHARED 0x4u /* bit 2: MapGPA converted the page to shared */

/* One RAM range of the memory map. Caller-owned; page_state has size / 4096 bytes. */
struct tdx_emu_range {
    uint64_t base;               /* 4 KiB aligned (2 MiB aligned when map_level is 2M) */
    uint64_t size;               /* non-zero multiple of 4 KiB (of 2 MiB for 2M) */
    tdx_emu_page_state initial;  /* NOT_PRESENT, PENDING or ACCEPTED (VMM-added) */
    tdcall_page_level map_level; /* how the VMM mapped it: 4K (2M accept -> SIZE_MISMATCH) or 2M */
    uint8_t *page_state;         /* size / 4096 state bytes, written by tdx_emu_init */
    uint8_t *backing;            /* optional: `size` bytes that ACCEPT zeroes (NULL: none) */
};

/* One metadata field for TDG.VM/VP/SYS.RD/WR. Caller-owned, updated atomically in place. */
typedef enum tdx_emu_scope {
    TDX_EMU_SCOPE_TD = 0,
    TDX_EMU_SCOPE_VCPU,
    TDX_EMU_SCOPE_SYS
} tdx_emu_scope;
struct tdx_emu_field {
    uint64_t id;
    uint64_t value;
    uint64_t writable; /* bits the guest may write; 0 = read-only */
    tdx_emu_scope scope;
};

/* Per-vCPU state (optional table of num_vcpus entries; NULL = no #VE info, no CPUIDVE). */
struct tdx_emu_vcpu {
    uint32_t ve_valid; /* atomic: 1 while ve holds unread #VE info */
    struct tdcall_ve_info ve;
    uint64_t cpuidve_flags;
};

/*
 * The VMM side, supplied by the embedder. Each hook returns the GHCI status for R10 and writes
 * its outputs through the pointers. A NULL hook answers SUBFUNC_UNSUPPORTED. `vcpu` is the
 * caller's vCPU index. The hooks may run concurrently when dispatch does.
 */
struct tdx_emu_hooks {
    void *ctx;
    uint64_t (*io)(void *ctx, uint32_t vcpu, uint16_t port, uint32_t size, bool write,
                   uint64_t *value);
    uint64_t (*mmio)(void *ctx, uint32_t vcpu, uint64_t gpa, uint32_t size, bool write,
                     uint64_t *value);
    uint64_t (*rdmsr)(void *ctx, uint32_t vcpu, uint32_t msr, uint64_t *value);
    uint64_t (*wrmsr)(void *ctx, uint32_t vcpu, uint32_t msr, uint64_t value);
    uint64_t (*cpuid)(void *ctx, uint32_t vcpu, uint32_t leaf, uint32_t subleaf, uint64_t out[4]);
    uint64_t (*hlt)(void *ctx, uint32_t vcpu, bool interrupts_blocked);
    uint64_t (*report_fatal_error)(void *ctx, uint32_t vcpu, uint64_t code, uint64_t msg_gpa,
                                   const uint8_t msg[64]);
    uint64_t (*get_quote)(void *ctx, uint32_t vcpu, uint64_t gpa, uint64_t size);
    uint64_t (*setup_event_notify)(void *ctx, uint32_t vcpu, uint64_t vector);
    /* Any other sub-function (WBINVD, Service, GetTdVmCallInfo leaves > 1, vendor R10 != 0):
     * sees and edits the VMM's view of the registers (unexposed ones read as 0). */
    uint64_t (*other)(void *ctx, uint32_t vcpu, struct tdcall_regs *vmm_view);
    /* Resolve a buffer GPA passed to RTMR.EXTEND / REPORT / VERIFYREPORT / SYS.RDALL to host
     * memory of `len` bytes, or NULL (-> OPERAND_INVALID). NULL hook: GPA == host pointer. */
    void *(*map_buffer)(void *ctx, uint64_t gpa, size_t len);
};

struct tdx_emu_config {
    uint32_t gpaw;      /* 48 or 52 */
    uint32_t num_vcpus; /* >= 1 */
    uint32_t max_vcpus; /* >= num_vcpus (0: = num_vcpus) */
    uint64_t attributes;
    uint64_t xfam;
    uint8_t mrtd[48];
    uint8_t mrconfigid[48];
    uint8_t mrowner[48];
    uint8_t mrownerconfig[48];
    bool sys_rd_available;        /* VP.INFO R10 bit 0 */
    bool scribble_vmcall_regs;    /* hostile VMM: fill every exposed register it does not answer
                                     in with garbage */
    bool aug_on_accept;           /* VMM adds NOT_PRESENT pages when the guest accepts them (the
                                     EPT-violation exit KVM answers with AUG): ACCEPT then
                                     behaves as on PENDING. false: EPT_ENTRY_NOT_PRESENT */
    struct tdx_emu_range *ranges; /* sorted by base, non-overlapping */
    size_t range_count;
    struct tdx_emu_field *fields;
    size_t field_count;
    struct tdx_emu_vcpu *vcpus; /* NULL or num_vcpus entries */
    struct tdx_emu_hooks hooks;
};

/* MapGPA misbehaviour (fault injection). */
typedef enum tdx_emu_map_gpa_fault {
    TDX_EMU_MAPGPA_NORMAL = 0,
    TDX_EMU_MAPGPA_RETRY_CHUNK, /* convert one 2 MiB chunk, answer RETRY with the next GPA */
    TDX_EMU_MAPGPA_RETRY_AT,    /* convert nothing, answer RETRY with R11 = the given GPA */
    TDX_EMU_MAPGPA_STATUS       /* convert nothing, answer R10 = the given status */
} tdx_emu_map_gpa_fault;

/* Fault budgets: each counts down atomically; 0 = off. */
struct tdx_emu_faults {
    uint64_t busy_on_call; /* the Nth TDCALL (1-based, all leaves) answers OPERAND_BUSY */
    uint32_t leaf;         /* with leaf_count: calls of this leaf answer leaf_status */
    uint32_t leaf_count;
    uint64_t leaf_status;
    uint32_t map_gpa_mode; /* tdx_emu_map_gpa_fault */
    uint32_t map_gpa_count;
    uint64_t map_gpa_value; /* resume GPA (RETRY_AT) or R10 (STATUS) */
    uint32_t vmcall_subfn;  /* with vmcall_count: this sub-function answers vmcall_status */
    uint32_t vmcall_count;
    uint64_t vmcall_status;
};

#define TDX_EMU_VMCALL_SLOTS 16u

/* Counters (read with tdx_emu_counters_get; updated atomically). */
struct tdx_emu_counters {
    uint64_t calls;                              /* every dispatch */
    uint64_t leaf[TDCALL_LEAF_COUNT_];           /* per leaf (unknown leaves not counted here) */
    uint64_t accept_calls[3];                    /* ACCEPT calls per level 4K/2M/1G */
    uint64_t accept_ok[3];                       /* ... that succeeded */
    uint64_t accepted_bytes;                     /* bytes zeroed and accepted */
    uint64_t vmcall_subfn[TDX_EMU_VMCALL_SLOTS]; /* see tdx_emu_vmcall_slot() */
    uint64_t faults_injected;
};

/*
 * Observer of the VMM side (tests): called after every TDG.VP.VMCALL that reached the VMM, with
 * the VMM's view of the inputs (unexposed registers 0) and of its answer (R10 = status,
 * outputs), on the calling thread. Set with tdx_emu_set_observer.
 */
typedef void (*tdx_emu_observe_fn)(void *ctx, uint32_t vcpu, const struct tdcall_regs *vmm_in,
                                   const struct tdcall_regs *vmm_out);

/* The emulator. Caller-owned; all fields private except through the functions below. */
struct tdx_emu {
    struct tdx_emu_config cfg;
    uint8_t rtmr[TDCALL_RTMR_COUNT][48];
    uint8_t rtmr_lock[TDCALL_RTMR_COUNT];
    uint8_t mac_key[32];
    struct tdx_emu_faults faults;
    struct tdx_emu_counters counters;
    uint64_t call_seq;
    struct tdx_emu_vcpu ve_slot; /* the pending #VE when cfg.vcpus is NULL ... */
    uint32_t ve_slot_vcpu;       /* ... and the vCPU it is for */
    tdx_emu_observe_fn observe;
    void *observe_ctx;
    bool ready;
};

/* Validate cfg (gpaw 48/52; num_vcpus >= 1; max_vcpus >= num_vcpus; ranges non-empty, aligned,
 * sorted, non-overlapping, below the shared bit, page_state non-NULL; 2M ranges 2M aligned;
 * fields unique) and reset every piece of state: RTMRs zero, page states = initial, backing
 * untouched, counters and faults zero. cfg is copied; the arrays it points to are not. */
TDS_MUST_USE tds_status tdx_emu_init(struct tdx_emu *emu, const struct tdx_emu_config *cfg);

/* Execute one TDCALL for vCPU `vcpu_index` against the emulated module: reads *regs like the
 * module reads registers, writes outputs into *regs, returns the new RAX (also in regs->rax).
 * vcpu_index >= num_vcpus -> TDX_VCPU_STATE_INCORRECT. Never fails otherwise. */
uint64_t tdx_emu_dispatch(struct tdx_emu *emu, uint32_t vcpu_index, struct tdcall_regs *regs);

/* ---- inspection and VMM-side actions (for tests) ------------------------------------------ */

/* State byte of the 4K page containing gpa (shared bit ignored). Not in the map ->
 * TDS_ERR_NOT_FOUND. */
TDS_MUST_USE tds_status tdx_emu_page_get(const struct tdx_emu *emu, uint64_t gpa, uint8_t *state);
/* VMM action: set [gpa, gpa+size) to `state` (e.g. AUG -> PENDING). Must be in the map. */
TDS_MUST_USE tds_status tdx_emu_page_set(struct tdx_emu *emu, uint64_t gpa, uint64_t size,
                                         tdx_emu_page_state state);
/* Current RTMR value. */
TDS_MUST_USE tds_status tdx_emu_rtmr_get(const struct tdx_emu *emu, uint32_t index,
                                         uint8_t out[48]);
/*
 * Make #VE info pending for vCPU `vcpu`: the next TDG.VP.VEINFO.GET on that vCPU returns it
 * (and invalidates it). With a vCPU table each vCPU has its own; without one the emulator holds
 * one pending #VE (for the given vCPU). A second before it was read -> TDS_ERR_STATE (a real
 * module would raise #DF).
 */
TDS_MUST_USE tds_status tdx_emu_inject_ve(struct tdx_emu *emu, uint32_t vcpu,
                                          const struct tdcall_ve_info *ve);
/* Install (NULL: remove) the VMM-side observer. Must not race dispatch. */
void tdx_emu_set_observer(struct tdx_emu *emu, tdx_emu_observe_fn fn, void *ctx);
/* Replace the fault budgets (zeroed struct = no faults). */
void tdx_emu_faults_set(struct tdx_emu *emu, const struct tdx_emu_faults *faults);
/* Snapshot of the counters. */
void tdx_emu_counters_get(const struct tdx_emu *emu, struct tdx_emu_counters *out);
/* Counter slot of a GHCI sub-function in counters.vmcall_subfn (last slot = "other"). */
uint32_t tdx_emu_vmcall_slot(uint64_t subfn);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_TDX_EMU_H */
