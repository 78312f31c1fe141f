/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The cryptography, on mbedTLS: 3.6 LTS in the firmware (the project's freestanding build of
 * Debian 13's source package) and whatever libmbedtls-dev the host has (2.28 on Debian 12). The
 * few calls whose API changed between the two are chosen by MBEDTLS_VERSION_NUMBER, nothing else.
 * Keys and signatures are judged on their bytes before mbedTLS sees them, so each refusal has its
 * own reason; mbedTLS's own checks stay as a second line.
 */
#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha512.h>
#include <mbedtls/version.h>

#include "secboot_int.h"

/* mbedTLS 3 dropped the "_ret" of 2.28's SHA-512 calls (2.28's names without it return void). */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define SB_SHA512_STARTS mbedtls_sha512_starts
#define SB_SHA512_UPDATE mbedtls_sha512_update
#define SB_SHA512_FINISH mbedtls_sha512_finish
#else
#define SB_SHA512_STARTS mbedtls_sha512_starts_ret
#define SB_SHA512_UPDATE mbedtls_sha512_update_ret
#define SB_SHA512_FINISH mbedtls_sha512_finish_ret
#endif

tds_status sb_sha384(const tds_bytes *parts, size_t n, uint8_t out[SECBOOT_SHA384_LEN])
{
    uint8_t full[64]; /* mbedTLS writes 64 bytes for SHA-384 too */
    mbedtls_sha512_context ctx;
    mbedtls_sha512_init(&ctx);
    int rc = SB_SHA512_STARTS(&ctx, 1);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (parts[i].len != 0) {
            rc = SB_SHA512_UPDATE(&ctx, parts[i].ptr, parts[i].len);
        }
    }
    if (rc == 0) {
        rc = SB_SHA512_FINISH(&ctx, full);
    }
    mbedtls_sha512_free(&ctx);
    if (rc != 0) {
        return TDS_ERR_STATE;
    }
    memcpy(out, full, SECBOOT_SHA384_LEN);
    return TDS_OK;
}

/* An mbedTLS failure for want of memory (MPI or ECP allocation), as opposed to a refusal. */
static bool out_of_memory(int rc)
{
    const int low = (-rc) & 0x7F;
    return rc == MBEDTLS_ERR_ECP_ALLOC_FAILED || low == (-MBEDTLS_ERR_MPI_ALLOC_FAILED);
}

static tds_status trust_check(tds_bytes key, const secboot_policy *policy, uint64_t off_key,
                              secboot_error *err)
{
    uint8_t h[SECBOOT_SHA384_LEN];
    if (sb_sha384(&key, 1, h) != TDS_OK) {
        return sb_fail(err, SECBOOT_R_CRYPTO, off_key);
    }
    if (!tds_ct_equal(h, policy->key_hash, sizeof h)) {
        return sb_fail(err, SECBOOT_R_KEY_UNTRUSTED, off_key);
    }
    return TDS_OK;
}

tds_status sb_ecdsa_verify(const uint8_t key_xy[SECBOOT_ECDSA_KEY],
                           const uint8_t sig_rs[2 * SECBOOT_ECDSA_COORD],
                           const uint8_t hash[SECBOOT_SHA384_LEN], const secboot_policy *policy,
                           uint64_t off_key, uint64_t off_sig, secboot_error *err)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi r;
    mbedtls_mpi s;
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    tds_status st = TDS_OK;
    uint8_t point[1 + SECBOOT_ECDSA_KEY];
    point[0] = 0x04; /* uncompressed (SEC 1 2.3.3) */
    memcpy(point + 1, key_xy, SECBOOT_ECDSA_KEY);
    int rc = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP384R1);
    if (rc != 0) {
        st = sb_fail(err, SECBOOT_R_CRYPTO, off_key);
        goto out;
    }
    rc = mbedtls_ecp_point_read_binary(&grp, &q, point, sizeof point);
    if (rc == 0) {
        rc = mbedtls_ecp_check_pubkey(&grp, &q);
    }
    if (rc != 0) {
        st = sb_fail(err, out_of_memory(rc) ? SECBOOT_R_CRYPTO : SECBOOT_R_ECDSA_KEY, off_key);
        goto out;
    }
    rc = mbedtls_mpi_read_binary(&r, sig_rs, SECBOOT_ECDSA_COORD);
    if (rc == 0) {
        rc = mbedtls_mpi_read_binary(&s, sig_rs + SECBOOT_ECDSA_COORD, SECBOOT_ECDSA_COORD);
    }
    if (rc != 0) {
        st = sb_fail(err, SECBOOT_R_CRYPTO, off_sig);
        goto out;
    }
    if (mbedtls_mpi_cmp_int(&r, 0) == 0 || mbedtls_mpi_cmp_mpi(&r, &grp.N) >= 0) {
        st = sb_fail(err, SECBOOT_R_ECDSA_SIG_RANGE, off_sig);
        goto out;
    }
    if (mbedtls_mpi_cmp_int(&s, 0) == 0 || mbedtls_mpi_cmp_mpi(&s, &grp.N) >= 0) {
        st = sb_fail(err, SECBOOT_R_ECDSA_SIG_RANGE, off_sig + SECBOOT_ECDSA_COORD);
        goto out;
    }
    st = trust_check(tds_bytes_make(key_xy, SECBOOT_ECDSA_KEY), policy, off_key, err);
    if (st != TDS_OK) {
        goto out;
    }
    rc = mbedtls_ecdsa_verify(&grp, hash, SECBOOT_SHA384_LEN, &q, &r, &s);
    if (rc != 0) {
        st = sb_fail(err, out_of_memory(rc) ? SECBOOT_R_CRYPTO : SECBOOT_R_SIGNATURE, off_sig);
    }
out:
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    return st;
}

/* Big-endian a < b for equal lengths. */
static bool be_less(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return a[i] < b[i];
        }
    }
    return false;
}

tds_status sb_rsa_verify(const uint8_t key_ne[SECBOOT_RSA_KEY], const uint8_t sig[SECBOOT_RSA_MOD],
                         const uint8_t hash[SECBOOT_SHA384_LEN], const secboot_policy *policy,
                         uint64_t off_key, uint64_t off_sig, secboot_error *err)
{
    const uint8_t *n = key_ne;
    const uint8_t *e = key_ne + SECBOOT_RSA_MOD;
    if ((n[0] & 0x80u) == 0 || (n[SECBOOT_RSA_MOD - 1] & 1u) == 0) {
        return sb_fail(err, SECBOOT_R_RSA_KEY_SIZE, off_key);
    }
    const uint32_t e_hi = tds_load_be32(e);
    const uint32_t e_lo = tds_load_be32(e + 4);
    if (e_hi != 0 || e_lo < 3 || (e_lo & 1u) == 0) {
        return sb_fail(err, SECBOOT_R_RSA_EXPONENT, off_key + SECBOOT_RSA_MOD);
    }
    if (!be_less(sig, n, SECBOOT_RSA_MOD)) {
        return sb_fail(err, SECBOOT_R_RSA_SIG_RANGE, off_sig);
    }
    TDS_TRY(trust_check(tds_bytes_make(key_ne, SECBOOT_RSA_KEY), policy, off_key, err));

    mbedtls_rsa_context ctx;
    tds_status st = TDS_OK;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    mbedtls_rsa_init(&ctx);
    int rc = mbedtls_rsa_set_padding(&ctx, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA384);
#else
    mbedtls_rsa_init(&ctx, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA384);
    int rc = 0;
#endif
    if (rc == 0) {
        rc = mbedtls_rsa_import_raw(&ctx, n, SECBOOT_RSA_MOD, NULL, 0, NULL, 0, NULL, 0, e,
                                    SECBOOT_RSA_EXP);
    }
    if (rc == 0) {
        rc = mbedtls_rsa_complete(&ctx);
    }
    if (rc == 0) {
        rc = mbedtls_rsa_check_pubkey(&ctx);
    }
    if (rc != 0) {
        st = sb_fail(err, out_of_memory(rc) ? SECBOOT_R_CRYPTO : SECBOOT_R_RSA_KEY_SIZE, off_key);
        goto out;
    }
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    rc = mbedtls_rsa_rsassa_pss_verify_ext(&ctx, MBEDTLS_MD_SHA384, SECBOOT_SHA384_LEN, hash,
                                           MBEDTLS_MD_SHA384, (int)SECBOOT_PSS_SALT, sig);
#else
    rc = mbedtls_rsa_rsassa_pss_verify_ext(&ctx, NULL, NULL, MBEDTLS_RSA_PUBLIC, MBEDTLS_MD_SHA384,
                                           SECBOOT_SHA384_LEN, hash, MBEDTLS_MD_SHA384,
                                           (int)SECBOOT_PSS_SALT, sig);
#endif
    if (rc != 0) {
        st = sb_fail(err, out_of_memory(rc) ? SECBOOT_R_CRYPTO : SECBOOT_R_SIGNATURE, off_sig);
    }
out:
    mbedtls_rsa_free(&ctx);
    return st;
}
