/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Booting a Linux kernel that QEMU gives through fw_cfg (-kernel, -initrd, -append), in a TD and on
 * a plain VM, with the Linux x86-64 boot protocol (docs/linux-boot.md; liblinux does the setup
 * header, the placement and boot_params, libacpi QEMU's ACPI tables).
 *
 * What is untrusted and how it is handled: the fw_cfg directory, every size and every byte (read
 * once, into private memory, hashed as it is copied; in a TD measured into RTMR1 before use:
 * kernel, initrd, command line, in that order, ccel_boot_plan_linux), the setup header (liblinux),
 * the ACPI table-loader script and blobs (libacpi).
 */
#ifndef TDSHIM_SHIM_LINUX_H
#define TDSHIM_SHIM_LINUX_H

#include <stdbool.h>
#include <stdint.h>

#include "fwcfg.h"
#include "handoff.h"

/*
 * Open fw_cfg the way this vCPU reaches it (`td`: TDG.VP.VMCALL<IO>) and tell whether it holds a
 * kernel (KERNEL_SIZE != 0). false without fw_cfg. The context is the shim's (one per boot).
 */
bool shim_linux_kernel_present(bool td);

/*
 * Load, measure (TD) and enter the kernel. TD: `h` is the hand-off context (APs, GPAW, the BSP's
 * APIC ID); every RAM byte must have been accepted already. Plain VM: h is NULL. Never returns:
 * enters the kernel or ends on the fatal path with a line naming the failure.
 */
TDS_NORETURN void shim_linux_boot(bool td, const shim_handoff_in *h);

/*
 * A TD whose image has a VMM-placed payload region (docs/linux-boot.md "From a VMM-placed
 * region"). The caller has checked that the region is accepted private RAM in the TD HOB.
 * shim_linux_region_is_kernel copies the region's first LNX_REGION_HEAD bytes once and tells
 * whether they are a bzImage's (0xAA55 at 0x1FE and "HdrS" at 0x202); if so
 * shim_linux_boot_region boots it: the plan becomes ccel_boot_plan_linux (fw_cfg present: QEMU's
 * ACPI tables) or ccel_boot_plan_linux_no_acpi (no fw_cfg: the shim's own RSDP, XSDT, MADT and
 * CCEL); setup and kernel are copied once into private memory, hashed as they are copied, and
 * measured exactly as the fw_cfg path measures the same file; the command line comes from the
 * PayloadParam section, else the TD HOB, else is empty; there is no initrd. Never returns.
 */
bool shim_linux_region_is_kernel(const tdvf_section *region);
/* The same test on bytes already in private memory (an authenticated payload, secure boot). */
bool shim_linux_bytes_are_kernel(tds_bytes b);
TDS_NORETURN void shim_linux_boot_region(const shim_handoff_in *h, const tdvf_section *region);
/* Secure boot: the region verified (the caller logged secure_authority and td_payload_svn); boot
 * the authenticated `kernel` inside it the same way, on
 * ccel_boot_plan_linux_region_secure(_no_acpi); the whole region stays reserved. Never returns. */
TDS_NORETURN void shim_linux_boot_region_signed(const shim_handoff_in *h,
                                                const tdvf_section *region, tds_bytes kernel);

#endif
