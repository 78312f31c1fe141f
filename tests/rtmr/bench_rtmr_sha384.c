/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Benchmark (not a test): SHA-384 throughput of librtmr's measurement path (rtmr_sha384, as used by
 * ccel_log_hash_measure) against `openssl dgst -sha384` on the same bytes, in the same run.
 * Usage: bench_rtmr_sha384 [MiB] (default 64). Prints both throughputs and the ratio ours/openssl.
 * The openssl figure includes its process start and reading the file from the page cache.
 * Both wall-clock and CPU time are measured (ours: thread CPU time; openssl: the child's user+sys
 * time from getrusage); on a loaded machine the CPU-time ratio is the meaningful one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tdshim/rtmr.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double children_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

static int hex_of(const char *line, uint8_t out[48])
{
    const char *p = strstr(line, "= ");
    if (p == NULL) {
        return -1;
    }
    p += 2;
    for (size_t i = 0; i < 48; i++) {
        int h = nibble(p[2 * i]);
        int l = h < 0 ? -1 : nibble(p[2 * i + 1]);
        if (l < 0) {
            return -1;
        }
        out[i] = (uint8_t)(h * 16 + l);
    }
    return 0;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 64;
    if (mib == 0 || mib > 4096) {
        fprintf(stderr, "usage: bench_rtmr_sha384 [MiB 1..4096]\n");
        return 2;
    }
    size_t len = mib << 20;
    uint8_t *buf = malloc(len);
    if (buf == NULL) {
        return 2;
    }
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (uint8_t)x;
    }
    char path[] = "/tmp/bench_rtmr_sha384_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
        perror("write");
        free(buf);
        return 2;
    }
    close(fd);

    const int reps = 5;
    double best_ours = 1e9, best_ssl = 1e9, cpu_ours = 1e9, cpu_ssl = 1e9;
    rtmr_digest ours;
    uint8_t theirs[48];
    for (int r = 0; r < reps; r++) {
        double c0 = thread_cpu();
        double t0 = now();
        if (rtmr_sha384(tds_bytes_make(buf, len), &ours) != TDS_OK) {
            free(buf);
            return 2;
        }
        double t1 = now();
        double c1 = thread_cpu();
        if (t1 - t0 < best_ours) {
            best_ours = t1 - t0;
        }
        if (c1 - c0 < cpu_ours) {
            cpu_ours = c1 - c0;
        }

        char cmd[256];
        snprintf(cmd, sizeof cmd, "openssl dgst -sha384 %s", path);
        c0 = children_cpu();
        t0 = now();
        FILE *p = popen(cmd, "r"); /* NOLINT(cert-env33-c): fixed command on our own temp file */
        char line[512] = {0};
        if (p == NULL || fgets(line, sizeof line, p) == NULL) {
            free(buf);
            return 2;
        }
        int st = pclose(p);
        t1 = now();
        c1 = children_cpu();
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || hex_of(line, theirs) != 0) {
            fprintf(stderr, "openssl failed: %s\n", line);
            free(buf);
            return 2;
        }
        if (t1 - t0 < best_ssl) {
            best_ssl = t1 - t0;
        }
        if (c1 - c0 < cpu_ssl) {
            cpu_ssl = c1 - c0;
        }
    }
    unlink(path);
    free(buf);
    if (memcmp(ours.b, theirs, 48) != 0) {
        fprintf(stderr, "digest mismatch between librtmr and openssl\n");
        return 1;
    }
    double mb = (double)len / 1e6;
    printf("data:            %zu MiB, best of %d runs\n", mib, reps);
    printf("                 wall clock                 CPU time\n");
    printf("librtmr sha384:  %8.1f MB/s (%.3f s)     %8.1f MB/s (%.3f s)\n", mb / best_ours,
           best_ours, mb / cpu_ours, cpu_ours);
    printf("openssl dgst:    %8.1f MB/s (%.3f s)     %8.1f MB/s (%.3f s)\n", mb / best_ssl,
           best_ssl, mb / cpu_ssl, cpu_ssl);
    printf("ratio librtmr/openssl: wall %.2f, cpu %.2f\n", best_ssl / best_ours,
           cpu_ssl / cpu_ours);
    return 0;
}
