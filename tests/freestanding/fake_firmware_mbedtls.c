/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A stand-in for a firmware's own mbedTLS: definitions of the mbedtls_* functions our code calls
 * for SHA-384, ECDSA and RSA-PSS, under mbedTLS's own names, linked as a plain object beside our
 * archives (tests/freestanding/CMakeLists.txt, secureboot_freestanding_noclash). Every one of them
 * reports itself and ends the test, and the verify functions would accept anything: if a call of
 * ours bound to one of these instead of our prefixed copy (tdshim_mbedtls_*), the test would fail
 * loudly, never compute a wrong answer quietly. Host-only test code.
 */
#include <stddef.h>
#include <stdint.h>

#include "fs_harness.h"

/* Own declarations, as a firmware with its own mbedTLS would have (the argument lists only need
 * to be ABI-compatible with mbedTLS's for the calls to land here, which is the point). */
void mbedtls_sha512_init(void *ctx);
void mbedtls_sha512_free(void *ctx);
int mbedtls_sha512_starts(void *ctx, int is384);
int mbedtls_sha512_update(void *ctx, const unsigned char *in, size_t len);
int mbedtls_sha512_finish(void *ctx, unsigned char *out);
int mbedtls_sha512(const unsigned char *in, size_t len, unsigned char *out, int is384);
void mbedtls_platform_zeroize(void *buf, size_t len);
int mbedtls_ecdsa_verify(void *grp, const unsigned char *buf, size_t blen, const void *q,
                         const void *r, const void *s);
int mbedtls_ecp_group_load(void *grp, int id);
int mbedtls_rsa_rsassa_pss_verify_ext(void *ctx, int md_alg, unsigned int hashlen,
                                      const unsigned char *hash, int mgf1, int salt_len,
                                      const unsigned char *sig);
int mbedtls_rsa_set_padding(void *ctx, int padding, int hash_id);
int mbedtls_mpi_read_binary(void *x, const unsigned char *buf, size_t len);

static _Noreturn void fake_called(const char *name)
{
    fs_say("FAIL the firmware's own ");
    fs_say(name);
    fs_say(" was called: our archives bound to it\n");
    fs_quit(2);
}

void mbedtls_sha512_init(void *ctx)
{
    (void)ctx;
    fake_called("mbedtls_sha512_init");
}

void mbedtls_sha512_free(void *ctx)
{
    (void)ctx;
    fake_called("mbedtls_sha512_free");
}

int mbedtls_sha512_starts(void *ctx, int is384)
{
    (void)ctx;
    (void)is384;
    fake_called("mbedtls_sha512_starts");
}

int mbedtls_sha512_update(void *ctx, const unsigned char *in, size_t len)
{
    (void)ctx;
    (void)in;
    (void)len;
    fake_called("mbedtls_sha512_update");
}

int mbedtls_sha512_finish(void *ctx, unsigned char *out)
{
    (void)ctx;
    (void)out;
    fake_called("mbedtls_sha512_finish");
}

int mbedtls_sha512(const unsigned char *in, size_t len, unsigned char *out, int is384)
{
    (void)in;
    (void)len;
    (void)out;
    (void)is384;
    fake_called("mbedtls_sha512");
}

void mbedtls_platform_zeroize(void *buf, size_t len)
{
    (void)buf;
    (void)len;
    fake_called("mbedtls_platform_zeroize");
}

int mbedtls_ecdsa_verify(void *grp, const unsigned char *buf, size_t blen, const void *q,
                         const void *r, const void *s)
{
    (void)grp;
    (void)buf;
    (void)blen;
    (void)q;
    (void)r;
    (void)s;
    fake_called("mbedtls_ecdsa_verify");
}

int mbedtls_ecp_group_load(void *grp, int id)
{
    (void)grp;
    (void)id;
    fake_called("mbedtls_ecp_group_load");
}

int mbedtls_rsa_rsassa_pss_verify_ext(void *ctx, int md_alg, unsigned int hashlen,
                                      const unsigned char *hash, int mgf1, int salt_len,
                                      const unsigned char *sig)
{
    (void)ctx;
    (void)md_alg;
    (void)hashlen;
    (void)hash;
    (void)mgf1;
    (void)salt_len;
    (void)sig;
    fake_called("mbedtls_rsa_rsassa_pss_verify_ext");
}

int mbedtls_rsa_set_padding(void *ctx, int padding, int hash_id)
{
    (void)ctx;
    (void)padding;
    (void)hash_id;
    fake_called("mbedtls_rsa_set_padding");
}

int mbedtls_mpi_read_binary(void *x, const unsigned char *buf, size_t len)
{
    (void)x;
    (void)buf;
    (void)len;
    fake_called("mbedtls_mpi_read_binary");
}
