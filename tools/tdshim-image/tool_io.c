/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tool_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/checked.h"

tds_status tool_read_file(const char *path, uint8_t **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return TDS_ERR_NOT_FOUND;
    }
    uint8_t *buf = NULL;
    size_t n = 0;
    size_t cap = 0;
    tds_status st = TDS_OK;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap == 0 ? 65536 : cap * 2;
            if (ncap > (size_t)TOOL_MAX_FILE + 1) {
                ncap = (size_t)TOOL_MAX_FILE + 1;
            }
            if (ncap == cap) {
                st = TDS_ERR_NO_SPACE; /* file larger than TOOL_MAX_FILE */
                break;
            }
            uint8_t *nb = realloc(buf, ncap);
            if (nb == NULL) {
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
                st = TDS_ERR_DEVICE;
            }
            break;
        }
    }
    (void)fclose(f);
    if (st == TDS_OK && n > TOOL_MAX_FILE) {
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

tds_status tool_write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return TDS_ERR_NOT_FOUND;
    }
    size_t w = len == 0 ? 0 : fwrite(data, 1, len, f);
    int closed = fclose(f);
    if (w != len || closed != 0) {
        (void)remove(path);
        return TDS_ERR_DEVICE;
    }
    return TDS_OK;
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
