/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Accessors over a list carrying every accepted HOB type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

#define GPA 0x900000ull

static uint8_t g_buf[2048];
static size_t g_len;
static tdhob_scratch_entry g_scratch[FX_SCRATCH_CAP];

static void view_all(tdhob_view *v)
{
    g_len = fixture_all_types(g_buf, sizeof g_buf, GPA);
    tdhob_config cfg = {GPA, false, 48, TDHOB_CONV_AUTO, g_scratch, FX_SCRATCH_CAP};
    tdhob_error err;
    tds_status s = tdhob_validate(tds_bytes_make(g_buf, g_len), &cfg, v, &err);
    if (s != TDS_OK) {
        fail_msg("all-types fixture rejected: %s at %zu", tdhob_reason_str(err.reason),
                 err.field_offset);
    }
}

static void test_counts(void **state)
{
    (void)state;
    tdhob_view v;
    view_all(&v);
    assert_int_equal(tdhob_count(&v, TDHOB_TYPE_HANDOFF), 1);
    assert_int_equal(tdhob_count(&v, TDHOB_TYPE_CPU), 1);
    assert_int_equal(tdhob_count(&v, TDHOB_TYPE_RESOURCE_DESCRIPTOR), 4);
    assert_int_equal(tdhob_count(&v, TDHOB_TYPE_MEMORY_ALLOCATION), 1);
    assert_int_equal(tdhob_count(&v, TDHOB_TYPE_FV), 1);
    assert_int_equal(tdhob_count(&v, TDHOB_TYPE_FV2), 1);
    assert_int_equal(tdhob_count(&v, TDHOB_TYPE_FV3), 1);
    assert_int_equal(tdhob_count(&v, TDHOB_TYPE_GUID_EXTENSION), 4);
    assert_int_equal(tdhob_count(&v, TDHOB_TYPE_END_OF_HOB_LIST), 1);
    assert_int_equal(tdhob_count(&v, 0x0042), 0);
    assert_int_equal(tdhob_get_convention(&v), TDHOB_CONV_CURRENT);
    assert_int_equal(tdhob_length(&v), g_len);
}

static void test_items(void **state)
{
    (void)state;
    tdhob_view v;
    view_all(&v);
    tdhob_iter it = tdhob_iter_begin();
    tdhob_item item;
    size_t n = 0;
    size_t last_off = 0;
    while (tdhob_next(&v, &it, &item) == TDS_OK) {
        n++;
        last_off = item.offset;
        switch (item.type) {
        case TDHOB_TYPE_CPU:
            assert_int_equal(item.u.cpu.memory_space_bits, 48);
            assert_int_equal(item.u.cpu.io_space_bits, 16);
            break;
        case TDHOB_TYPE_MEMORY_ALLOCATION:
            assert_int_equal(item.u.memalloc.name.b[0], 0xA0);
            assert_int_equal(item.u.memalloc.name.b[15], 0xAF);
            assert_true(item.u.memalloc.base == 0x100000);
            assert_true(item.u.memalloc.length == 0x2000);
            assert_int_equal(item.u.memalloc.memory_type, 4);
            break;
        case TDHOB_TYPE_FV:
            assert_true(item.u.fv.base == 0xFF000000ull);
            assert_true(item.u.fv.length == 0x40000);
            break;
        case TDHOB_TYPE_FV2:
            assert_true(item.u.fv.base == 0xFF100000ull);
            assert_true(item.u.fv.length == 0x1000);
            break;
        case TDHOB_TYPE_FV3:
            assert_true(item.u.fv.base == 0xFF200000ull);
            assert_true(item.u.fv.length == 0x2000);
            assert_int_equal(item.u.fv.authentication_status, 3);
            assert_true(item.u.fv.extracted);
            break;
        default: break;
        }
    }
    assert_int_equal(n, 15);
    assert_int_equal(last_off, g_len - 8);
    /* A forged iterator is refused or stays inside the view. */
    tdhob_iter bad = {3};
    assert_int_equal(tdhob_next(&v, &bad, &item), TDS_ERR_INVALID_ARG);
    tdhob_iter past = {g_len};
    assert_int_equal(tdhob_next(&v, &past, &item), TDS_ERR_NOT_FOUND);
}

static void test_guid_lookup(void **state)
{
    (void)state;
    tdhob_view v;
    view_all(&v);
    static const tds_guid other =
        TDS_GUID_INIT(0x12345678u, 0x9abcu, 0xdef0u, 1, 2, 3, 4, 5, 6, 7, 8);
    static const tds_guid absent = TDS_GUID_INIT(1u, 2u, 3u, 4, 5, 6, 7, 8, 9, 10, 11);
    tds_bytes d;
    assert_int_equal(tdhob_find_guid(&v, &other, 0, &d), TDS_OK);
    assert_int_equal(d.len, 8); /* "hello" padded to 8 */
    assert_memory_equal(d.ptr, "hello\0\0\0", 8);
    assert_true(d.ptr >= g_buf && d.ptr + d.len <= g_buf + g_len);
    assert_int_equal(tdhob_find_guid(&v, &other, 1, &d), TDS_ERR_NOT_FOUND);
    assert_int_equal(tdhob_find_guid(&v, &absent, 0, &d), TDS_ERR_NOT_FOUND);
    tdhob_payload_info pi;
    assert_int_equal(tdhob_get_payload_info(&v, &pi), TDS_OK);
    assert_int_equal(pi.image_type, 1);
    assert_true(pi.entry_point == 0x861000);
    tds_bytes t;
    assert_int_equal(tdhob_get_acpi_table(&v, 0, &t), TDS_OK);
    assert_int_equal(t.len, 40);
    assert_memory_equal(t.ptr, "TEST", 4);
    tds_bytes e;
    assert_int_equal(tdhob_find_guid(&v, &tdhob_guid_e820_table, 0, &e), TDS_OK);
    assert_int_equal(tdhob_e820_hob_count(e), 2);
    tdhob_e820_entry x;
    assert_int_equal(tdhob_e820_hob_entry(e, 1, &x), TDS_OK);
    assert_true(x.addr == 0x100000);
    assert_true(x.size == 0x7FF00000ull);
    assert_int_equal(x.type, 1);
}

/* The memory map leaves out I/O space; MMIO is its own kind; E820 omits MMIO. */
static void test_map_kinds(void **state)
{
    (void)state;
    tdhob_view v;
    view_all(&v);
    tdhob_mem_range m[8];
    size_t n;
    assert_int_equal(tdhob_memory_map(&v, m, 8, &n), TDS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(m[0].kind, TDHOB_MEM_ACCEPTED);
    assert_int_equal(m[1].kind, TDHOB_MEM_UNACCEPTED);
    assert_true(m[2].base == 0xC0000000ull);
    assert_int_equal(m[2].kind, TDHOB_MEM_MMIO);
    tdhob_e820_entry e[8];
    assert_int_equal(tdhob_e820(&v, TDHOB_E820_RAM, e, 8, &n), TDS_OK);
    assert_int_equal(n, 1);
    assert_true(e[0].addr == 0 && e[0].size == 0x80000000ull && e[0].type == 1);
    assert_int_equal(tdhob_e820(&v, 0, e, 8, &n), TDS_ERR_INVALID_ARG);
    tdhob_mem_kind k;
    assert_string_equal(tdhob_mem_kind_str(TDHOB_MEM_UNACCEPTED), "unaccepted");
    assert_string_equal(tdhob_mem_kind_str(TDHOB_MEM_MMIO), "mmio");
    assert_string_equal(tdhob_mem_kind_str((tdhob_mem_kind)0), "invalid");
    assert_false(tdhob_classify(TDHOB_CONV_CURRENT, TDHOB_RES_IO, &k));
    assert_false(tdhob_classify(TDHOB_CONV_CURRENT, 8, &k));
    assert_true(tdhob_classify(TDHOB_CONV_LEGACY, TDHOB_RES_MEMORY_RESERVED, &k));
    assert_int_equal(k, TDHOB_MEM_ACCEPTED);
    assert_true(tdhob_classify(TDHOB_CONV_CURRENT, TDHOB_RES_FIRMWARE_DEVICE, &k));
    assert_int_equal(k, TDHOB_MEM_RESERVED);
}

/* Resources listed out of order come back sorted; the top of the GPA space is reachable. */
static void test_map_sorting_top(void **state)
{
    (void)state;
    uint8_t buf[512];
    hb h;
    hb_init(&h, buf, sizeof buf);
    hb_phit(&h);
    hb_res(&h, 7, 7, (1ull << 47) - 0x2000, 0x2000); /* ends exactly at the shared bit */
    hb_res(&h, 7, 7, 0x3000, 0x1000);
    hb_res(&h, 0, 7, 0x1000, 0x1000);
    hb_res(&h, 7, 7, 0x2000, 0x1000);
    hb_end(&h);
    hb_patch_end(&h, 0x1000);
    tdhob_config cfg = {0x1000, false, 48, TDHOB_CONV_AUTO, g_scratch, FX_SCRATCH_CAP};
    tdhob_view v;
    assert_int_equal(tdhob_validate(tds_bytes_make(buf, h.len), &cfg, &v, NULL), TDS_OK);
    tdhob_mem_range m[4];
    size_t n;
    assert_int_equal(tdhob_memory_map(&v, m, 4, &n), TDS_OK);
    assert_int_equal(n, 3);
    assert_true(m[0].base == 0x1000 && m[0].length == 0x1000);
    assert_true(m[1].base == 0x2000 && m[1].length == 0x2000); /* merged 0x2000 + 0x3000 */
    assert_true(m[2].base == (1ull << 47) - 0x2000);
    tdhob_ram_summary s;
    assert_int_equal(tdhob_ram_summary_get(&v, &s), TDS_OK);
    assert_true(s.ram_top == (1ull << 47));
    assert_true(s.ram_top_below_4g == 0x4000);
}

/* A list with `n` Linux command-line GUID HOBs carrying `data` (hb_guid pads it to 8). */
static tds_status cmdline_view(tdhob_view *v, const void *data, size_t len, int n)
{
    hb h;
    hb_init(&h, g_buf, sizeof g_buf);
    hb_phit(&h);
    hb_res(&h, 0, 0x7, 0x0, 0x800000);
    for (int i = 0; i < n; i++) {
        hb_guid(&h, &tdhob_guid_linux_cmdline, data, len);
    }
    hb_end(&h);
    hb_patch_end(&h, GPA);
    g_len = h.len;
    tdhob_config cfg = {GPA, false, 48, TDHOB_CONV_AUTO, g_scratch, FX_SCRATCH_CAP};
    tdhob_error err;
    assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, g_len), &cfg, v, &err), TDS_OK);
    tds_bytes c = tds_bytes_make(NULL, 0);
    return tdhob_get_linux_cmdline(v, &c);
}

/* The Linux command-line GUID HOB: through its first NUL, zero padding only, one of it. */
static void test_linux_cmdline(void **state)
{
    (void)state;
    tdhob_view v;
    tds_bytes c;
    assert_int_equal(cmdline_view(&v, "console=ttyS0", 14, 1), TDS_OK);
    assert_int_equal(tdhob_get_linux_cmdline(&v, &c), TDS_OK);
    assert_int_equal(c.len, 14);
    assert_memory_equal(c.ptr, "console=ttyS0", 14);
    assert_true(c.ptr >= g_buf && c.ptr + c.len <= g_buf + g_len);
    /* Exactly 8 bytes with the NUL last: no padding. */
    assert_int_equal(cmdline_view(&v, "quiet=1", 8, 1), TDS_OK);
    assert_int_equal(tdhob_get_linux_cmdline(&v, &c), TDS_OK);
    assert_int_equal(c.len, 8);
    /* Just the NUL: the empty command line. */
    assert_int_equal(cmdline_view(&v, "", 1, 1), TDS_OK);
    assert_int_equal(tdhob_get_linux_cmdline(&v, &c), TDS_OK);
    assert_int_equal(c.len, 1);
    /* No NUL at all (8 bytes, no padding), bytes after the NUL, two HOBs, none. */
    assert_int_equal(cmdline_view(&v, "abcdefgh", 8, 1), TDS_ERR_MALFORMED);
    assert_int_equal(cmdline_view(&v, "ab\0cd", 5, 1), TDS_ERR_MALFORMED);
    assert_int_equal(cmdline_view(&v, "ab", 3, 2), TDS_ERR_MALFORMED);
    assert_int_equal(cmdline_view(&v, "ab", 3, 0), TDS_ERR_NOT_FOUND);
    /* An empty GUID HOB (no data): no NUL. */
    assert_int_equal(cmdline_view(&v, "", 0, 1), TDS_ERR_MALFORMED);
    assert_int_equal(tdhob_get_linux_cmdline(&v, NULL), TDS_ERR_STATE);
    assert_int_equal(tdhob_get_linux_cmdline(NULL, &c), TDS_ERR_STATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),          cmocka_unit_test(test_items),
        cmocka_unit_test(test_guid_lookup),     cmocka_unit_test(test_map_kinds),
        cmocka_unit_test(test_map_sorting_top), cmocka_unit_test(test_linux_cmdline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
