/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Secure boot of payloads in the shim (docs/secure-boot.md sections 4 and 5): the CFV copied to
 * private memory and parsed there as untrusted input (libsecboot); the policy files it holds
 * measured into RTMR0 ("secure_policy_db") before any payload is judged; every payload source
 * verified against it; "secure_authority" (RTMR0) and "td_payload_svn" (RTMR1) after a good
 * verification. Every refusal is fatal (0x9xxx).
 *
 * Enforcement (secboot_decide): on when the CFV holds a trust anchor; a CFV without one boots
 * unsigned payloads as before, unless the image's measured secure-boot record (BFV metadata page,
 * in MRTD: tdshim-image --require-secure-boot) says it is required, which makes that fatal. A
 * damaged secure-boot file in the CFV is always fatal. TD entry only: a plain VM has no
 * attestation and its VMM owns all of its memory, so nothing is enforced there.
 */
#ifndef TDSHIM_SHIM_SECBOOT_H
#define TDSHIM_SHIM_SECBOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "tdshim/base.h"
#include "tdshim/rtmr.h"
#include "tdshim/secboot.h"
#include "tdshim/tdvf.h"

/* The largest CFV the shim copies: 256 KiB, td-shim's CFV size (this project's default 64 KiB
 * CFV grows by at most 60 KiB to keep an image with a payload a 64 KiB multiple). A larger CFV
 * is fatal (0x9001). */
#define SHIM_CFV_MAX 0x40000u
/* mbedTLS's heap for the signature checks (about 7.3 KB at peak, docs/libsecboot.md 7). */
#define SHIM_CRYPTO_HEAP 0x8000u

/* Before the boot plan is chosen (BSP, TD entry): read the image's secure-boot record from the
 * BFV, copy the CFV section into private memory, decide whether secure boot is enforced. Fatal
 * on a malformed record, a CFV too large, a damaged secure-boot file, or a required-but-missing
 * trust anchor. */
void shim_sb_init(const tdvf_meta *meta, uint64_t image_size);

/* Enforced (after shim_sb_init)? */
bool shim_sb_enforced(void);

/* After the td_hob event, when enforced: RTMR0 <- "secure_policy_db" over the copy's trust-anchor
 * file data and, when present, its minimum-SVN file data (secboot_policy_db): every byte of the
 * CFV that the policy is made of, nothing else. */
void shim_sb_measure_policy(void);

/*
 * Verify a signed payload of either format (td-shim's, or COSE_Sign1 with the payload attached)
 * from `source` (for the log: "image payload", "payload region"); fatal on any refusal, naming the
 * reason. On success logs "secure_authority" and "td_payload_svn" and returns the authenticated
 * payload (a slice of `in`).
 */
tds_bytes shim_sb_verify_payload(tds_bytes in, const char *source);

/*
 * A fw_cfg Linux boot under secure boot. First shim_sb_linux_sig_read: the detached COSE_Sign1
 * message from fw_cfg SECBOOT_LINUX_SIG_FILE, copied into private memory once (`read_sig` reads
 * the fw_cfg file into buf, cap bytes, and sets *len; TDS_ERR_NO_SPACE when larger). No file:
 * fatal "unsigned" (0x9010); empty or over 4 KiB: "linux-sig" (0x9016). Then, once the three
 * blobs are hashed, shim_sb_verify_linux checks the copy over secboot_linux_payload(kernel,
 * initrd, cmdline); fatal on any refusal; on success logs "secure_authority" and
 * "td_payload_svn".
 */
typedef tds_status (*shim_sb_read_fn)(const char *name, uint8_t *buf, size_t cap, size_t *len);
void shim_sb_linux_sig_read(shim_sb_read_fn read_sig);
void shim_sb_verify_linux(const rtmr_digest *kernel, const rtmr_digest *initrd,
                          const rtmr_digest *cmdline);

/* The fatal code a refusal reason gets (pure; host-tested). */
uint32_t shim_sb_fatal_code(secboot_reason r);

#endif
