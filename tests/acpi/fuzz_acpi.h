/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Input format of fuzz_acpi (the fuzzer reads it, gen_seeds writes it):
 *   u8  knobs: bit 0 ACPI_LOADER_SKIP_UNKNOWN; bit 1 a write_pointer op; bit 2 that op refuses;
 *       bits 3-4 where the allocator puts HIGH blobs: 0 at 0x7ffc0000, 1 at 0xfffc0000 (ending
 *       near 4 GiB), 2 at 4 GiB, 3 at 0x10 (1- and 2-byte pointers can fit)
 *   u16 script length in bytes (little-endian), then the script
 *   then fw_cfg files until the input ends: u8 name length (1..55), the name, u32 size
 *   (little-endian), that many bytes (cut short by the end of the input)
 */
#ifndef TDSHIM_TESTS_FUZZ_ACPI_H
#define TDSHIM_TESTS_FUZZ_ACPI_H

#define FUZZ_KNOB_SKIP 0x01u
#define FUZZ_KNOB_WP 0x02u
#define FUZZ_KNOB_WP_REFUSE 0x04u
#define FUZZ_KNOB_PLACE_SHIFT 3u

#endif
