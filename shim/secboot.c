/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Secure boot of payloads in the shim (secboot.h, docs/secure-boot.md). */
#include "secboot.h"

#include "boot.h"
#include "fatal.h"
#include "log.h"
#include "measure.h"
#include "rt/heap.h"
#include "tdshim/mem.h"

/* BSP-only state, written once by shim_sb_init. */
static uint8_t shim_sb_cfv[SHIM_CFV_MAX] TDS_ALIGNED(16);
static size_t shim_sb_cfv_len;
static bool shim_sb_on;
static secboot_policy shim_sb_policy;
static uint8_t shim_sb_sig[SECBOOT_LINUX_SIG_MAX];
static size_t shim_sb_sig_len;

/* ---- mbedTLS's heap (cmake/mbedtls: MBEDTLS_PLATFORM_CALLOC/FREE_MACRO) ---- */
static uint8_t shim_sb_arena[SHIM_CRYPTO_HEAP] TDS_ALIGNED(16);
static struct rt_heap shim_sb_heap;
static bool shim_sb_heap_ready;

void *tdshim_mbedtls_calloc(size_t n, size_t size);
void tdshim_mbedtls_free(void *p);

void *tdshim_mbedtls_calloc(size_t n, size_t size)
{
    if (!shim_sb_heap_ready) {
        return NULL;
    }
    return rt_heap_calloc(&shim_sb_heap, n, size);
}

void tdshim_mbedtls_free(void *p)
{
    if (!shim_sb_heap_ready || !rt_heap_free(&shim_sb_heap, p)) {
        shim_fatal(0x9015, "secure boot: mbedTLS freed memory its heap did not hand out");
    }
}

uint32_t shim_sb_fatal_code(secboot_reason r)
{
    switch (r) {
    case SECBOOT_R_UNSIGNED: return 0x9010;
    case SECBOOT_R_KEY_UNTRUSTED: return 0x9011;
    case SECBOOT_R_SIGNATURE: return 0x9012;
    case SECBOOT_R_SVN_ROLLBACK: return 0x9013;
    case SECBOOT_R_CRYPTO: return 0x9015;
    case SECBOOT_R_LINUX_SIG: return 0x9016;
    case SECBOOT_R_IMAGE_FLAGS: return 0x9002;
    case SECBOOT_R_REQUIRED: return 0x9003;
    case SECBOOT_R_CFV_FV:
    case SECBOOT_R_CFV_FILE_HEADER:
    case SECBOOT_R_CFV_FILE_SIZE:
    case SECBOOT_R_CFV_LARGE_FILE:
    case SECBOOT_R_CFV_DUPLICATE:
    case SECBOOT_R_CFV_NO_KEY:
    case SECBOOT_R_CFV_FILE_TYPE:
    case SECBOOT_R_CFV_KEY_HEADER:
    case SECBOOT_R_CFV_KEY_LENGTH:
    case SECBOOT_R_CFV_HASH_ALG:
    case SECBOOT_R_CFV_SVN_FILE: return 0x9004;
    default: return 0x9014; /* the signed payload's or the COSE message's format */
    }
}

/* The one refusal path: a line with the reason's text and offset, then the fatal line naming it. */
static TDS_NORETURN void refuse(const char *source, const secboot_error *e)
{
    static char what[96];
    shim_log("tdshim: secboot: %s: %s (%s) at offset %lu", source, secboot_reason_str(e->reason),
             secboot_reason_text(e->reason), e->offset);
    (void)shim_format(what, sizeof what, "secure boot: %s refused: %s", source,
                      secboot_reason_str(e->reason));
    shim_fatal(shim_sb_fatal_code(e->reason), what);
}

/* The first CFV section; fatal (0x9001) when there is none, or it is outside the image or
 * larger than the copy. */
static const tdvf_section *find_cfv(const tdvf_meta *meta, uint64_t image_size)
{
    const tdvf_section *cfv = NULL;
    for (uint32_t i = 0; i < meta->count && cfv == NULL; i++) {
        if (meta->sec[i].type == TDVF_SEC_CFV) {
            cfv = &meta->sec[i];
        }
    }
    const bool inside = cfv != NULL && cfv->mem_size != 0 && cfv->mem_size <= SHIM_CFV_MAX &&
                        image_size <= (1ull << 32) && cfv->mem_addr >= (1ull << 32) - image_size &&
                        cfv->mem_addr < (1ull << 32) &&
                        (1ull << 32) - cfv->mem_addr >= cfv->mem_size;
    if (!inside) {
        shim_log("tdshim: secboot: CFV section missing, outside the image or larger than 0x%x "
                 "bytes (what the shim copies)",
                 SHIM_CFV_MAX);
        shim_fatal(0x9001, "secure boot: the CFV cannot be read");
    }
    return cfv;
}

void shim_sb_init(const tdvf_meta *meta, uint64_t image_size)
{
    if (!rt_heap_init(&shim_sb_heap, shim_sb_arena, sizeof shim_sb_arena)) {
        shim_fatal(0x9015, "secure boot: mbedTLS heap");
    }
    shim_sb_heap_ready = true;
    /* The record in our own BFV's metadata page, its first page (measured into MRTD with the
     * BFV); tdvf_open checked there is exactly one such BFV. */
    const tdvf_section *shim_bfv = NULL;
    tdvf_error terr = {"", UINT32_MAX};
    if (tdvf_find_shim_bfv(meta, &shim_bfv, &terr) != TDS_OK) {
        shim_fatal(0x9002, terr.what);
    }
    const uint64_t bfv = shim_bfv->mem_addr;
    const tds_bytes rec = tds_bytes_make((const void *)(uintptr_t)(bfv + SECBOOT_IMAGE_REC_OFFSET),
                                         SECBOOT_IMAGE_REC_SIZE);
    uint32_t flags = 0;
    secboot_error e = {SECBOOT_R_NONE, 0};
    if (secboot_image_flags(rec, &flags, &e) != TDS_OK) {
        refuse("image record", &e);
    }
    const bool required = (flags & SECBOOT_IMAGE_REQUIRED) != 0;
    /* The CFV section (tdvf_open checked it is one firmware volume inside the image). */
    const tdvf_section *cfv = find_cfv(meta, image_size);
    /* PAGE.ADDed without MR.EXTEND: its bytes are the VMM's choice. One copy; from here on only
     * the copy is read, measured and parsed. */
    shim_sb_cfv_len = (size_t)cfv->mem_size;
    memcpy(shim_sb_cfv, (const void *)(uintptr_t)cfv->mem_addr, shim_sb_cfv_len);
    bool enforced = false;
    if (secboot_decide(tds_bytes_make(shim_sb_cfv, shim_sb_cfv_len), required, &enforced,
                       &shim_sb_policy, &e) != TDS_OK) {
        refuse("CFV", &e);
    }
    shim_sb_on = enforced;
    if (enforced) {
        char hex[2 * SECBOOT_SHA384_LEN + 1];
        (void)shim_hex(hex, sizeof hex, shim_sb_policy.key_hash, sizeof shim_sb_policy.key_hash);
        shim_log(
            "tdshim: secboot: enforced (image record %s), trust anchor sha384=%s min_svn=%lu%s",
            required ? "requires it" : "does not require it", hex, shim_sb_policy.min_svn,
            shim_sb_policy.has_min_svn ? "" : " (no minimum-SVN file)");
    } else {
        shim_log("tdshim: secboot: off (no trust anchor in the CFV; the image does not require "
                 "secure boot)");
    }
}

bool shim_sb_enforced(void)
{
    return shim_sb_on;
}

void shim_sb_measure_policy(void)
{
    if (!shim_sb_on) {
        return;
    }
    uint8_t db[SECBOOT_POLICY_DB_MAX];
    size_t len = 0;
    if (secboot_policy_db(tds_bytes_make(shim_sb_cfv, shim_sb_cfv_len), &shim_sb_policy, db,
                          &len) != TDS_OK) {
        shim_fatal(0x9004, "secure boot: the CFV's policy files are not where it was parsed");
    }
    shim_measure_secure_policy(tds_bytes_make(db, len));
}

/* After a good verification: the trust anchor (RTMR0), the SVN (RTMR1). */
static void accepted(const char *source, const secboot_result *r)
{
    shim_log("tdshim: secboot: %s verified: format=%s algorithm=%s svn=%lu version=%lu "
             "min_svn=%lu",
             source, r->format == SECBOOT_FORMAT_TDSHIM ? "td-shim" : "cose",
             r->algorithm == SECBOOT_ALG_ECDSA_P384_SHA384 ? "ecdsa-p384" : "rsa-pss-3072", r->svn,
             r->version, shim_sb_policy.min_svn);
    /* key_file_offset + 88 is inside the copy: secboot_cfv_parse read those bytes. */
    shim_measure_secure_authority(
        tds_bytes_make(shim_sb_cfv + shim_sb_policy.key_file_offset, SECBOOT_CFV_KEY_DATA));
    shim_measure_payload_svn(r->svn);
}

tds_bytes shim_sb_verify_payload(tds_bytes in, const char *source)
{
    secboot_result r;
    secboot_error e = {SECBOOT_R_NONE, 0};
    if (!shim_sb_on) {
        shim_fatal(0x9014, "secure boot: verification asked for while not enforced");
    }
    if (secboot_verify_payload(in, &shim_sb_policy, &r, &e) != TDS_OK) {
        refuse(source, &e);
    }
    accepted(source, &r);
    return r.payload;
}

void shim_sb_linux_sig_read(shim_sb_read_fn read_sig)
{
    if (!shim_sb_on) {
        shim_fatal(0x9014, "secure boot: verification asked for while not enforced");
    }
    size_t len = 0;
    const tds_status st = read_sig(SECBOOT_LINUX_SIG_FILE, shim_sb_sig, sizeof shim_sb_sig, &len);
    secboot_error e = {SECBOOT_R_LINUX_SIG, 0};
    if (st == TDS_ERR_NOT_FOUND) {
        e.reason = SECBOOT_R_UNSIGNED;
        refuse("linux (no fw_cfg " SECBOOT_LINUX_SIG_FILE ")", &e);
    }
    if (st != TDS_OK || len == 0 || len > sizeof shim_sb_sig) {
        refuse("linux (fw_cfg " SECBOOT_LINUX_SIG_FILE ")", &e);
    }
    shim_sb_sig_len = len;
    shim_log("tdshim: secboot: linux: detached signature from fw_cfg %s, %lu bytes",
             SECBOOT_LINUX_SIG_FILE, (uint64_t)len);
}

void shim_sb_verify_linux(const rtmr_digest *kernel, const rtmr_digest *initrd,
                          const rtmr_digest *cmdline)
{
    if (!shim_sb_on || shim_sb_sig_len == 0) {
        shim_fatal(0x9014, "secure boot: linux verification without a signature read");
    }
    uint8_t msg[SECBOOT_LINUX_PAYLOAD];
    secboot_linux_payload(kernel->b, initrd->b, cmdline->b, msg);
    const tds_bytes detached = tds_bytes_make(msg, sizeof msg);
    secboot_result r;
    secboot_error e = {SECBOOT_R_NONE, 0};
    if (secboot_verify_cose(tds_bytes_make(shim_sb_sig, shim_sb_sig_len), &detached,
                            &shim_sb_policy, &r, &e) != TDS_OK) {
        refuse("linux", &e);
    }
    accepted("linux (kernel, initrd, cmdline)", &r);
}
