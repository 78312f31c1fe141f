/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* MADT builder: byte-exact tables (written out by hand from ACPI 6.5 5.2.12), >255 CPUs,
 * capacity and hostile VMM tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tdshim/mailbox.h"

#define HDR(len_lo, len_hi, csum)                                                                  \
    'A', 'P', 'I', 'C', len_lo, len_hi, 0, 0,   /* signature, length */                            \
        5, csum,                                /* revision 5, checksum */                         \
        'T', 'D', 'S', 'H', 'I', 'M',           /* OEM ID */                                       \
        'T', 'D', 'S', 'H', 'M', 'A', 'D', 'T', /* OEM table ID */                                 \
        1, 0, 0, 0,                             /* OEM revision */                                 \
        'T', 'D', 'S', 'H', 1, 0, 0, 0,         /* creator ID, creator revision */                 \
        0x00, 0x00, 0xE0, 0xFE,                 /* local APIC address 0xFEE00000 */                \
        1, 0, 0, 0                              /* flags: PCAT_COMPAT */

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++) {
        s = (uint8_t)(s + p[i]);
    }
    return s;
}

static void test_default_two_cpus_v0(void **state)
{
    (void)state;
    static const uint8_t expect[] = {
        HDR(76, 0, 0x31),
        0,
        8,
        0,
        0,
        1,
        0,
        0,
        0, /* LAPIC uid 0 apic 0 enabled */
        0,
        8,
        1,
        1,
        1,
        0,
        0,
        0, /* LAPIC uid 1 apic 1 enabled */
        0x10,
        16,
        0,
        0,
        0,
        0,
        0,
        0, /* MP wakeup, version 0, reserved */
        0x00,
        0xF0,
        0x07,
        0,
        0,
        0,
        0,
        0, /* mailbox 0x7F000 */
    };
    uint8_t buf[128];
    memset(buf, 0xAA, sizeof(buf));
    const uint32_t ids[] = {0, 1};
    madt_ids mi = mbox_madt_default_ids();
    madt_wakeup wk = {0, 0x7F000, 0};
    size_t len = 0;
    assert_int_equal(
        mbox_madt_build_default(tds_mut_bytes_make(buf, sizeof(buf)), &mi, ids, 2, 0, &wk, &len),
        TDS_OK);
    assert_int_equal(len, sizeof(expect));
    assert_memory_equal(buf, expect, sizeof(expect));
    assert_int_equal(buf[len], 0xAA); /* nothing past the table */
    assert_int_equal(sum8(buf, len), 0);
}

static void test_default_mixed_v1(void **state)
{
    (void)state;
    static const uint8_t expect[] = {
        HDR(116, 0, 0x5e),
        0,
        8,
        0,
        0,
        1,
        0,
        0,
        0, /* LAPIC uid 0 apic 0 */
        0,
        8,
        1,
        254,
        1,
        0,
        0,
        0, /* LAPIC uid 1 apic 254 (largest for type 0) */
        9,
        16,
        0,
        0,
        0xFF,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        2,
        0,
        0,
        0, /* x2APIC 255, uid 2 */
        9,
        16,
        0,
        0,
        0x34,
        0x12,
        0,
        0,
        1,
        0,
        0,
        0,
        3,
        0,
        0,
        0, /* x2APIC 0x1234, uid 3 */
        0x10,
        24,
        1,
        0,
        0,
        0,
        0,
        0, /* MP wakeup, version 1 */
        0x00,
        0xF0,
        0x07,
        0,
        0,
        0,
        0,
        0, /* mailbox 0x7F000 */
        0x40,
        0xE0,
        0x07,
        0,
        0,
        0,
        0,
        0, /* reset vector 0x7E040 */
    };
    uint8_t buf[sizeof(expect)];
    const uint32_t ids[] = {0, 254, 255, 0x1234};
    madt_ids mi = mbox_madt_default_ids();
    madt_wakeup wk = {1, 0x7F000, 0x7E040};
    size_t len = 0;
    assert_int_equal(
        mbox_madt_build_default(tds_mut_bytes_make(buf, sizeof(buf)), &mi, ids, 4, 0, &wk, &len),
        TDS_OK);
    assert_int_equal(len, sizeof(expect));
    assert_memory_equal(buf, expect, sizeof(expect));
}

/* Walk a built table: returns the number of entries of each type seen and checks UIDs. */
static void walk(const uint8_t *t, size_t len, const uint32_t *ids, uint32_t n, size_t *n_lapic,
                 size_t *n_x2)
{
    size_t off = MADT_HEADER_SIZE;
    uint32_t cpu = 0;
    *n_lapic = 0;
    *n_x2 = 0;
    while (off < len) {
        uint8_t type = t[off];
        uint8_t elen = t[off + 1];
        /* Out-of-range cpu (too many entries) fails the comparison instead of reading past ids. */
        uint32_t want = cpu < n ? ids[cpu] : 0xFFFFFFFFu;
        if (type == MADT_TYPE_LAPIC) {
            assert_int_equal(elen, 8);
            assert_int_equal(t[off + 2], cpu);
            assert_int_equal(t[off + 3], want);
            (*n_lapic)++;
            cpu++;
        } else if (type == MADT_TYPE_X2APIC) {
            assert_int_equal(elen, 16);
            assert_int_equal(tds_load_le32(t + off + 4), want);
            assert_int_equal(tds_load_le32(t + off + 8), 1);
            assert_int_equal(tds_load_le32(t + off + 12), cpu);
            (*n_x2)++;
            cpu++;
        } else {
            assert_int_equal(type, MADT_TYPE_MP_WAKEUP);
            assert_int_equal(off + elen, len);
        }
        off += elen;
    }
    assert_int_equal(off, len);
    assert_int_equal(cpu, n);
}

static void test_default_300_cpus(void **state)
{
    (void)state;
    enum { N = 300 };
    uint32_t ids[N];
    for (uint32_t i = 0; i < N; i++) {
        ids[i] = i; /* APIC IDs 0..299: 255 and up need x2APIC entries */
    }
    size_t want = MADT_HEADER_SIZE + 255u * 8u + 45u * 16u + 16u;
    uint8_t *buf = malloc(want);
    assert_non_null(buf);
    madt_ids mi = mbox_madt_default_ids();
    madt_wakeup wk = {0, 0x7F000, 0};
    size_t len = 0;
    /* One byte short: NO_SPACE, and nothing written. */
    memset(buf, 0xAA, want);
    assert_int_equal(
        mbox_madt_build_default(tds_mut_bytes_make(buf, want - 1), &mi, ids, N, 0, &wk, &len),
        TDS_ERR_NO_SPACE);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0xAA);
    assert_int_equal(buf[want - 2], 0xAA);
    assert_int_equal(
        mbox_madt_build_default(tds_mut_bytes_make(buf, want), &mi, ids, N, 0, &wk, &len), TDS_OK);
    assert_int_equal(len, want);
    assert_int_equal(tds_load_le32(buf + MADT_OFF_LENGTH), want);
    assert_int_equal(sum8(buf, len), 0);
    size_t nl, nx;
    walk(buf, len, ids, N, &nl, &nx);
    assert_int_equal(nl, 255);
    assert_int_equal(nx, 45);
    free(buf);
}

static void test_force_x2apic(void **state)
{
    (void)state;
    const uint32_t ids[] = {0, 1, 2};
    uint8_t buf[MADT_HEADER_SIZE + 3 * 16 + 16];
    madt_ids mi = mbox_madt_default_ids();
    madt_wakeup wk = {0, 0x7F000, 0};
    size_t len = 0;
    assert_int_equal(mbox_madt_build_default(tds_mut_bytes_make(buf, sizeof(buf)), &mi, ids, 3,
                                             MADT_BUILD_FORCE_X2APIC, &wk, &len),
                     TDS_OK);
    assert_int_equal(len, sizeof(buf));
    size_t nl, nx;
    walk(buf, len, ids, 3, &nl, &nx);
    assert_int_equal(nl, 0);
    assert_int_equal(nx, 3);
    assert_int_equal(sum8(buf, len), 0);
}

static void test_bad_args(void **state)
{
    (void)state;
    const uint32_t ids[] = {0};
    uint8_t buf[256];
    madt_ids mi = mbox_madt_default_ids();
    size_t len = 7;
    tds_mut_bytes out = tds_mut_bytes_make(buf, sizeof(buf));
    madt_wakeup v2 = {2, 0x7F000, 0};
    madt_wakeup misaligned = {0, 0x7F800, 0};
    madt_wakeup zero = {0, 0, 0};
    madt_wakeup ok = {0, 0x7F000, 0};
    assert_int_equal(mbox_madt_build_default(out, &mi, ids, 1, 0, &v2, &len), TDS_ERR_UNSUPPORTED);
    assert_int_equal(mbox_madt_build_default(out, &mi, ids, 1, 0, &misaligned, &len),
                     TDS_ERR_ALIGNMENT);
    assert_int_equal(mbox_madt_build_default(out, &mi, ids, 1, 0, &zero, &len),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(mbox_madt_build_default(out, &mi, ids, 0, 0, &ok, &len), TDS_ERR_INVALID_ARG);
    assert_int_equal(mbox_madt_build_default(out, &mi, ids, 1, 0x80, &ok, &len),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(mbox_madt_build_default(out, &mi, NULL, 1, 0, &ok, &len), TDS_ERR_INVALID_ARG);
    assert_int_equal(len, 7); /* out-param untouched on failure */
}

/* A VMM MADT: header (VMM ids, bad checksum on purpose), 2 LAPICs, an I/O APIC, and a wakeup
 * structure of its own that must be dropped. */
static const uint8_t vmm_madt[] =
    {
        'A',  'P', 'I', 'C', 88,   0,    0,    0,    3,    0x77, 'B',  'O',  'C',
        'H',  'S', ' ', 'B', 'X',  'P',  'C',  'A',  'P',  'I',  'C',  1,    0,
        0,    0,   'B', 'X', 'P',  'C',  1,    0,    0,    0,    0x00, 0x00, 0xE0,
        0xFE, 1,   0,   0,   0,    0,    8,    0,    0,    1,    0,    0,    0, /* LAPIC 0 */
        1,    12,  0,   0,   0x00, 0x00, 0xC0, 0xFE, 0,    0,    0,    0,       /* I/O APIC id 0 at
                                                                                   0xFEC00000, GSI 0 */
        0x10, 16,  0,   0,   0,    0,    0,    0,    0x00, 0x10, 0,    0,    0,
        0,    0,   0,                             /* VMM wakeup at 0x1000: dropped */
        0,    8,   1,   1,   1,    0,    0,    0, /* LAPIC 1 */
};

static void test_append(void **state)
{
    (void)state;
    uint8_t buf[128];
    memset(buf, 0xAA, sizeof(buf));
    madt_wakeup wk = {1, 0x7F000, 0x7E040};
    size_t len = 0;
    assert_int_equal(sizeof(vmm_madt), 88);
    assert_int_equal(mbox_madt_append_wakeup(tds_mut_bytes_make(buf, sizeof(buf)),
                                             tds_bytes_make(vmm_madt, sizeof(vmm_madt)), &wk, &len),
                     TDS_OK);
    assert_int_equal(len, 88 - 16 + 24);
    assert_int_equal(tds_load_le32(buf + 4), len);
    assert_int_equal(buf[8], 3);                      /* VMM revision kept */
    assert_memory_equal(buf + 10, vmm_madt + 10, 34); /* ids, LAPIC address, flags kept */
    assert_memory_equal(buf + 44, vmm_madt + 44, 20); /* LAPIC 0, I/O APIC */
    assert_memory_equal(buf + 64, vmm_madt + 80, 8);  /* LAPIC 1 (VMM wakeup gone) */
    static const uint8_t wake[] = {0x10, 24, 1, 0, 0,    0,    0,    0, 0x00, 0xF0, 0x07, 0,
                                   0,    0,  0, 0, 0x40, 0xE0, 0x07, 0, 0,    0,    0,    0};
    assert_memory_equal(buf + 72, wake, sizeof(wake));
    assert_int_equal(sum8(buf, len), 0);
    assert_int_equal(buf[len], 0xAA);
    /* Trailing bytes after the VMM's length field are ignored. */
    uint8_t longer[sizeof(vmm_madt) + 5];
    memcpy(longer, vmm_madt, sizeof(vmm_madt));
    memset(longer + sizeof(vmm_madt), 0x10, 5);
    uint8_t buf2[128];
    size_t len2 = 0;
    assert_int_equal(mbox_madt_append_wakeup(tds_mut_bytes_make(buf2, sizeof(buf2)),
                                             tds_bytes_make(longer, sizeof(longer)), &wk, &len2),
                     TDS_OK);
    assert_int_equal(len2, len);
    assert_memory_equal(buf2, buf, len);
}

static tds_status append_mut(uint8_t *t, size_t n)
{
    uint8_t out[256];
    size_t len = 0;
    madt_wakeup wk = {0, 0x7F000, 0};
    return mbox_madt_append_wakeup(tds_mut_bytes_make(out, sizeof(out)), tds_bytes_make(t, n), &wk,
                                   &len);
}

static void test_append_hostile(void **state)
{
    (void)state;
    uint8_t t[sizeof(vmm_madt)];
    /* bad signature */
    memcpy(t, vmm_madt, sizeof(t));
    t[0] = 'X';
    assert_int_equal(append_mut(t, sizeof(t)), TDS_ERR_MALFORMED);
    /* length field below the header */
    memcpy(t, vmm_madt, sizeof(t));
    tds_store_le32(t + 4, 43);
    assert_int_equal(append_mut(t, sizeof(t)), TDS_ERR_MALFORMED);
    /* length field beyond the bytes we have */
    memcpy(t, vmm_madt, sizeof(t));
    tds_store_le32(t + 4, 89);
    assert_int_equal(append_mut(t, sizeof(t)), TDS_ERR_TRUNCATED);
    /* absurd length */
    tds_store_le32(t + 4, 0xFFFFFFFFu);
    assert_int_equal(append_mut(t, sizeof(t)), TDS_ERR_MALFORMED);
    /* entry of length 0 and of length 1 (would loop forever / read its own header) */
    memcpy(t, vmm_madt, sizeof(t));
    t[45] = 0;
    assert_int_equal(append_mut(t, sizeof(t)), TDS_ERR_MALFORMED);
    t[45] = 1;
    assert_int_equal(append_mut(t, sizeof(t)), TDS_ERR_MALFORMED);
    /* last entry runs past the table */
    memcpy(t, vmm_madt, sizeof(t));
    t[81] = 9;
    assert_int_equal(append_mut(t, sizeof(t)), TDS_ERR_TRUNCATED);
    /* a lone type byte at the end */
    memcpy(t, vmm_madt, sizeof(t));
    tds_store_le32(t + 4, 81);
    assert_int_equal(append_mut(t, 81), TDS_ERR_TRUNCATED);
    /* shorter than a header */
    assert_int_equal(append_mut(t, 6), TDS_ERR_TRUNCATED);
    /* output too small: NO_SPACE and untouched */
    uint8_t out[88];
    memset(out, 0xAA, sizeof(out));
    size_t len = 9;
    madt_wakeup wk = {0, 0x7F000, 0};
    assert_int_equal(mbox_madt_append_wakeup(tds_mut_bytes_make(out, sizeof(out)),
                                             tds_bytes_make(vmm_madt, sizeof(vmm_madt)), &wk, &len),
                     TDS_OK); /* 88 - 16 + 16 = 88 fits exactly */
    assert_int_equal(len, 88);
    memset(out, 0xAA, sizeof(out));
    madt_wakeup wk1 = {1, 0x7F000, 0};
    len = 9;
    assert_int_equal(mbox_madt_append_wakeup(tds_mut_bytes_make(out, sizeof(out)),
                                             tds_bytes_make(vmm_madt, sizeof(vmm_madt)), &wk1,
                                             &len),
                     TDS_ERR_NO_SPACE);
    assert_int_equal(len, 9);
    assert_int_equal(out[0], 0xAA);
}

static void test_checksum(void **state)
{
    (void)state;
    uint8_t t[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0x55, 11, 12};
    /* sum without byte 9 = 68 = 0x44; 0x100 - 0x44 = 0xBC */
    assert_int_equal(mbox_madt_checksum(tds_bytes_make(t, sizeof(t))), 0xBC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_two_cpus_v0),
        cmocka_unit_test(test_default_mixed_v1),
        cmocka_unit_test(test_default_300_cpus),
        cmocka_unit_test(test_force_x2apic),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_append_hostile),
        cmocka_unit_test(test_checksum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
