/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* POSIX 2008 with XSI: fileno, realpath, mkstemp, fchmod, O_CLOEXEC. */
#define _XOPEN_SOURCE 700

#include "tool_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tdshim/checked.h"

/* Why the last read or write failed (tool_io_error); a static buffer: the tools are
 * single-threaded. */
static char tool_io_why[160];

static void set_why(const char *what)
{
    (void)snprintf(tool_io_why, sizeof tool_io_why, "%s", what);
}

const char *tool_io_error(void)
{
    return tool_io_why[0] != '\0' ? tool_io_why : "unknown error";
}

tds_status tool_read_file(const char *path, uint8_t **data, size_t *len)
{
    return tool_read_file_max(path, TOOL_MAX_FILE, data, len);
}

tds_status tool_read_file_max(const char *path, size_t max, uint8_t **data, size_t *len)
{
    tool_io_why[0] = '\0';
    if (max == 0 || max == SIZE_MAX) {
        set_why("invalid size limit");
        return TDS_ERR_INVALID_ARG;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        set_why(strerror(errno));
        return errno == ENOENT ? TDS_ERR_NOT_FOUND : TDS_ERR_INVALID_ARG;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || S_ISDIR(sb.st_mode)) {
        set_why(S_ISDIR(sb.st_mode) ? "is a directory, not a file" : strerror(errno));
        (void)fclose(f);
        return TDS_ERR_INVALID_ARG;
    }
    uint8_t *buf = NULL;
    size_t n = 0;
    size_t cap = 0;
    tds_status st = TDS_OK;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap == 0 ? 65536 : cap * 2;
            if (ncap > max + 1 || ncap < cap) {
                ncap = max + 1; /* one byte more than allowed tells "larger" from "exactly max" */
            }
            if (ncap == cap) {
                st = TDS_ERR_NO_SPACE; /* file larger than max */
                break;
            }
            uint8_t *nb = realloc(buf, ncap);
            if (nb == NULL) {
                set_why("out of memory");
                st = TDS_ERR_NO_SPACE;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) {
            if (ferror(f)) {
                set_why(strerror(errno));
                st = TDS_ERR_INVALID_ARG;
            }
            break;
        }
    }
    (void)fclose(f);
    if ((st == TDS_OK || st == TDS_ERR_NO_SPACE) && n > max) {
        (void)snprintf(tool_io_why, sizeof tool_io_why,
                       "larger than the %zu MiB this tool reads (%zu bytes)", max >> 20, max);
        st = TDS_ERR_NO_SPACE;
    }
    if (st != TDS_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *len = n;
    return TDS_OK;
}

static bool write_all(int fd, const uint8_t *data, size_t len)
{
    while (len > 0) {
        const size_t part = len < ((size_t)1 << 30) ? len : ((size_t)1 << 30);
        const ssize_t w = write(fd, data, part);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            if (w == 0) {
                errno = ENOSPC;
            }
            return false;
        }
        data += w;
        len -= (size_t)w;
    }
    return true;
}

/* A path that is not a regular file (a device, a pipe, /dev/stdout): written in place, never
 * replaced or removed. */
static tds_status write_in_place(const char *path, const uint8_t *data, size_t len)
{
    const int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        set_why(strerror(errno));
        return TDS_ERR_INVALID_ARG;
    }
    const bool ok = write_all(fd, data, len);
    const int werr = errno;
    if (close(fd) != 0 && ok) {
        set_why(strerror(errno));
        return TDS_ERR_NO_SPACE;
    }
    if (!ok) {
        set_why(strerror(werr));
        return TDS_ERR_NO_SPACE;
    }
    return TDS_OK;
}

tds_status tool_write_file(const char *path, const uint8_t *data, size_t len)
{
    tool_io_why[0] = '\0';
    if (path == NULL || *path == '\0') {
        set_why("empty output path");
        return TDS_ERR_INVALID_ARG;
    }
    /* Follow a symbolic link to the file it names: that file is replaced, the link stays. */
    char *real = realpath(path, NULL);
    const char *target = real != NULL ? real : path;
    struct stat sb;
    const bool exists = stat(target, &sb) == 0;
    if (exists && !S_ISREG(sb.st_mode)) {
        tds_status st =
            S_ISDIR(sb.st_mode) ? TDS_ERR_INVALID_ARG : write_in_place(target, data, len);
        if (S_ISDIR(sb.st_mode)) {
            set_why("is a directory");
        }
        free(real);
        return st;
    }
    /* A regular file (or a new one): write a temporary file beside it and rename it over the
     * target, so a failure leaves the old file as it was and removes only what the tool made. */
    const size_t n = strlen(target);
    char *tmp = malloc(n + sizeof ".XXXXXX");
    if (tmp == NULL) {
        free(real);
        set_why("out of memory");
        return TDS_ERR_NO_SPACE;
    }
    memcpy(tmp, target, n);
    memcpy(tmp + n, ".XXXXXX", sizeof ".XXXXXX");
    tds_status st = TDS_OK;
    const int fd = mkstemp(tmp);
    if (fd < 0) {
        set_why(strerror(errno));
        free(tmp);
        free(real);
        return TDS_ERR_INVALID_ARG;
    }
    /* The mode fopen would have given: the old file's, or 0666 less the umask. */
    mode_t mode = 0;
    if (exists) {
        mode = sb.st_mode & 07777;
    } else {
        const mode_t mask = umask(0);
        (void)umask(mask);
        mode = (mode_t)0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0 || !write_all(fd, data, len)) {
        set_why(strerror(errno));
        st = TDS_ERR_NO_SPACE;
    }
    if (close(fd) != 0 && st == TDS_OK) {
        set_why(strerror(errno));
        st = TDS_ERR_NO_SPACE;
    }
    if (st == TDS_OK && rename(tmp, target) != 0) {
        set_why(strerror(errno));
        st = TDS_ERR_INVALID_ARG;
    }
    if (st != TDS_OK) {
        (void)unlink(tmp);
    }
    free(tmp);
    free(real);
    return st;
}

static const char *tool_stdout_prog = "tdshim";
static int tool_stdout_status = 1;

static void close_stdout(void)
{
    /* Flush and close here, where a failure can still change the exit status: `tool > /dev/full`
     * must not exit 0 with its output lost. */
    const bool bad = fflush(stdout) != 0 || ferror(stdout) != 0;
    const int err = errno;
    if (fclose(stdout) != 0 || bad) {
        fprintf(stderr, "%s: write error on standard output: %s\n", tool_stdout_prog,
                strerror(bad ? err : errno));
        _exit(tool_stdout_status);
    }
}

void tool_print_version(const char *prog)
{
    printf("%s %s\n", prog, TDSHIM_VERSION);
}

void tool_check_stdout_at_exit(const char *prog, int status)
{
    tool_stdout_prog = prog;
    tool_stdout_status = status;
    (void)atexit(close_stdout);
}

tds_status tool_parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ') {
        return TDS_ERR_MALFORMED;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || end == s) {
        return TDS_ERR_MALFORMED;
    }
    uint64_t mul = 1;
    if (*end == 'K' || *end == 'k') {
        mul = 1024;
        end++;
    } else if (*end == 'M' || *end == 'm') {
        mul = (uint64_t)1024 * 1024;
        end++;
    } else if (*end == 'G' || *end == 'g') {
        mul = (uint64_t)1024 * 1024 * 1024;
        end++;
    }
    if (*end != '\0') {
        return TDS_ERR_MALFORMED;
    }
    uint64_t r;
    TDS_TRY(tds_mul_u64((uint64_t)v, mul, &r));
    *out = r;
    return TDS_OK;
}

tds_status tool_parse_range(const char *s, uint64_t *addr, uint64_t *size)
{
    char buf[64];
    size_t n = strlen(s);
    if (n >= sizeof buf) {
        return TDS_ERR_MALFORMED;
    }
    memcpy(buf, s, n + 1);
    char *comma = strchr(buf, ',');
    if (comma == NULL) {
        return TDS_ERR_MALFORMED;
    }
    *comma = '\0';
    uint64_t a;
    uint64_t z;
    TDS_TRY(tool_parse_u64(buf, &a));
    TDS_TRY(tool_parse_u64(comma + 1, &z));
    *addr = a;
    *size = z;
    return TDS_OK;
}
