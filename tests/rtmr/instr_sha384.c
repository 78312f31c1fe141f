/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Instruction-count probe (not a test): one SHA-384 of N MiB (default 4) through librtmr's
 * streaming API on one dispatch path (default auto), all of it inside rtmr_sha384_update. For
 * counting instructions per byte where wall time is too noisy, e.g.
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=rtmr_sha384_update \
 *     build/release/tests/rtmr/instr_sha384 4 avx2
 * It uses only tdshim/rtmr.h, so the same source links against the freestanding librtmr.a (the
 * firmware's objects, as the shim runs them after enabling the AVX state: it calls
 * rtmr_sha384_cpu_detect() first; pass "scalar" for a vCPU without it; docs/librtmr.md,
 * Benchmark). Prints the path, the first bytes of the digest
 * (so the work is not dropped) and the CPU-time throughput of the pass (meaningless under
 * valgrind).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tdshim/rtmr.h"

int main(int argc, char **argv)
{
    unsigned long mib = 4;
    if (argc > 1) {
        char *end = NULL;
        mib = strtoul(argv[1], &end, 10);
        if (end == argv[1] || *end != '\0' || mib == 0 || mib > 1024) {
            fprintf(stderr, "usage: instr_sha384 [MiB 1..1024 [auto|scalar|avx|avx2]]\n");
            return 2;
        }
    }
    uint32_t impl = RTMR_SHA384_IMPL_AUTO;
    if (argc > 2) {
        for (impl = 0; impl < RTMR_SHA384_IMPL_COUNT; impl++) {
            if (strcmp(argv[2], rtmr_sha384_impl_name(impl)) == 0) {
                break;
            }
        }
        if (impl == RTMR_SHA384_IMPL_COUNT) {
            fprintf(stderr, "unknown path %s\n", argv[2]);
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
    /* What the shim does once it has enabled the AVX state (the OS has here): let librtmr detect.
     * A no-op for the hosted library; the freestanding one would otherwise stay scalar. */
    (void)rtmr_sha384_cpu_detect();
    rtmr_sha384_ctx ctx;
    rtmr_digest d;
    struct timespec t0;
    struct timespec t1;
    tds_status s = rtmr_sha384_init_ops(&ctx, rtmr_hash_builtin(impl));
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    if (s == TDS_OK) {
        s = rtmr_sha384_update(&ctx, tds_bytes_make(buf, len));
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    if (s == TDS_OK) {
        s = rtmr_sha384_final(&ctx, &d);
    }
    free(buf);
    if (s != TDS_OK) {
        fprintf(stderr, "path %s: %s\n", rtmr_sha384_impl_name(impl), tds_status_str(s));
        return 1;
    }
    double cpu = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("sha384 (%s%s%s) of %lu MiB: %02x%02x%02x%02x... %.1f MB/s CPU\n",
           rtmr_sha384_impl_name(impl), impl == RTMR_SHA384_IMPL_AUTO ? " -> " : "",
           impl == RTMR_SHA384_IMPL_AUTO ? rtmr_sha384_impl_name(rtmr_sha384_impl_auto()) : "", mib,
           d.b[0], d.b[1], d.b[2], d.b[3], cpu > 0.0 ? (double)len / 1e6 / cpu : 0.0);
    return 0;
}
