/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libmailbox shared-layout numbers, the ONE place they are written down. This header is plain
 * #defines so that the assembly blob (libmailbox/x86/os_blob.S) can include it; the C structures
 * in mailbox_fw.h and mailbox_os.h lock their offsets to these numbers with TDS_ASSERT_OFFSET, so
 * the C and assembly views cannot drift apart (safe-C rule 6, docs/safe-c.md).
 *
 * Spec: ACPI 6.4+ 5.2.12.19 (Multiprocessor Wakeup Structure and mailbox).
 */
#ifndef TDSHIM_MAILBOX_ABI_H
#define TDSHIM_MAILBOX_ABI_H

/*
 * Thread safety: offsets and constants only; which side writes which field is in the comments
 * below.
 */

/* ---- ACPI MP-wakeup mailbox (OS-visible, 4 KiB, 4 KiB-aligned) ---- */
#define MBOX_OS_SIZE 4096
#define MBOX_OS_ALIGN 4096
#define MBOX_OS_OFF_COMMAND 0       /* u16, OS writes (release), target AP clears to 0 (ack) */
#define MBOX_OS_OFF_RESERVED 2      /* u16 */
#define MBOX_OS_OFF_APIC_ID 4       /* u32, OS writes */
#define MBOX_OS_OFF_WAKEUP_VECTOR 8 /* u64, OS writes */
#define MBOX_OS_OFF_OS_AREA 16      /* 2032 bytes reserved for the OS */
#define MBOX_OS_OS_AREA_SIZE 2032
#define MBOX_OS_OFF_FW_AREA 2048 /* 2048 bytes reserved for the firmware */
#define MBOX_OS_FW_AREA_SIZE 2048

/* Commands (ACPI 6.6 table 5.48): 0 noop, 1 wakeup, 2 test. */
#define MBOX_OS_CMD_NOOP 0
#define MBOX_OS_CMD_WAKEUP 1
#define MBOX_OS_CMD_TEST 2

/* ---- The relocatable OS-phase AP loop blob (libmailbox/x86/os_blob.S) ---- */
/* Entry points, as offsets from the start of the blob. */
#define MBOX_BLOB_OFF_ENTRY 0        /* firmware enters here: RDI = mailbox, ESI = x2APIC ID */
#define MBOX_BLOB_OFF_RESET_ENTRY 64 /* ACPI 6.6 ResetVector (version-1 mailbox) */
/* Data slots patched by mbox_os_blob_install() (u64 each, little endian). */
#define MBOX_BLOB_OFF_MAILBOX 192 /* physical address of the mailbox */
#define MBOX_BLOB_OFF_FW_CR3 200  /* firmware page-table root reloaded by the reset entry */
#define MBOX_BLOB_OFF_MAGIC 208   /* MBOX_BLOB_MAGIC, checked by the installer */
#define MBOX_BLOB_MAGIC 0x31424c42584f424d /* "MBOXBLB1" as little-endian bytes */
#define MBOX_BLOB_MAX_SIZE 1024            /* the blob plus its data fits in this many bytes */

/* ---- Firmware-phase per-vCPU slot (private TD memory, shared only between vCPUs) ---- */
#define MBOX_FW_SLOT_SIZE 128
#define MBOX_FW_SLOT_ALIGN 64
/* Cache line 0: written by the BSP only. */
#define MBOX_FW_OFF_SEQ 0     /* u32, BSP release-stores the number of the posted command */
#define MBOX_FW_OFF_CMD 4     /* u32 */
#define MBOX_FW_OFF_FN 8      /* function pointer (RUN) */
#define MBOX_FW_OFF_ARG 16    /* void * (RUN) */
#define MBOX_FW_OFF_A0 24     /* u64: RUN stack top / SET_CR3 value / SET_IDT base */
#define MBOX_FW_OFF_A1 32     /* u64: SET_IDT limit */
#define MBOX_FW_OFF_WORKER 40 /* u32: RUN worker index */
/* Cache line 1: written by the AP only. */
#define MBOX_FW_OFF_DONE 64    /* u32, AP release-stores the seq it has completed */
#define MBOX_FW_OFF_STATE 68   /* u32, AP release-stores its state */
#define MBOX_FW_OFF_APIC_ID 72 /* u32, AP's x2APIC ID (written before state = PARKED) */
#define MBOX_FW_OFF_RESULT 76  /* u32, per-command result (written before done) */

#endif /* TDSHIM_MAILBOX_ABI_H */
