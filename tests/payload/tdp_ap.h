/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The payload as the OS of the ACPI Multiprocessor Wakeup protocol (docs/handoff.md §7,
 * docs/libmailbox.md): every AP listed in the MADT (except the BSP) is woken as Linux does
 * (ApicId, WakeupVector, then Command = 1 with release ordering, wait until Command reads 0) to
 * vector 1, which records and jumps to the MADT's ResetVector (the version-1 hand-back); then
 * each AP gets a TEST command (answered only by an AP back in the firmware's loop); then each is
 * woken again to vector 2, which records and parks. Every wait is bounded.
 */
#ifndef TDP_AP_H
#define TDP_AP_H

#include "tdp_acpi.h"
#include "tdp_ap_abi.h"
#include "tdp_line.h"
#include "tdshim/base.h"
#include "tdshim/mailbox_os.h"

typedef struct TDS_ALIGNED(TDP_AP_SLOT_SIZE) tdp_ap_slot {
    uint64_t rax1;
    uint64_t rdi1;
    uint32_t apic1;
    uint32_t done1;
    uint64_t rax2;
    uint64_t rdi2;
    uint32_t apic2;
    uint32_t done2;
    uint64_t reset;
    uint32_t release;
    uint32_t pad;
} tdp_ap_slot;
TDS_ASSERT_SIZE(tdp_ap_slot, TDP_AP_SLOT_SIZE);
TDS_ASSERT_OFFSET(tdp_ap_slot, rax1, TDP_AP_SLOT_RAX1);
TDS_ASSERT_OFFSET(tdp_ap_slot, rdi1, TDP_AP_SLOT_RDI1);
TDS_ASSERT_OFFSET(tdp_ap_slot, apic1, TDP_AP_SLOT_APIC1);
TDS_ASSERT_OFFSET(tdp_ap_slot, done1, TDP_AP_SLOT_DONE1);
TDS_ASSERT_OFFSET(tdp_ap_slot, rax2, TDP_AP_SLOT_RAX2);
TDS_ASSERT_OFFSET(tdp_ap_slot, rdi2, TDP_AP_SLOT_RDI2);
TDS_ASSERT_OFFSET(tdp_ap_slot, apic2, TDP_AP_SLOT_APIC2);
TDS_ASSERT_OFFSET(tdp_ap_slot, done2, TDP_AP_SLOT_DONE2);
TDS_ASSERT_OFFSET(tdp_ap_slot, reset, TDP_AP_SLOT_RESET);
TDS_ASSERT_OFFSET(tdp_ap_slot, release, TDP_AP_SLOT_RELEASE);

/* The vectors (ap_vectors.S). */
void tdp_ap_vector_reset(void);
void tdp_ap_vector_park(void);

typedef struct tdp_ap_env {
    mbox_os_mailbox *mailbox; /* the MADT's mailbox (identity-mapped) */
    uint64_t mailbox_addr;    /* what the AP must see in RDI (== the MADT's address) */
    uint64_t reset_vector;    /* the MADT's ResetVector */
    uint64_t vector1;         /* tdp_ap_vector_reset's address */
    uint64_t vector2;         /* tdp_ap_vector_park's address */
    uint32_t bsp_apic_id;     /* skipped */
    tdp_ap_slot *slots;       /* one per MADT CPU (index = MADT order), caller-owned */
    size_t slot_count;
    void *ctx;
    bool (*pause)(void *ctx); /* one spin step; false = give up (host) */
    uint64_t spin_limit;      /* pauses per wait before TDS_ERR_BUSY */
} tdp_ap_env;

typedef struct tdp_ap_summary {
    uint32_t aps;    /* MADT CPUs other than the BSP */
    uint32_t woken;  /* vector 1 recorded correctly */
    uint32_t tested; /* TEST acknowledged (back in the firmware loop: ResetVector worked) */
    uint32_t woken2; /* vector 2 recorded correctly */
    bool bsp_listed; /* the BSP's APIC ID is in the MADT */
} tdp_ap_summary;

/*
 * Run the three rounds over the MADT's CPUs, print one "ap apic=<id> woken=<0|1> reset=<ok|FAIL>
 * woken2=<0|1>" line per AP and an "aps ..." summary. TDS_OK when every AP passed every round
 * and the BSP is listed; TDS_ERR_BUSY when a wait timed out (the rounds stop there: a command
 * left pending in the mailbox makes later ones meaningless); TDS_ERR_MISMATCH when an AP
 * recorded a wrong RAX/RDI/APIC ID; TDS_ERR_NO_SPACE if slot_count < the MADT's CPU count.
 */
TDS_MUST_USE tds_status tdp_ap_check(const struct tdp_sink *sink, const tdp_madt *madt,
                                     const tdp_ap_env *env, tdp_ap_summary *out);

#endif /* TDP_AP_H */
