/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Why librtmr's SHA-384 is OpenSSL's perlasm and not Intel's ipsec-mb (docs/librtmr.md "Where the
 * code comes from"): SHA-384 of one 16 MiB buffer, as the shim hashes a kernel or an initrd, with
 * librtmr, libcrypto's EVP and each of ipsec-mb's single-buffer paths (sha384_sse/_avx/_avx2/
 * _avx512, intel-ipsec-mb.h), interleaved rounds, medians, ratios to libcrypto measured in the
 * same run. Not part of the build: scripts/bench-ipsec-mb.sh fetches Debian's libipsec-mb-dev
 * with apt-get download (nothing installed) and compiles this file against it.
 */
#include <intel-ipsec-mb.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tdshim/rtmr.h"

#define BUF_SIZE (16u << 20)
#define ROUNDS 11

static unsigned char *buf;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void with_rtmr(unsigned char *out)
{
    rtmr_digest d;
    if (rtmr_sha384(tds_bytes_make(buf, BUF_SIZE), &d) != TDS_OK) {
        abort();
    }
    memcpy(out, d.b, 48);
}
static void with_evp(unsigned char *out)
{
    unsigned int len = 48;
    if (EVP_Digest(buf, BUF_SIZE, out, &len, EVP_sha384(), NULL) != 1) {
        abort();
    }
}
static void with_sse(unsigned char *out)
{
    sha384_sse(buf, BUF_SIZE, out);
}
static void with_avx(unsigned char *out)
{
    sha384_avx(buf, BUF_SIZE, out);
}
static void with_avx2(unsigned char *out)
{
    sha384_avx2(buf, BUF_SIZE, out);
}
static void with_avx512(unsigned char *out)
{
    sha384_avx512(buf, BUF_SIZE, out);
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a;
    const double y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    static const char *const name[] = {"librtmr (OpenSSL perlasm)", "libcrypto EVP",
                                       "ipsec-mb sha384_sse",       "ipsec-mb sha384_avx",
                                       "ipsec-mb sha384_avx2",      "ipsec-mb sha384_avx512"};
    void (*const fn[])(unsigned char *) = {with_rtmr, with_evp,  with_sse,
                                           with_avx,  with_avx2, with_avx512};
    enum { K = sizeof name / sizeof name[0] };
    /* avx512 only where the CPU has it (argv[1] = "noavx512" skips it). */
    const int k_max = argc > 1 && strcmp(argv[1], "noavx512") == 0 ? K - 1 : K;
    static double t[K][ROUNDS];
    unsigned char ref[48];
    unsigned char out[48];
    buf = malloc(BUF_SIZE);
    if (buf == NULL) {
        return 1;
    }
    for (unsigned i = 0; i < BUF_SIZE; i++) {
        buf[i] = (unsigned char)(i * 131u + 7u);
    }
    with_evp(ref);
    for (int k = 0; k < k_max; k++) {
        fn[k](out);
        if (memcmp(out, ref, sizeof ref) != 0) {
            printf("%s: wrong digest\n", name[k]);
            return 1;
        }
    }
    for (int r = 0; r < ROUNDS; r++) {
        for (int k = 0; k < k_max; k++) {
            const double a = now();
            fn[k](out);
            t[k][r] = now() - a;
        }
    }
    double evp = 0;
    for (int k = 0; k < k_max; k++) {
        qsort(t[k], ROUNDS, sizeof(double), cmp_double);
        if (k == 1) {
            evp = t[k][ROUNDS / 2];
        }
    }
    printf("SHA-384 of one %u MiB buffer, median of %d interleaved rounds\n", BUF_SIZE >> 20,
           ROUNDS);
    for (int k = 0; k < k_max; k++) {
        const double med = t[k][ROUNDS / 2];
        printf("%-26s %8.1f MB/s  x%.2f libcrypto\n", name[k], BUF_SIZE / med / 1e6, evp / med);
    }
    free(buf);
    return 0;
}
