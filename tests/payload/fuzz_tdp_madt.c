/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: the payload's MADT walker (tdp_madt_parse) and its E820 shape check on untrusted
 * bytes. On success the decoded MADT must be consistent (1..max CPUs, distinct APIC IDs, a
 * version-1 wakeup with an aligned mailbox and a ResetVector); on failure *out is untouched.
 * The same bytes read as packed 20-byte E820 entries go through tdp_e820_check and, when they
 * pass, must be sorted and non-overlapping.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tdp_acpi.h"
#include "tdp_hob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tdp_madt g_m;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(&g_m, 0x5A, sizeof g_m);
    tdp_madt_error e;
    const tds_status s = tdp_madt_parse(tds_bytes_make(data, size), &g_m, &e);
    if (s == TDS_OK) {
        if (g_m.cpu_count == 0 || g_m.cpu_count > TDP_MADT_MAX_CPUS || g_m.wakeup_version != 1 ||
            g_m.mailbox == 0 || (g_m.mailbox & 0xFFFu) != 0 || g_m.reset_vector == 0 ||
            e.reason != TDP_MADT_OK || tdp_acpi_checksum(tds_bytes_make(data, size)) != TDS_OK) {
            abort();
        }
        for (uint32_t i = 0; i < g_m.cpu_count; i++) {
            for (uint32_t j = i + 1; j < g_m.cpu_count; j++) {
                if (g_m.cpus[i].apic_id == g_m.cpus[j].apic_id) {
                    abort();
                }
            }
        }
    } else {
        const uint8_t *p = (const uint8_t *)&g_m;
        for (size_t i = 0; i < sizeof g_m; i++) {
            if (p[i] != 0x5A) {
                abort();
            }
        }
        if (e.reason == TDP_MADT_OK && s != TDS_ERR_INVALID_ARG) {
            abort();
        }
    }

    tdhob_e820_entry ent[32];
    size_t n = 0;
    for (size_t off = 0; off + 20 <= size && n < 32; off += 20, n++) {
        ent[n].addr = tds_load_le64(data + off);
        ent[n].size = tds_load_le64(data + off + 8);
        ent[n].type = tds_load_le32(data + off + 16);
    }
    size_t bad = 0;
    if (tdp_e820_check(ent, n, &bad) == TDS_OK) {
        for (size_t i = 1; i < n; i++) {
            if (ent[i].addr < ent[i - 1].addr + ent[i - 1].size) {
                abort();
            }
        }
    } else if (bad >= n) {
        abort();
    }
    return 0;
}
