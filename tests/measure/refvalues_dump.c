/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Test helper: decode a `tdshim-measure rtmr --cbor` file with refvalues_decode and print it in
 * the tool's text form (MRTD / RTMRi / CCEL-SHA384 / CCEL-EVENTS lines) for check-rtmr.sh. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "refvalues.h"

static void hex(const char *what, const uint8_t *b)
{
    printf("%s ", what);
    for (unsigned i = 0; i < RTMR_SHA384_SIZE; i++) {
        printf("%02x", b[i]);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: refvalues_dump FILE.cbor\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    static uint8_t buf[1 << 16];
    const size_t n = fread(buf, 1, sizeof buf, f);
    const int err = ferror(f);
    fclose(f);
    refvalues v;
    if (err != 0 || n == sizeof buf || refvalues_decode(tds_bytes_make(buf, n), &v) != TDS_OK) {
        fprintf(stderr, "refvalues_dump: %s is not a reference-values document\n", argv[1]);
        return 1;
    }
    if (v.has_mrtd) {
        hex("MRTD", v.mrtd);
    }
    const char *names[RTMR_COUNT] = {"RTMR0", "RTMR1", "RTMR2", "RTMR3"};
    for (unsigned i = 0; i < RTMR_COUNT; i++) {
        hex(names[i], v.rtmr.r[i].b);
    }
    hex("CCEL-SHA384", v.ccel_sha384.b);
    printf("CCEL-EVENTS %" PRIu64 "\n", v.ccel_events);
    return 0;
}
