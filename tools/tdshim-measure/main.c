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
               "  --any     skip QEMU's acceptance rules (an image with a type-5 Payload\n"
               "            section skips them anyway); the shim's rules always apply\n");
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

int main(int argc, char **argv)
{
    tool_check_stdout_at_exit("tdshim-measure", 1);
    bool tdshim_way = false;
    bool any = false;
    const char *path = NULL;
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        tool_print_version("tdshim-measure");
        return 0;
    }
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
        fprintf(stderr, "tdshim-measure: cannot read '%s': %s\n", path, tool_io_error());
        return 1;
    }
    int rc = 1;
    const tds_bytes image = tds_bytes_make(img, len);
    tdvf_meta m;
    tdvf_error err = {"", UINT32_MAX};
    uint8_t mrtd[MRTD_SIZE];
    /*
     * The descriptor the way the chosen VMM finds it, then QEMU's acceptance rules (not with
     * --any, nor for an image with a type-5 Payload section: QEMU refuses the type, such an image
     * is for VMMs that implement the td-shim metadata), then the rules the shim holds its own image
     * to (tdvf_check_image): an MRTD is only worth predicting for an image the shim would boot.
     */
    const uint32_t flags = (tdshim_way ? TDVF_OPEN_LOCATE_TDSHIM : TDVF_OPEN_LOCATE_QEMU) |
                           (any ? 0u : TDVF_OPEN_QEMU_RULES);
    st = tdvf_open(image, flags, &m, &err);
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
