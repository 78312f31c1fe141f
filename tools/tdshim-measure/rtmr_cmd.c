/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* tdshim-measure rtmr: reference RTMRs (docs/tools/tdshim-measure.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure_image.h"
#include "rtmr_cmd.h"
#include "rtmr_ref.h"
#include "tool_io.h"

static void rtmr_usage(FILE *f)
{
    fprintf(f,
            "usage: tdshim-measure rtmr --hob FILE [--hob-gpa GPA] [--gpaw 48|52]\n"
            "                           [--image IMAGE |\n"
            "                            [--separators] [--payload FILE [--payload-base GPA]]\n"
            "                            [--payload-param FILE | --cmdline STR]]\n"
            "                           [--json] [--log-out FILE]\n"
            "  prints the reference RTMR0..3 (96 hex digits each) for a TD HOB and, with --image,\n"
            "  the image's payload section in the shim's executable-payload order (HOB, payload,\n"
            "  separators); --payload/--separators/--payload-param give td-shim's Linux order;\n"
            "  --log-out writes the expected CC event log\n");
}

static int usage_error(const char *why)
{
    fprintf(stderr, "tdshim-measure rtmr: %s\n", why);
    rtmr_usage(stderr);
    return 2;
}

static int read_input(const char *what, const char *path, uint8_t **buf, size_t *len)
{
    const tds_status st = tool_read_file(path, buf, len);
    if (st != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: cannot read %s '%s': %s\n", what, path,
                tds_status_str(st));
        return 1;
    }
    return 0;
}

static void print_hex(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
}

typedef struct rtmr_args {
    const char *hob;
    const char *image;
    bool payload_base_set;
    const char *payload;
    const char *param;
    const char *cmdline;
    const char *log_out;
    bool json;
    rtmr_ref_input in;
} rtmr_args;

/* 0 on success, 2 on a usage error (reported). */
static int parse_args(int argc, char **argv, rtmr_args *a)
{
    memset(a, 0, sizeof *a);
    a->in.gpaw = 48;
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n = 0;
        if (strcmp(o, "--json") == 0) {
            a->json = true;
        } else if (strcmp(o, "--separators") == 0) {
            a->in.separators = true;
        } else if (v == NULL) {
            return usage_error("unknown option or missing value");
        } else if (strcmp(o, "--hob") == 0) {
            a->hob = v;
        } else if (strcmp(o, "--image") == 0) {
            a->image = v;
        } else if (strcmp(o, "--payload") == 0) {
            a->payload = v;
        } else if (strcmp(o, "--payload-param") == 0) {
            a->param = v;
        } else if (strcmp(o, "--cmdline") == 0) {
            a->cmdline = v;
        } else if (strcmp(o, "--log-out") == 0) {
            a->log_out = v;
        } else if (strcmp(o, "--hob-gpa") == 0) {
            if (tool_parse_u64(v, &n) != TDS_OK) {
                return usage_error("bad --hob-gpa");
            }
            a->in.hob_gpa_known = true;
            a->in.hob_gpa = n;
        } else if (strcmp(o, "--payload-base") == 0) {
            if (tool_parse_u64(v, &n) != TDS_OK) {
                return usage_error("bad --payload-base");
            }
            a->in.payload_base = n;
            a->payload_base_set = true;
        } else if (strcmp(o, "--gpaw") == 0) {
            if (tool_parse_u64(v, &n) != TDS_OK || (n != 48 && n != 52)) {
                return usage_error("--gpaw must be 48 or 52");
            }
            a->in.gpaw = (uint32_t)n;
        } else {
            return usage_error("unknown option");
        }
        if (strcmp(o, "--json") != 0 && strcmp(o, "--separators") != 0) {
            i++;
        }
    }
    if (a->hob == NULL) {
        return usage_error("--hob FILE is required");
    }
    if (a->param != NULL && a->cmdline != NULL) {
        return usage_error("--payload-param and --cmdline are exclusive");
    }
    if (a->image != NULL &&
        (a->payload != NULL || a->payload_base_set || a->param != NULL || a->cmdline != NULL)) {
        return usage_error("--image takes the payload from the image: no --payload, "
                           "--payload-base, --payload-param or --cmdline");
    }
    return 0;
}

static void print_result(const rtmr_args *a, const rtmr_bank *bank, size_t log_len)
{
    if (a->json) {
        printf("{");
        for (unsigned i = 0; i < RTMR_COUNT; i++) {
            printf("%s\"rtmr%u\":\"", i == 0 ? "" : ",", i);
            print_hex(bank->r[i].b, RTMR_SHA384_SIZE);
            printf("\"");
        }
        printf(",\"log_bytes\":%zu}\n", log_len);
        return;
    }
    for (unsigned i = 0; i < RTMR_COUNT; i++) {
        printf("RTMR%u ", i);
        print_hex(bank->r[i].b, RTMR_SHA384_SIZE);
        printf("\n");
    }
}

static int compute(rtmr_args *a)
{
    size_t cap = 0;
    if (rtmr_ref_area_size(&a->in, &cap) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: inputs too large\n");
        return 1;
    }
    uint8_t *area = malloc(cap);
    if (area == NULL) {
        fprintf(stderr, "tdshim-measure rtmr: out of memory\n");
        return 1;
    }
    ccel_log log;
    rtmr_bank bank;
    tdhob_error herr;
    memset(&herr, 0, sizeof herr);
    int rc = 1;
    const tds_status st =
        rtmr_ref_compute(&a->in, &log, tds_mut_bytes_make(area, cap), &bank, &herr);
    if (st != TDS_OK) {
        if (herr.reason != TDHOB_R_NONE) {
            fprintf(stderr,
                    "tdshim-measure rtmr: invalid TD HOB: %s (hob at +0x%zx, field +0x%zx, type "
                    "%u, value 0x%" PRIx64 "): the shim would stop with FATAL 0x4001\n",
                    tdhob_reason_str(herr.reason), herr.hob_offset, herr.field_offset,
                    (unsigned)herr.hob_type, herr.value);
        } else {
            fprintf(stderr, "tdshim-measure rtmr: %s\n", tds_status_str(st));
        }
        goto out;
    }
    const tds_bytes lb = ccel_log_bytes(&log);
    if (a->log_out != NULL && tool_write_file(a->log_out, lb.ptr, lb.len) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: cannot write '%s'\n", a->log_out);
        goto out;
    }
    print_result(a, &bank, lb.len);
    rc = 0;
out:
    free(area);
    return rc;
}

/*
 * --image: the payload section's bytes (file + padding, as the shim hashes them), its GPA and size
 * for the event, the executable-payload order with separators, and, unless --hob-gpa was given,
 * the HOB GPA from the image's TD_HOB section (what the shim uses). 0 or 1 (reported).
 */
static int use_image(rtmr_args *a, tds_bytes image)
{
    tdvf_meta meta;
    const tdvf_section *sec = NULL;
    tdvf_payload_kind kind = TDVF_PAYLOAD_IMAGE;
    tds_bytes bytes;
    tdvf_error err = {"", UINT32_MAX};
    const tds_status st = measure_image_payload(image, &meta, &sec, &kind, &bytes, &err);
    if (st != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: image '%s': %s: %s", a->image, tds_status_str(st),
                err.what);
        if (err.section != UINT32_MAX) {
            fprintf(stderr, " (section %" PRIu32 ")", err.section);
        }
        fprintf(stderr, "%s\n",
                st == TDS_ERR_NOT_FOUND
                    ? "; the shim then logs only td_hob and the separators (--separators)"
                    : "; the shim would refuse it");
        return 1;
    }
    if (kind != TDVF_PAYLOAD_IMAGE) {
        fprintf(stderr, "tdshim-measure rtmr: image '%s': a VMM-placed payload (not supported)\n",
                a->image);
        return 1;
    }
    a->in.has_payload = true;
    a->in.payload = bytes;
    a->in.payload_base = sec->mem_addr;
    a->in.separators = true;
    a->in.payload_first = true;
    for (uint32_t i = 0; i < meta.count && !a->in.hob_gpa_known; i++) {
        if (meta.sec[i].type == TDVF_SEC_TD_HOB) {
            a->in.hob_gpa_known = true;
            a->in.hob_gpa = meta.sec[i].mem_addr;
        }
    }
    return 0;
}

int rtmr_main(int argc, char **argv)
{
    rtmr_args a;
    if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
        rtmr_usage(stdout);
        return 0;
    }
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) {
        return rc;
    }
    uint8_t *hob = NULL;
    uint8_t *image = NULL;
    size_t image_len = 0;
    uint8_t *payload = NULL;
    uint8_t *param = NULL;
    size_t hob_len = 0;
    size_t payload_len = 0;
    size_t param_len = 0;
    rc = read_input("HOB", a.hob, &hob, &hob_len);
    if (rc == 0 && a.payload != NULL) {
        rc = read_input("payload", a.payload, &payload, &payload_len);
    }
    if (rc == 0 && a.image != NULL) {
        rc = read_input("image", a.image, &image, &image_len);
        if (rc == 0) {
            rc = use_image(&a, tds_bytes_make(image, image_len));
        }
    }
    if (rc == 0 && a.param != NULL) {
        rc = read_input("payload parameter", a.param, &param, &param_len);
    }
    if (rc == 0) {
        a.in.hob = tds_bytes_make(hob, hob_len);
        if (a.image == NULL) {
            a.in.has_payload = a.payload != NULL;
            a.in.payload = tds_bytes_make(payload, payload_len);
        }
        if (a.cmdline != NULL) {
            a.in.has_param = true;
            a.in.param = tds_bytes_make(a.cmdline, strlen(a.cmdline));
        } else if (a.param != NULL) {
            a.in.has_param = true;
            a.in.param = tds_bytes_make(param, param_len);
        }
        rc = compute(&a);
    }
    free(hob);
    free(image);
    free(payload);
    free(param);
    return rc;
}
