/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Writes MADTs built by libmailbox to files for the iasl -d check (iasl_check.sh). */
#include <stdio.h>
#include <stdlib.h>

#include "tdshim/mailbox.h"

static int write_file(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[512];
    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
        return 1;
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return 1;
    }
    size_t w = fwrite(p, 1, n, f);
    return (fclose(f) != 0 || w != n) ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: madt_dump <dir>\n");
        return 2;
    }
    static uint8_t buf[16384];
    static uint32_t ids[300];
    for (uint32_t i = 0; i < 300; i++) {
        ids[i] = i;
    }
    madt_ids mi = mbox_madt_default_ids();
    madt_wakeup v0 = {0, 0x7F000, 0};
    madt_wakeup v1 = {1, 0x7F000, 0x7E040};
    size_t len = 0;
    int rc = 0;
    tds_mut_bytes out = tds_mut_bytes_make(buf, sizeof(buf));

    if (mbox_madt_build_default(out, &mi, ids, 4, 0, &v0, &len) != TDS_OK) {
        return 1;
    }
    rc |= write_file(argv[1], "madt_4cpu_v0.dat", buf, len);
    if (mbox_madt_build_default(out, &mi, ids, 300, 0, &v1, &len) != TDS_OK) {
        return 1;
    }
    rc |= write_file(argv[1], "madt_300cpu_v1.dat", buf, len);
    /* The VMM-table path: an x2APIC-only table fed back in as the "VMM" MADT. */
    static uint8_t vmm[16384];
    if (mbox_madt_build_default(tds_mut_bytes_make(vmm, sizeof(vmm)), &mi, ids, 4,
                                MADT_BUILD_FORCE_X2APIC, &v0, &len) != TDS_OK) {
        return 1;
    }
    size_t alen = 0;
    if (mbox_madt_append_wakeup(out, tds_bytes_make(vmm, len), &v1, &alen) != TDS_OK) {
        return 1;
    }
    rc |= write_file(argv[1], "madt_appended_v1.dat", buf, alen);
    /* Negative control: a broken checksum that the check MUST reject. */
    buf[MADT_OFF_CHECKSUM] = (uint8_t)(buf[MADT_OFF_CHECKSUM] + 1u);
    rc |= write_file(argv[1], "bad_checksum.dat", buf, alen);
    return rc;
}
