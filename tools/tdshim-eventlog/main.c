/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * tdshim-eventlog: read a CC event log (TCG2 crypto-agile, SHA-384, MR indexes), print it as text
 * or JSON, replay it to RTMR0..3, verify it against RTMR values, decode a CCEL ACPI table.
 * Manual: docs/tools/tdshim-eventlog.md. Exit status: 0 ok / match, 1 mismatch, 2 usage or
 * invalid input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/ccel.h"
#include "tool_io.h"

#define MAX_INPUT ((size_t)256 << 20) /* 256 MiB: far above any log area */

enum { EXIT_MATCH = 0, EXIT_MISMATCH = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
    fputs("usage: tdshim-eventlog dump   [--json] [--area] [--full] LOG\n"
          "       tdshim-eventlog replay [--json] [--area] LOG\n"
          "       tdshim-eventlog verify [--json] [--area] [--reference REFLOG]\n"
          "                              (--rtmr0 HEX --rtmr1 HEX --rtmr2 HEX --rtmr3 HEX |\n"
          "                               --tdreport TDREPORT) LOG\n"
          "       tdshim-eventlog ccel   [--json] TABLE\n"
          "LOG is the raw log (e.g. a copy of /sys/firmware/acpi/tables/data/CCEL);\n"
          "--area accepts trailing 0xFF/0x00 padding after the last event.\n",
          f);
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
    if (tool_read_file_max(path, MAX_INPUT, out, len) != TDS_OK) {
        fprintf(stderr, "tdshim-eventlog: cannot read '%s': %s\n", path, tool_io_error());
        return -1;
    }
    return 0;
}

static const char *type_name(uint32_t t)
{
    switch (t) {
    case 0x00000000u: return "EV_PREBOOT_CERT";
    case 0x00000001u: return "EV_POST_CODE";
    case 0x00000003u: return "EV_NO_ACTION";
    case 0x00000004u: return "EV_SEPARATOR";
    case 0x00000005u: return "EV_ACTION";
    case 0x00000006u: return "EV_EVENT_TAG";
    case 0x00000007u: return "EV_S_CRTM_CONTENTS";
    case 0x00000008u: return "EV_S_CRTM_VERSION";
    case 0x00000009u: return "EV_CPU_MICROCODE";
    case 0x0000000Au: return "EV_PLATFORM_CONFIG_FLAGS";
    case 0x0000000Bu: return "EV_TABLE_OF_DEVICES";
    case 0x0000000Cu: return "EV_COMPACT_HASH";
    case 0x0000000Du: return "EV_IPL";
    case 0x0000000Eu: return "EV_IPL_PARTITION_DATA";
    case 0x0000000Fu: return "EV_NONHOST_CODE";
    case 0x00000010u: return "EV_NONHOST_CONFIG";
    case 0x00000011u: return "EV_NONHOST_INFO";
    case 0x00000012u: return "EV_OMIT_BOOT_DEVICE_EVENTS";
    case 0x80000001u: return "EV_EFI_VARIABLE_DRIVER_CONFIG";
    case 0x80000002u: return "EV_EFI_VARIABLE_BOOT";
    case 0x80000003u: return "EV_EFI_BOOT_SERVICES_APPLICATION";
    case 0x80000004u: return "EV_EFI_BOOT_SERVICES_DRIVER";
    case 0x80000005u: return "EV_EFI_RUNTIME_SERVICES_DRIVER";
    case 0x80000006u: return "EV_EFI_GPT_EVENT";
    case 0x80000007u: return "EV_EFI_ACTION";
    case 0x80000008u: return "EV_EFI_PLATFORM_FIRMWARE_BLOB";
    case 0x80000009u: return "EV_EFI_HANDOFF_TABLES";
    case 0x8000000Au: return "EV_EFI_PLATFORM_FIRMWARE_BLOB2";
    case 0x8000000Bu: return "EV_EFI_HANDOFF_TABLES2";
    case 0x80000010u: return "EV_EFI_HCRTM_EVENT";
    case 0x800000E0u: return "EV_EFI_VARIABLE_AUTHORITY";
    case 0x800000E1u: return "EV_EFI_SPDM_FIRMWARE_BLOB";
    case 0x800000E2u: return "EV_EFI_SPDM_FIRMWARE_CONFIG";
    default: return "unknown";
    }
}

static void put_hex(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%02x", p[i]);
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* 96 hex digits (optionally with a 0x prefix) -> 48 bytes. */
static int parse_digest(const char *s, rtmr_digest *out)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
    }
    if (strlen(s) != (size_t)2 * RTMR_SHA384_SIZE) {
        return -1;
    }
    for (size_t i = 0; i < RTMR_SHA384_SIZE; i++) {
        int h = hexval(s[2 * i]), l = hexval(s[2 * i + 1]);
        if (h < 0 || l < 0) {
            return -1;
        }
        out->b[i] = (uint8_t)(h * 16 + l);
    }
    return 0;
}

/* RTMR0..3 from a 1024-byte TDREPORT_STRUCT: TDINFO at 512, RTMR0 at 720 (the Intel TDX Module ABI
 * specification, TDREPORT_STRUCT; edk2 MdePkg/Include/IndustryStandard/Tdx.h). */
#define TDREPORT_SIZE 1024u
#define TDREPORT_RTMR0 720u

static int load_tdreport(const char *path, rtmr_bank *want)
{
    uint8_t *buf;
    size_t len;
    if (read_file(path, &buf, &len) != 0) {
        return -1;
    }
    if (len != TDREPORT_SIZE || buf[0] != 0x81) {
        fprintf(stderr, "tdshim-eventlog: %s: not a 1024-byte TDX TDREPORT (type 0x81)\n", path);
        free(buf);
        return -1;
    }
    for (size_t i = 0; i < RTMR_COUNT; i++) {
        memcpy(want->r[i].b, buf + TDREPORT_RTMR0 + i * RTMR_SHA384_SIZE, RTMR_SHA384_SIZE);
    }
    free(buf);
    return 0;
}

static void parse_error(const char *path, const ccel_parse_error *e)
{
    fprintf(stderr, "tdshim-eventlog: %s: invalid log: %s (%s) at offset %zu, event %u\n", path,
            e->reason, tds_status_str(e->status), e->offset, e->event_no);
}

static void print_spec_text(const ccel_view *v)
{
    printf("Spec ID Event03: spec %u.%u errata %u uintnSize %u, SHA-384 only, vendorInfo \"",
           v->spec.spec_version_major, v->spec.spec_version_minor, v->spec.spec_errata,
           v->spec.uintn_size);
    for (size_t i = 0; i < v->spec.vendor_info.len; i++) {
        uint8_t c = v->spec.vendor_info.ptr[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            putchar(c);
        } else {
            printf("\\x%02x", c);
        }
    }
    printf("\"\n%u events, %zu bytes\n", v->event_count, v->events_end);
}

static const char *mr_name(uint32_t mr)
{
    const rtmr_mr_info *i = rtmr_mr_lookup(RTMR_MR(mr));
    return i != NULL ? i->name : "?";
}

/* Printable for both text and JSON output: no quotes, backslashes or control bytes. */
static bool safe_char(uint8_t c)
{
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

/* Append up to n bytes of s (stopping at NUL) if they are all safe; false otherwise. */
static bool safe_str(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    while (k < n && p[k] != 0) {
        if (!safe_char(p[k]) || k + 1 >= cap) {
            return false;
        }
        out[k] = (char)p[k];
        k++;
    }
    for (size_t i = k; i < n; i++) {
        if (p[i] != 0) {
            return false; /* bytes after the NUL: not a padded string */
        }
    }
    out[k] = '\0';
    return k > 0;
}

/*
 * A short description of the event data for the formats librtmr writes (docs/librtmr.md): td-shim
 * config info, UEFI_PLATFORM_FIRMWARE_BLOB2, OVMF's UTF-16 blob names, separators. The data is
 * untrusted: every length is checked and only safe characters are printed. Empty when unknown.
 */
static void describe(const ccel_event *ev, char *out, size_t cap)
{
    const uint8_t *d = ev->data.ptr;
    size_t n = ev->data.len;
    char str[64];
    out[0] = '\0';
    if (ev->event_type == CCEL_EV_SEPARATOR && n == 4) {
        snprintf(out, cap, "separator 0x%08x", tds_load_le32(d));
    } else if (ev->event_type == CCEL_EV_PLATFORM_CONFIG_FLAGS && n >= 20 &&
               tds_load_le32(d + 16) == n - 20 && safe_str(d, 16, str, sizeof str)) {
        snprintf(out, cap, "config '%s' info %zu bytes", str, n - 20);
    } else if (ev->event_type == CCEL_EV_PLATFORM_CONFIG_FLAGS && n >= 4 && n <= 32 && n % 2 == 0 &&
               d[n - 1] == 0 && d[n - 2] == 0) {
        size_t k = 0;
        for (size_t i = 0; i + 2 < n; i += 2) {
            if (d[i + 1] != 0 || !safe_char(d[i])) {
                return;
            }
            str[k++] = (char)d[i];
        }
        str[k] = '\0';
        snprintf(out, cap, "blob name (UTF-16) '%s'", str);
    } else if (ev->event_type == CCEL_EV_EFI_PLATFORM_FIRMWARE_BLOB2 && n >= 17 &&
               (size_t)d[0] + 17 == n && safe_str(d + 1, d[0], str, sizeof str)) {
        snprintf(out, cap, "blob '%s' base 0x%llx length 0x%llx", str,
                 (unsigned long long)tds_load_le64(d + 1 + d[0]),
                 (unsigned long long)tds_load_le64(d + 9 + d[0]));
    }
}

static int cmd_dump(const ccel_view *v, bool json, bool full)
{
    ccel_iter it = ccel_iter_make(v);
    ccel_event ev;
    tds_status s;
    if (json) {
        printf("{\"spec\":{\"errata\":%u,\"uintn_size\":%u,\"vendor_info\":\"", v->spec.spec_errata,
               v->spec.uintn_size);
        put_hex(stdout, v->spec.vendor_info.ptr, v->spec.vendor_info.len);
        printf("\"},\"events\":[");
    } else {
        print_spec_text(v);
    }
    bool first = true;
    while ((s = ccel_iter_next(&it, &ev)) == TDS_OK) {
        if (json) {
            printf("%s\n{\"event\":%u,\"offset\":%zu,\"mr_index\":%u,\"mr\":\"%s\","
                   "\"event_type\":%u,\"type\":\"%s\",\"sha384\":\"",
                   first ? "" : ",", ev.event_no, ev.offset, ev.mr_index, mr_name(ev.mr_index),
                   ev.event_type, type_name(ev.event_type));
            put_hex(stdout, ev.digest.b, RTMR_SHA384_SIZE);
            printf("\",\"data\":\"");
            put_hex(stdout, ev.data.ptr, ev.data.len);
            char desc[160];
            describe(&ev, desc, sizeof desc);
            if (desc[0] != '\0') {
                printf("\",\"decoded\":\"%s", desc);
            }
            printf("\"}");
        } else {
            printf("#%-3u offset 0x%zx  MR %u (%s)  %s (0x%x)  size %zu\n", ev.event_no, ev.offset,
                   ev.mr_index, mr_name(ev.mr_index), type_name(ev.event_type), ev.event_type,
                   ev.data.len);
            printf("     sha384 ");
            put_hex(stdout, ev.digest.b, RTMR_SHA384_SIZE);
            size_t shown = (full || ev.data.len <= 64) ? ev.data.len : 64;
            printf("\n     data   ");
            put_hex(stdout, ev.data.ptr, shown);
            printf("%s\n", shown < ev.data.len ? "..." : "");
            char desc[160];
            describe(&ev, desc, sizeof desc);
            if (desc[0] != '\0') {
                printf("     %s\n", desc);
            }
        }
        first = false;
    }
    if (json) {
        printf("\n]}\n");
    }
    return s == TDS_ERR_NOT_FOUND ? EXIT_MATCH : EXIT_USAGE;
}

static void print_bank(const rtmr_bank *b, bool json)
{
    for (uint32_t i = 0; i < RTMR_COUNT; i++) {
        if (json) {
            printf("%s\"rtmr%u\":\"", i == 0 ? "" : ",", i);
            put_hex(stdout, b->r[i].b, RTMR_SHA384_SIZE);
            printf("\"");
        } else {
            printf("RTMR%u ", i);
            put_hex(stdout, b->r[i].b, RTMR_SHA384_SIZE);
            printf("\n");
        }
    }
}

static int cmd_replay(const ccel_view *v, bool json)
{
    rtmr_bank b;
    tds_status s = ccel_replay(v, &b);
    if (s != TDS_OK) {
        fprintf(stderr, "tdshim-eventlog: replay failed: %s\n", tds_status_str(s));
        return EXIT_USAGE;
    }
    if (json) {
        printf("{");
        print_bank(&b, true);
        printf("}\n");
    } else {
        print_bank(&b, false);
    }
    return EXIT_MATCH;
}

static const char *kind_name(ccel_divergence k)
{
    switch (k) {
    case CCEL_DIVERGE_NONE: return "none";
    case CCEL_DIVERGE_EXTRA: return "extra";
    case CCEL_DIVERGE_UNKNOWN: return "unknown";
    }
    return "?";
}

static int cmd_verify(const ccel_view *v, const rtmr_bank *want, const ccel_view *ref, bool json)
{
    ccel_verify_result r;
    tds_status s = ccel_verify(v, want, &r);
    if (s != TDS_OK && s != TDS_ERR_MISMATCH) {
        fprintf(stderr, "tdshim-eventlog: verify failed: %s\n", tds_status_str(s));
        return EXIT_USAGE;
    }
    uint32_t ref_first = 0;
    tds_status rs = TDS_OK;
    if (ref != NULL) {
        rs = ccel_diff(ref, v, &ref_first);
        if (rs != TDS_OK && rs != TDS_ERR_MISMATCH) {
            fprintf(stderr, "tdshim-eventlog: diff failed: %s\n", tds_status_str(rs));
            return EXIT_USAGE;
        }
    }
    if (json) {
        printf("{\"match\":%s,\"rtmr\":[", s == TDS_OK ? "true" : "false");
        for (uint32_t i = 0; i < RTMR_COUNT; i++) {
            printf("%s%s", i == 0 ? "" : ",", r.match[i] ? "true" : "false");
        }
        printf("],\"replayed\":{");
        print_bank(&r.replayed, true);
        printf("}");
        if (s != TDS_OK) {
            printf(",\"diverging\":{\"register\":%u,\"event\":%u,\"offset\":%zu,\"kind\":\"%s\"}",
                   r.rtmr, r.first_event, r.first_offset, kind_name(r.kind));
        }
        if (ref != NULL) {
            printf(",\"reference_first_difference\":%u", ref_first);
        }
        printf("}\n");
    } else {
        for (uint32_t i = 0; i < RTMR_COUNT; i++) {
            printf("RTMR%u %s\n", i, r.match[i] ? "match" : "MISMATCH");
        }
        if (s != TDS_OK) {
            if (r.first_event == 0) {
                printf("RTMR%u: the TD extended events after the last logged one (%s)\n", r.rtmr,
                       kind_name(r.kind));
            } else if (r.kind == CCEL_DIVERGE_EXTRA) {
                printf("RTMR%u: the log diverges at event %u (offset 0x%zx): the TD's value is "
                       "the register before this event\n",
                       r.rtmr, r.first_event, r.first_offset);
            } else {
                printf("RTMR%u: no prefix of the log gives the TD's value; first event into it "
                       "is %u (offset 0x%zx); use --reference to locate the change\n",
                       r.rtmr, r.first_event, r.first_offset);
            }
        }
        if (ref != NULL) {
            if (rs == TDS_OK) {
                printf("reference: identical events\n");
            } else {
                printf("reference: first differing event %u\n", ref_first);
            }
        }
    }
    return s == TDS_OK ? EXIT_MATCH : EXIT_MISMATCH;
}

static int cmd_ccel(const char *path, const uint8_t *buf, size_t len, bool json)
{
    ccel_acpi t;
    ccel_acpi_error e = {"", 0};
    tds_status s = ccel_acpi_parse(tds_bytes_make(buf, len), &t, &e);
    if (s != TDS_OK) {
        fprintf(stderr, "tdshim-eventlog: %s: invalid CCEL table: %s at offset %u (%s)\n", path,
                e.what, e.offset, tds_status_str(s));
        return EXIT_USAGE;
    }
    if (json) {
        printf("{\"cc_type\":%u,\"cc_subtype\":%u,\"laml\":%llu,\"lasa\":%llu}\n", t.cc_type,
               t.cc_subtype, (unsigned long long)t.laml, (unsigned long long)t.lasa);
    } else {
        printf("CCEL: CC type %u%s, subtype %u, log area 0x%llx + 0x%llx\n", t.cc_type,
               t.cc_type == CCEL_CC_TYPE_TDX ? " (TDX)" : "", t.cc_subtype,
               (unsigned long long)t.lasa, (unsigned long long)t.laml);
    }
    return EXIT_MATCH;
}

static int load_view(const char *path, bool area, uint8_t **buf, ccel_view *v)
{
    size_t len;
    if (read_file(path, buf, &len) != 0) {
        return -1;
    }
    ccel_parse_error e;
    if (ccel_parse(tds_bytes_make(*buf, len), area ? CCEL_PARSE_AREA : CCEL_PARSE_EXACT, v, &e) !=
        TDS_OK) {
        parse_error(path, &e);
        free(*buf);
        *buf = NULL;
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    tool_check_stdout_at_exit("tdshim-eventlog", EXIT_USAGE);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        tool_print_version("tdshim-eventlog");
        return EXIT_MATCH;
    }
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        usage(stdout);
        return EXIT_MATCH;
    }
    bool json = false, area = false, full = false;
    const char *path = NULL, *refpath = NULL, *reportpath = NULL;
    rtmr_bank want;
    bool have[RTMR_COUNT] = {false, false, false, false};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--area") == 0) {
            area = true;
        } else if (strcmp(a, "--full") == 0) {
            full = true;
        } else if (strcmp(a, "--reference") == 0 && i + 1 < argc) {
            refpath = argv[++i];
        } else if (strcmp(a, "--tdreport") == 0 && i + 1 < argc) {
            reportpath = argv[++i];
        } else if (strncmp(a, "--rtmr", 6) == 0 && a[6] >= '0' && a[6] <= '3' && a[7] == '\0' &&
                   i + 1 < argc) {
            uint32_t r = (uint32_t)(a[6] - '0');
            if (parse_digest(argv[++i], &want.r[r]) != 0) {
                fprintf(stderr, "tdshim-eventlog: %s: need 96 hex digits\n", a);
                return EXIT_USAGE;
            }
            have[r] = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "tdshim-eventlog: unknown option %s\n", a);
            usage(stderr);
            return EXIT_USAGE;
        } else if (path == NULL) {
            path = a;
        } else {
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (path == NULL) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "ccel") == 0) {
        uint8_t *buf;
        size_t len;
        if (read_file(path, &buf, &len) != 0) {
            return EXIT_USAGE;
        }
        int rc = cmd_ccel(path, buf, len, json);
        free(buf);
        return rc;
    }
    if (strcmp(cmd, "dump") != 0 && strcmp(cmd, "replay") != 0 && strcmp(cmd, "verify") != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    bool any = have[0] || have[1] || have[2] || have[3];
    bool all = have[0] && have[1] && have[2] && have[3];
    if (strcmp(cmd, "verify") == 0) {
        if (reportpath != NULL && !any) {
            if (load_tdreport(reportpath, &want) != 0) {
                return EXIT_USAGE;
            }
        } else if (reportpath != NULL || !all) {
            fprintf(stderr, "tdshim-eventlog: verify needs --rtmr0 .. --rtmr3 or --tdreport\n");
            return EXIT_USAGE;
        }
    }
    uint8_t *buf = NULL, *refbuf = NULL;
    ccel_view v, rv;
    if (load_view(path, area, &buf, &v) != 0) {
        return EXIT_USAGE;
    }
    int rc;
    if (strcmp(cmd, "dump") == 0) {
        rc = cmd_dump(&v, json, full);
    } else if (strcmp(cmd, "replay") == 0) {
        rc = cmd_replay(&v, json);
    } else if (refpath != NULL && load_view(refpath, area, &refbuf, &rv) != 0) {
        rc = EXIT_USAGE;
    } else {
        rc = cmd_verify(&v, &want, refpath != NULL ? &rv : NULL, json);
    }
    free(refbuf);
    free(buf);
    return rc;
}
