/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Benchmark (not a test): SHA-384 throughput of librtmr's measurement path (rtmr_sha384, as used by
 * ccel_log_hash_measure) against OpenSSL on the same bytes, in the same run.
 * Usage: bench_rtmr_sha384 [MiB [rounds]] (defaults 64 and 5).
 *
 * librtmr's SHA-384 is OpenSSL's own SHA-512 block function (generated from Debian's openssl source
 * package) under librtmr's streaming layer, so every dispatch path is also compared with the same
 * path in OpenSSL: ours forced to that path (rtmr_hash_builtin) against `openssl dgst -sha384`
 * with OPENSSL_ia32cap set so that OpenSSL takes it (per-path ratios, target >= 0.95).
 *
 * Every round runs, back to back (so that both sides of a ratio see the same machine load):
 *   ours    rtmr_sha384 over the buffer, in process (CPU time of this thread);
 *   dgst    `openssl dgst -sha384 FILE` on the same bytes (a temp file in the page cache);
 *   empty   `openssl dgst -sha384 EMPTY` (a zero-length file): the process start-up cost;
 *   paths   per path P this CPU runs (scalar, avx, avx2): ours forced to P, and dgst with
 *           OPENSSL_ia32cap making OpenSSL take P (scalar: AVX, AVX2 and XOP masked; avx: the
 *           vector with AVX2 masked and the "Intel CPU" bit set, since OpenSSL's dispatch takes
 *           its AVX code only on Intel; avx2: the default), hashing time = user - empty's user;
 *   mbedtls mbedTLS 2.28's mbedtls_sha512_ret (the previous backend), in process;
 *   speed   `openssl speed -mr -seconds 1 -bytes 16384 -evp sha384`: OpenSSL's in-process figure.
 * Children are started with posix_spawnp (no shell) and their CPU time comes from wait4, so each
 * figure is that one process only. Digests of dgst and scalar must equal ours.
 *
 * Ratios are ours/openssl throughput in CPU time (the machine is shared, wall time is printed for
 * information only); each ratio is taken within a round and the median over rounds is reported.
 * Headline: ours vs `openssl dgst -sha384` user time minus the empty-file run's user time, i.e.
 * OpenSSL's hashing only (without its start-up and without the kernel time of reading the file).
 */
#include <cpuid.h>
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

#include <mbedtls/sha512.h>

#include "tdshim/rtmr.h"

extern char **environ;

/* OPENSSL_ia32cap=<64-bit: CPUID.1:ECX << 32 | CPUID.1:EDX (+ OpenSSL's bits)>:<CPUID.7.0:EBX ...>;
 * a leading ~ masks bits off. CPUID.1:ECX bit 28 (AVX) is bit 60, bit 11 (XOP) is bit 43 of the
 * first word; CPUID.7.0:EBX bit 5 is AVX2. */
#define SCALAR_CAPS "OPENSSL_ia32cap=~0x1000080000000000:~0x20"
#define MAX_ROUNDS 15
#define NPATH RTMR_SHA384_IMPL_COUNT
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

/* OpenSSL's AVX path: its dispatch wants word0 bit 30 ("Intel CPU", set by OpenSSL's CPUID code
 * on Intel only), word1 AVX|SSSE3 and no XOP; AVX2 masked in word2. An explicit vector (no ~)
 * replaces OpenSSL's own detection. */
static void avx_caps(char *buf, size_t size)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    __get_cpuid(1, &a, &b, &c, &d);
    unsigned w0 = d | (1u << 30);
    unsigned w1 = c & ~(1u << 11);
    unsigned b7 = 0;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        b7 = b & ~(1u << 5);
    }
    snprintf(buf, size, "OPENSSL_ia32cap=0x%08x%08x:0x%x", w1, w0, b7);
}

static double hash_cpu(const rtmr_hash_ops *ops, const uint8_t *buf, size_t len, rtmr_digest *out)
{
    rtmr_sha384_ctx ctx;
    double c0 = thread_cpu();
    if (rtmr_sha384_init_ops(&ctx, ops) != TDS_OK ||
        rtmr_sha384_update(&ctx, tds_bytes_make(buf, len)) != TDS_OK ||
        rtmr_sha384_final(&ctx, out) != TDS_OK) {
        return -1.0;
    }
    return thread_cpu() - c0;
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
    double p_ours[NPATH][MAX_ROUNDS] = {{0}}, p_ossl[NPATH][MAX_ROUNDS] = {{0}},
           p_ratio[NPATH][MAX_ROUNDS] = {{0}}, mbed_mbs[MAX_ROUNDS] = {0}, r_mbed[MAX_ROUNDS] = {0};
    char avx_env[128];
    avx_caps(avx_env, sizeof avx_env);
    const char *path_env[NPATH] = {NULL, SCALAR_CAPS, avx_env, NULL};
    uint32_t mask = rtmr_sha384_impl_mask();
    bool run_path[NPATH] = {false};
    for (uint32_t p = RTMR_SHA384_IMPL_SCALAR; p < NPATH; p++) {
        run_path[p] = (mask & RTMR_SHA384_IMPL_BIT(p)) != 0;
    }
    printf("librtmr SHA-384 paths on this CPU:%s%s%s; AUTO picks %s\n",
           run_path[RTMR_SHA384_IMPL_SCALAR] ? " scalar" : "",
           run_path[RTMR_SHA384_IMPL_AVX] ? " avx" : "",
           run_path[RTMR_SHA384_IMPL_AVX2] ? " avx2" : "",
           rtmr_sha384_impl_name(rtmr_sha384_impl_auto()));
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
        uint8_t mfull[64];
        double m0 = thread_cpu();
        if (mbedtls_sha512_ret(buf, len, mfull, 1) != 0) {
            status = 2;
            break;
        }
        double m1 = thread_cpu();

        if (run_child(dgst_argv, NULL, &dg) != 0 || hex_of(dg.out, theirs) != 0 ||
            run_child(empty_argv, NULL, &em) != 0 || run_child(dgst_argv, SCALAR_CAPS, &sc) != 0 ||
            hex_of(sc.out, scalar) != 0 || run_child(speed_argv, NULL, &sp) != 0 ||
            speed_of(sp.out) <= 0.0) {
            fprintf(stderr, "openssl failed\n");
            status = 2;
            break;
        }
        if (memcmp(ours.b, theirs, 48) != 0 || memcmp(ours.b, scalar, 48) != 0 ||
            memcmp(ours.b, mfull, 48) != 0) {
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
        for (uint32_t p = RTMR_SHA384_IMPL_SCALAR; p < NPATH && status == 0; p++) {
            if (!run_path[p]) {
                continue;
            }
            rtmr_digest pd;
            uint8_t od[48];
            struct child_run pc;
            double cpu = hash_cpu(rtmr_hash_builtin(p), buf, len, &pd);
            if (cpu <= 0.0 || run_child(dgst_argv, path_env[p], &pc) != 0 ||
                hex_of(pc.out, od) != 0 || memcmp(pd.b, ours.b, 48) != 0 ||
                memcmp(od, ours.b, 48) != 0 || pc.user - em.user <= 0.0) {
                fprintf(stderr, "path %s failed or differs\n", rtmr_sha384_impl_name(p));
                status = 1;
                break;
            }
            p_ours[p][r] = mb / cpu;
            p_ossl[p][r] = mb / (pc.user - em.user);
            p_ratio[p][r] = p_ours[p][r] / p_ossl[p][r];
        }
        if (status != 0) {
            break;
        }
        mbed_mbs[r] = mb / (m1 - m0);
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
        r_mbed[r] = mbed_mbs[r] / dgst_hash[r];
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
    row("librtmr rtmr_sha384 (AUTO)", ours_mbs, rounds);
    row("mbedTLS 2.28 sha512 (old backend)", mbed_mbs, rounds);
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
    ratio_row("(old backend) mbedTLS 2.28 vs openssl dgst", r_mbed, rounds);
    printf("per path: librtmr forced to the path vs openssl dgst on the same path (CPU MB/s):\n");
    bool all_met = median(r_head, rounds) >= 0.95;
    for (uint32_t p = RTMR_SHA384_IMPL_SCALAR; p < NPATH; p++) {
        if (!run_path[p]) {
            printf("  %-7s not runnable on this CPU (forced init refuses; AUTO falls back)\n",
                   rtmr_sha384_impl_name(p));
            continue;
        }
        double m = median(p_ratio[p], rounds);
        printf("  %-7s ours %7.1f  openssl %7.1f  ratio median %.2f (min %.2f, max %.2f) %s\n",
               rtmr_sha384_impl_name(p), median(p_ours[p], rounds), median(p_ossl[p], rounds), m,
               min_of(p_ratio[p], rounds), max_of(p_ratio[p], rounds),
               m >= 0.95 ? "met" : "NOT met");
        all_met = all_met && m >= 0.95;
    }
    printf("HEADLINE librtmr/openssl dgst -sha384 (AUTO = %s): median %.2f -> target >= 0.95 %s\n",
           rtmr_sha384_impl_name(rtmr_sha384_impl_auto()), median(r_head, rounds),
           median(r_head, rounds) >= 0.95 ? "met" : "NOT met");
    printf("all targets (headline and every path >= 0.95): %s\n", all_met ? "met" : "NOT met");
    return 0;
}
