/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* tdshim-measure: reference measurements of a TDVF image. Manual: docs/tools/tdshim-measure.md */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrtd.h"
#include "rtmr_cmd.h"
#include "tool_io.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: tdshim-measure mrtd [--locate qemu|tdshim] [--any] IMAGE\n"
               "       tdshim-measure rtmr --hob FILE ... (tdshim-measure rtmr --help)\n"
               "  prints the reference MRTD (96 hex digits) of a TDVF image\n"
               "  --locate  how to find the metadata (default qemu: the OVMF footer table)\n"
               "  --any     measure even what QEMU would refuse to load (an image with a\n"
               "            type-5 Payload section is held to td-shim's rules instead)\n");
}

static void report(const char *what, tds_status st, const tdvf_error *err)
{
    if (err->section != UINT32_MAX) {
        fprintf(stderr, "tdshim-measure: %s: %s: %s (section %" PRIu32 ")\n", what,
                tds_status_str(st), err->what, err->section);
    } else {
        fprintf(stderr, "tdshim-measure: %s: %s: %s\n", what, tds_status_str(st), err->what);
    }
}

/*
 * QEMU's acceptance rules; but an image with a type-5 Payload section (the payload with data, or
 * VMM-placed without) is meant for a VMM that implements the td-shim metadata (QEMU refuses type
 * 5), so it is held to td-shim's and this project's rules instead (docs/image-layout.md), which
 * also name what is wrong with a bad payload section.
 */
static tds_status check_rules(const tdvf_meta *m, size_t len, tdvf_error *err)
{
    for (uint32_t i = 0; i < m->count; i++) {
        if (m->sec[i].type == TDVF_SEC_PAYLOAD) {
            TDS_TRY(tdvf_check_tdshim(m, len, err));
            return tdvf_check_layout(m, len, err);
        }
    }
    return tdvf_check_qemu(m, len, err);
}

int main(int argc, char **argv)
{
    bool tdshim_way = false;
    bool any = false;
    const char *path = NULL;
    if (argc >= 2 && strcmp(argv[1], "rtmr") == 0) {
        return rtmr_main(argc, argv);
    }
    if (argc < 2 || strcmp(argv[1], "mrtd") != 0) {
        usage(argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--locate") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "tdshim") == 0) {
                tdshim_way = true;
            } else if (strcmp(argv[i], "qemu") != 0) {
                usage(stderr);
                return 2;
            }
        } else if (strcmp(argv[i], "--any") == 0) {
            any = true;
        } else if (argv[i][0] != '-' && path == NULL) {
            path = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (path == NULL) {
        usage(stderr);
        return 2;
    }
    uint8_t *img = NULL;
    size_t len = 0;
    tds_status st = tool_read_file(path, &img, &len);
    if (st != TDS_OK) {
        fprintf(stderr, "tdshim-measure: cannot read '%s': %s\n", path, tds_status_str(st));
        return 1;
    }
    int rc = 1;
    const tds_bytes image = tds_bytes_make(img, len);
    uint32_t off;
    tdvf_meta m;
    tdvf_error err = {"", UINT32_MAX};
    uint8_t mrtd[MRTD_SIZE];
    st = tdshim_way ? tdvf_locate_tdshim(image, &off) : tdvf_locate_qemu(image, &off);
    if (st != TDS_OK) {
        err.what = "TDVF metadata not found";
        report("locate", st, &err);
        goto out;
    }
    st = tdvf_parse(image, off, &m, &err);
    if (st == TDS_OK && !any) {
        st = check_rules(&m, len, &err);
    }
    if (st != TDS_OK) {
        report("metadata", st, &err);
        goto out;
    }
    st = mrtd_compute(&m, image, mrtd, &err);
    if (st != TDS_OK) {
        report("mrtd", st, &err);
        goto out;
    }
    for (size_t i = 0; i < MRTD_SIZE; i++) {
        printf("%02x", mrtd[i]);
    }
    printf("\n");
    rc = 0;
out:
    free(img);
    return rc;
}
