/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The firmware's mbedtls_platform_zeroize (cmake/mbedtls/tdshim_mbedtls_zeroize.c, compiled into
 * this test on the host): every byte of the range becomes zero, at every start alignment and
 * length around the 8-byte word stores, and not one byte outside the range is touched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mbedtls/platform_util.h"

#define AREA 320
#define GUARD 16

static void test_zeroize_every_offset_and_length(void **state)
{
    (void)state;
    _Alignas(16) uint8_t area[AREA];
    for (size_t off = GUARD; off < GUARD + 16; off++) {
        for (size_t len = 0; len <= AREA - 2 * GUARD - 16; len++) {
            for (size_t i = 0; i < AREA; i++) {
                area[i] = (uint8_t)(0xA5u ^ i);
            }
            mbedtls_platform_zeroize(area + off, len);
            for (size_t i = 0; i < AREA; i++) {
                uint8_t want = (i >= off && i < off + len) ? 0 : (uint8_t)(0xA5u ^ i);
                if (area[i] != want) {
                    fail_msg("off %zu len %zu: byte %zu is %02x, want %02x", off, len, i, area[i],
                             want);
                }
            }
        }
    }
}

static void test_zeroize_sha512_state_size(void **state)
{
    (void)state;
    /* What mbedTLS 2.28 wipes after every SHA-512 block: temp1, temp2, W[80], A[8]. */
    struct {
        uint64_t temp1, temp2, w[80], a[8];
    } local;
    memset(&local, 0xFF, sizeof local);
    mbedtls_platform_zeroize(&local, sizeof local);
    static const uint8_t zero[sizeof local] = {0};
    assert_int_equal(sizeof local, 720);
    assert_memory_equal(&local, zero, sizeof local);
}

static void test_zeroize_null_and_empty(void **state)
{
    (void)state;
    mbedtls_platform_zeroize(NULL, 0);
    mbedtls_platform_zeroize(NULL, 64); /* refused, no write */
    uint8_t one = 0x5A;
    mbedtls_platform_zeroize(&one, 0);
    assert_int_equal(one, 0x5A);
    mbedtls_platform_zeroize(&one, 1);
    assert_int_equal(one, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroize_every_offset_and_length),
        cmocka_unit_test(test_zeroize_sha512_state_size),
        cmocka_unit_test(test_zeroize_null_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
