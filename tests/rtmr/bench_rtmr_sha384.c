/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Benchmark (not a test): SHA-384 throughput of librtmr's measurement path (rtmr_sha384, as used by
 * ccel_log_hash_measure) against OpenSSL on the same bytes, in the same run.
 * Usage: bench_rtmr_sha384 [MiB [rounds]] (defaults 64 and 5).
 *
 * Every round runs, back to back (so that both sides of a ratio see the same machine load):
 *   ours    rtmr_sha384 over the buffer, in process (CPU time of this thread);
 *   dgst    `openssl dgst -sha384 FILE` on the same bytes (a temp file in the page cache);
 *   empty   `openssl dgst -sha384 EMPTY` (a zero-length file): the process start-up cost;
 *   scalar  as dgst with OPENSSL_ia32cap masking AVX and AVX2 (OpenSSL's plain x86-64 assembly);
 *   speed   `openssl speed -mr -seconds 1 -bytes 16384 -evp sha384`: OpenSSL's in-process figure.
 * Children are started with posix_spawnp (no shell) and their CPU time comes from wait4, so each
 * figure is that one process only. Digests of dgst and scalar must equal ours.
 *
 * Ratios are ours/openssl throughput in CPU time (the machine is shared, wall time is printed for
 * information only); each ratio is taken within a round and the median over rounds is reported.
 * Headline: ours vs `openssl dgst -sha384` user time minus the empty-file run's user time, i.e.
 * OpenSSL's hashing only (without its start-up and without the kernel time of reading the file).
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tdshim/rtmr.h"

extern char **environ;

/* CPUID(1).ECX bit 28 (AVX) is bit 60 of the first word; CPUID(7).EBX bit 5 is AVX2. */
#define SCALAR_CAPS "OPENSSL_ia32cap=~0x1000000000000000:~0x20"
#define MAX_ROUNDS 15
#define MAX_ENV 512

struct child_run {
    double wall;
    double user;
    double sys;
    char out[4096];
};

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

static double tv_sec(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Runs argv (PATH lookup, no shell), optionally with one extra environment entry; collects its
 * stdout (up to 4 KiB), its wall time and its own user/sys CPU time. */
static int run_child(char *const argv[], const char *extra_env, struct child_run *res)
{
    char *envp[MAX_ENV + 2];
    size_t n = 0;
    for (char **e = environ; *e != NULL && n < MAX_ENV; e++) {
        if (strncmp(*e, "OPENSSL_ia32cap=", 16) != 0) {
            envp[n++] = *e;
        }
    }
    if (extra_env != NULL) {
        envp[n++] = (char *)extra_env; /* posix_spawn takes char *const[]; never written */
    }
    envp[n] = NULL;

    int fds[2];
    if (pipe(fds) != 0) {
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now();
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return -1;
    }
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fds[0], res->out + got, sizeof res->out - 1 - got);
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
        if (got == sizeof res->out - 1) {
            char sink[256];
            while (read(fds[0], sink, sizeof sink) > 0) {
            }
            break;
        }
    }
    res->out[got] = '\0';
    close(fds[0]);
    int st = 0;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid) {
        return -1;
    }
    res->wall = now() - t0;
    res->user = tv_sec(ru.ru_utime);
    res->sys = tv_sec(ru.ru_stime);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
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

/* `openssl speed -mr` prints "+F:<n>:sha384:<bytes per second>" (per CPU second). */
static double speed_of(const char *out)
{
    const char *f = strstr(out, "+F:");
    if (f == NULL) {
        return -1.0;
    }
    const char *p = strstr(f, ":sha384:");
    if (p == NULL) {
        return -1.0;
    }
    return strtod(p + 8, NULL);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double s[MAX_ROUNDS];
    memcpy(s, v, (size_t)n * sizeof *v);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 != 0 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

static double max_of(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++) {
        m = v[i] > m ? v[i] : m;
    }
    return m;
}

static double min_of(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++) {
        m = v[i] < m ? v[i] : m;
    }
    return m;
}

static void row(const char *name, const double *mbs, int n)
{
    printf("  %-34s median %7.1f  best %7.1f MB/s\n", name, median(mbs, n), max_of(mbs, n));
}

static void ratio_row(const char *name, const double *r, int n)
{
    printf("  %-44s median %.2f  (min %.2f, max %.2f)\n", name, median(r, n), min_of(r, n),
           max_of(r, n));
}

int main(int argc, char **argv)
{
    char *end = NULL;
    size_t mib = argc > 1 ? (size_t)strtoul(argv[1], &end, 10) : 64;
    bool bad = argc > 1 && (end == argv[1] || *end != '\0');
    long rounds_arg = argc > 2 ? strtol(argv[2], &end, 10) : 5;
    bad = bad || (argc > 2 && (end == argv[2] || *end != '\0'));
    if (bad || mib == 0 || mib > 4096 || rounds_arg < 1 || rounds_arg > MAX_ROUNDS) {
        fprintf(stderr, "usage: bench_rtmr_sha384 [MiB 1..4096 [rounds 1..%d]]\n", MAX_ROUNDS);
        return 2;
    }
    int rounds = (int)rounds_arg;
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
    char empty[] = "/tmp/bench_rtmr_sha384_empty_XXXXXX";
    int fd = mkstemp(path);
    int efd = mkstemp(empty);
    if (fd < 0 || efd < 0 || write(fd, buf, len) != (ssize_t)len) {
        perror("write");
        free(buf);
        return 2;
    }
    close(fd);
    close(efd);

    char *dgst_argv[] = {"openssl", "dgst", "-sha384", path, NULL};
    char *empty_argv[] = {"openssl", "dgst", "-sha384", empty, NULL};
    char *speed_argv[] = {"openssl", "speed", "-mr",  "-seconds", "1",
                          "-bytes",  "16384", "-evp", "sha384",   NULL};
    double mb = (double)len / 1e6;
    double ours_mbs[MAX_ROUNDS] = {0}, ours_wall[MAX_ROUNDS] = {0}, dgst_raw[MAX_ROUNDS] = {0},
           dgst_hash[MAX_ROUNDS] = {0};
    double dgst_wall[MAX_ROUNDS] = {0}, scalar_hash[MAX_ROUNDS] = {0}, speed_mbs[MAX_ROUNDS] = {0};
    double r_head[MAX_ROUNDS] = {0}, r_raw[MAX_ROUNDS] = {0}, r_wall[MAX_ROUNDS] = {0},
           r_speed[MAX_ROUNDS] = {0};
    double r_scalar[MAX_ROUNDS] = {0}, startup_ms[MAX_ROUNDS] = {0};
    int status = 0;
    for (int r = 0; r < rounds && status == 0; r++) {
        rtmr_digest ours;
        uint8_t theirs[48];
        uint8_t scalar[48];
        struct child_run dg, em, sc, sp;

        double c0 = thread_cpu();
        double t0 = now();
        if (rtmr_sha384(tds_bytes_make(buf, len), &ours) != TDS_OK) {
            status = 2;
            break;
        }
        double t1 = now();
        double c1 = thread_cpu();

        if (run_child(dgst_argv, NULL, &dg) != 0 || hex_of(dg.out, theirs) != 0 ||
            run_child(empty_argv, NULL, &em) != 0 || run_child(dgst_argv, SCALAR_CAPS, &sc) != 0 ||
            hex_of(sc.out, scalar) != 0 || run_child(speed_argv, NULL, &sp) != 0 ||
            speed_of(sp.out) <= 0.0) {
            fprintf(stderr, "openssl failed\n");
            status = 2;
            break;
        }
        if (memcmp(ours.b, theirs, 48) != 0 || memcmp(ours.b, scalar, 48) != 0) {
            fprintf(stderr, "digest mismatch between librtmr and openssl\n");
            status = 1;
            break;
        }
        double hash_user = dg.user - em.user;
        double scalar_user = sc.user - em.user;
        if (hash_user <= 0.0 || scalar_user <= 0.0) {
            fprintf(stderr, "openssl start-up took longer than hashing; use more data\n");
            status = 2;
            break;
        }
        ours_mbs[r] = mb / (c1 - c0);
        ours_wall[r] = mb / (t1 - t0);
        dgst_raw[r] = mb / (dg.user + dg.sys);
        dgst_hash[r] = mb / hash_user;
        dgst_wall[r] = mb / dg.wall;
        scalar_hash[r] = mb / scalar_user;
        speed_mbs[r] = speed_of(sp.out) / 1e6;
        startup_ms[r] = (em.user + em.sys) * 1e3;
        r_head[r] = ours_mbs[r] / dgst_hash[r];
        r_raw[r] = ours_mbs[r] / dgst_raw[r];
        r_wall[r] = ours_wall[r] / dgst_wall[r];
        r_speed[r] = ours_mbs[r] / speed_mbs[r];
        r_scalar[r] = ours_mbs[r] / scalar_hash[r];
        printf("round %d: ours %.1f, dgst %.1f (raw %.1f), scalar %.1f, speed %.1f MB/s CPU\n",
               r + 1, ours_mbs[r], dgst_hash[r], dgst_raw[r], scalar_hash[r], speed_mbs[r]);
    }
    unlink(path);
    unlink(empty);
    free(buf);
    if (status != 0) {
        return status;
    }
    printf("data: %zu MiB, %d interleaved rounds; throughput in MB/s (10^6 bytes per second)\n",
           mib, rounds);
    printf("CPU time:\n");
    row("librtmr rtmr_sha384 (mbedTLS)", ours_mbs, rounds);
    row("openssl dgst, hashing (user-start)", dgst_hash, rounds);
    row("openssl dgst, whole process", dgst_raw, rounds);
    row("openssl dgst, scalar asm (masked)", scalar_hash, rounds);
    row("openssl speed -evp sha384 16 KiB", speed_mbs, rounds);
    printf("  openssl start-up (empty file):     median %7.1f ms CPU\n",
           median(startup_ms, rounds));
    printf("wall clock (information only, shared machine):\n");
    row("librtmr rtmr_sha384", ours_wall, rounds);
    row("openssl dgst (process)", dgst_wall, rounds);
    printf("ratios librtmr/openssl (per round, CPU time unless said):\n");
    ratio_row("HEADLINE vs openssl dgst -sha384 (hashing)", r_head, rounds);
    ratio_row("vs openssl dgst whole process (user+sys)", r_raw, rounds);
    ratio_row("vs openssl speed (in process)", r_speed, rounds);
    ratio_row("vs openssl scalar x86-64 asm (no AVX/AVX2)", r_scalar, rounds);
    ratio_row("wall clock vs openssl dgst process", r_wall, rounds);
    printf("target: headline >= 0.90 -> %s\n", median(r_head, rounds) >= 0.9 ? "met" : "NOT met");
    return 0;
}
