/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Instruction-count probe (not a test): one SHA-384 of N MiB (default 4) through mbedTLS's
 * mbedtls_sha512_ret, the function librtmr's rtmr_sha384 runs. For counting instructions per byte
 * where wall time is too noisy, e.g.
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=mbedtls_sha512_ret \
 *     build/release/tests/rtmr/instr_sha384 4
 * It uses only mbedTLS, so the same source can be linked against the firmware's mbedTLS archive
 * (docs/librtmr.md, Benchmark). Prints the first bytes of the digest (so the work is not dropped)
 * and the CPU-time throughput of that one pass (meaningless under valgrind).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mbedtls/sha512.h"

int main(int argc, char **argv)
{
    unsigned long mib = 4;
    if (argc > 1) {
        char *end = NULL;
        mib = strtoul(argv[1], &end, 10);
        if (end == argv[1] || *end != '\0' || mib == 0 || mib > 1024) {
            fprintf(stderr, "usage: instr_sha384 [MiB 1..1024]\n");
            return 2;
        }
    }
    size_t len = (size_t)mib << 20;
    unsigned char *buf = malloc(len);
    if (buf == NULL) {
        return 2;
    }
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (unsigned char)x;
    }
    unsigned char out[64];
    struct timespec t0;
    struct timespec t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    int rc = mbedtls_sha512_ret(buf, len, out, 1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    free(buf);
    if (rc != 0) {
        return 1;
    }
    double cpu = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("sha384 of %lu MiB: %02x%02x%02x%02x... %.1f MB/s CPU\n", mib, out[0], out[1], out[2],
           out[3], cpu > 0.0 ? (double)len / 1e6 / cpu : 0.0);
    return 0;
}
