/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "sb_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/error.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha512.h>

#include "tool_io.h"

bool sb_sha384_buf(const uint8_t *p, size_t n, uint8_t out[SECBOOT_SHA384_LEN])
{
    uint8_t full[64];
    if (mbedtls_sha512_ret(p, n, full, 1) != 0) {
        return false;
    }
    memcpy(out, full, SECBOOT_SHA384_LEN);
    return true;
}

static bool is_pem(const uint8_t *p, size_t n)
{
    static const char tag[] = "-----BEGIN";
    return n >= sizeof tag - 1 && memcmp(p, tag, sizeof tag - 1) == 0;
}

static bool key_bytes(const char *tool, const char *path, sb_key *k)
{
    const mbedtls_pk_type_t type = mbedtls_pk_get_type(&k->pk);
    if (type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECKEY_DH || type == MBEDTLS_PK_ECDSA) {
        const mbedtls_ecp_keypair *ec = mbedtls_pk_ec(k->pk);
        if (ec->grp.id != MBEDTLS_ECP_DP_SECP384R1) {
            const mbedtls_ecp_curve_info *ci = mbedtls_ecp_curve_info_from_grp_id(ec->grp.id);
            fprintf(stderr,
                    "%s: wrong key type: '%s' is an EC key on %s, not P-384 (secp384r1); "
                    "secure boot takes ECDSA P-384 or RSA-3072 keys\n",
                    tool, path, ci != NULL ? ci->name : "an unknown curve");
            return false;
        }
        uint8_t pt[1 + SECBOOT_ECDSA_KEY];
        size_t olen = 0;
        if (mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pt,
                                           sizeof pt) != 0 ||
            olen != sizeof pt) {
            fprintf(stderr, "%s: cannot encode the public key of '%s'\n", tool, path);
            return false;
        }
        memcpy(k->pub, pt + 1, SECBOOT_ECDSA_KEY);
        k->pub_len = SECBOOT_ECDSA_KEY;
        k->kind = SB_KEY_ECDSA_P384;
        return true;
    }
    if (type == MBEDTLS_PK_RSA) {
        mbedtls_rsa_context *rsa = mbedtls_pk_rsa(k->pk);
        const size_t bits = mbedtls_pk_get_bitlen(&k->pk);
        if (bits != 3072) {
            fprintf(stderr,
                    "%s: wrong key size: '%s' is an RSA-%zu key; secure boot takes RSA-3072 "
                    "(or ECDSA P-384)\n",
                    tool, path, bits);
            return false;
        }
        if (mbedtls_rsa_export_raw(rsa, k->pub, SECBOOT_RSA_MOD, NULL, 0, NULL, 0, NULL, 0,
                                   k->pub + SECBOOT_RSA_MOD, SECBOOT_RSA_EXP) != 0) {
            fprintf(stderr, "%s: '%s': RSA public exponent longer than 8 bytes\n", tool, path);
            return false;
        }
        k->pub_len = SECBOOT_RSA_KEY;
        k->kind = SB_KEY_RSA_3072;
        return true;
    }
    fprintf(stderr,
            "%s: wrong key type: '%s' is a %s key; secure boot takes ECDSA P-384 or RSA-3072 "
            "keys\n",
            tool, path, mbedtls_pk_get_name(&k->pk));
    return false;
}

bool sb_key_load(const char *tool, const char *path, bool want_private, sb_key *k)
{
    memset(k, 0, sizeof *k);
    mbedtls_pk_init(&k->pk);
    uint8_t *buf = NULL;
    size_t len = 0;
    const tds_status st = tool_read_file(path, &buf, &len);
    if (st != TDS_OK) {
        fprintf(stderr, "%s: cannot read key '%s': %s\n", tool, path, tool_io_error());
        return false;
    }
    if (len > SB_KEY_MAX_FILE) {
        fprintf(stderr, "%s: key file '%s' is %zu bytes, larger than any key (%zu bytes)\n", tool,
                path, len, SB_KEY_MAX_FILE);
        free(buf);
        return false;
    }
    /* PEM needs the terminating NUL counted; DER is parsed with its exact length. */
    uint8_t *z = realloc(buf, len + 1);
    if (z == NULL) {
        free(buf);
        fprintf(stderr, "%s: out of memory\n", tool);
        return false;
    }
    buf = z;
    buf[len] = 0;
    const size_t plen = is_pem(buf, len) ? len + 1 : len;
    int rc = mbedtls_pk_parse_key(&k->pk, buf, plen, NULL, 0);
    k->is_private = rc == 0;
    if (rc != 0 && !want_private) {
        mbedtls_pk_free(&k->pk);
        mbedtls_pk_init(&k->pk);
        rc = mbedtls_pk_parse_public_key(&k->pk, buf, plen);
    }
    mbedtls_platform_zeroize(buf, len);
    free(buf);
    if (rc != 0) {
        char why[128];
        mbedtls_strerror(rc, why, sizeof why);
        if (rc == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG) {
            fprintf(stderr,
                    "%s: wrong key type: '%s' is neither an EC nor an RSA key; secure boot takes "
                    "ECDSA P-384 or RSA-3072 keys\n",
                    tool, path);
        } else if (rc == MBEDTLS_ERR_PK_PASSWORD_REQUIRED) {
            fprintf(stderr, "%s: key '%s' is encrypted; give an unencrypted PKCS#8 key\n", tool,
                    path);
        } else {
            fprintf(stderr, "%s: '%s' is not a %s key in PEM or DER (%s)\n", tool, path,
                    want_private ? "PKCS#8 private" : "public or private", why);
        }
        mbedtls_pk_free(&k->pk);
        return false;
    }
    if (!key_bytes(tool, path, k)) {
        mbedtls_pk_free(&k->pk);
        return false;
    }
    return true;
}

void sb_key_free(sb_key *k)
{
    mbedtls_pk_free(&k->pk);
}

bool sb_key_hash(const sb_key *k, uint8_t out[SECBOOT_SHA384_LEN])
{
    return sb_sha384_buf(k->pub, k->pub_len, out);
}

bool sb_rng_init(sb_rng *r)
{
    static const char pers[] = "tdshim-sign";
    mbedtls_entropy_init(&r->entropy);
    mbedtls_ctr_drbg_init(&r->drbg);
    return mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->entropy,
                                 (const unsigned char *)pers, sizeof pers - 1) == 0;
}

void sb_rng_free(sb_rng *r)
{
    mbedtls_ctr_drbg_free(&r->drbg);
    mbedtls_entropy_free(&r->entropy);
}

bool sb_sign_hash(sb_key *k, sb_rng *rng, const uint8_t hash[SECBOOT_SHA384_LEN], uint8_t *sig,
                  size_t sig_cap, size_t *sig_len)
{
    if (k->kind == SB_KEY_ECDSA_P384) {
        if (sig_cap < (size_t)2 * SECBOOT_ECDSA_COORD) {
            return false;
        }
        mbedtls_ecp_keypair *ec = mbedtls_pk_ec(k->pk);
        mbedtls_mpi r;
        mbedtls_mpi s;
        mbedtls_mpi_init(&r);
        mbedtls_mpi_init(&s);
        int rc = mbedtls_ecdsa_sign_det_ext(&ec->grp, &r, &s, &ec->d, hash, SECBOOT_SHA384_LEN,
                                            MBEDTLS_MD_SHA384, mbedtls_ctr_drbg_random, &rng->drbg);
        if (rc == 0) {
            rc = mbedtls_mpi_write_binary(&r, sig, SECBOOT_ECDSA_COORD);
        }
        if (rc == 0) {
            rc = mbedtls_mpi_write_binary(&s, sig + SECBOOT_ECDSA_COORD, SECBOOT_ECDSA_COORD);
        }
        mbedtls_mpi_free(&r);
        mbedtls_mpi_free(&s);
        *sig_len = (size_t)2 * SECBOOT_ECDSA_COORD;
        return rc == 0;
    }
    if (sig_cap < SECBOOT_RSA_MOD) {
        return false;
    }
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(k->pk);
    mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA384);
    const int rc =
        mbedtls_rsa_rsassa_pss_sign_ext(rsa, mbedtls_ctr_drbg_random, &rng->drbg, MBEDTLS_MD_SHA384,
                                        SECBOOT_SHA384_LEN, hash, (int)SECBOOT_PSS_SALT, sig);
    *sig_len = SECBOOT_RSA_MOD;
    return rc == 0;
}
