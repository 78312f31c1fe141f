/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The libFuzzer input layout for fuzz_linux (also written by linux_gen_seeds):
 *   [0, 32)  parameters (little endian): u32 kernel_size, u64 initrd_size, u16 cmdline_size,
 *            u8 map_count, u8 flags (bit 0 fixed boot_params, 1 fixed cmdline, 2 fixed
 *            setup_data), u64 fixed_base, u64 mapped_last
 *   then     map_count entries of 17 bytes: u64 addr, u64 size, u8 type
 *   the rest the setup bytes (fw_cfg SETUP_DATA)
 */
#ifndef TDSHIM_TESTS_LINUX_FUZZ_INPUT_H
#define TDSHIM_TESTS_LINUX_FUZZ_INPUT_H

#define FZ_PARAMS 32u
#define FZ_ENTRY 17u
#define FZ_FIXED_BOOT_PARAMS 0x1u
#define FZ_FIXED_CMDLINE 0x2u
#define FZ_FIXED_SETUP_DATA 0x4u

#endif /* TDSHIM_TESTS_LINUX_FUZZ_INPUT_H */
