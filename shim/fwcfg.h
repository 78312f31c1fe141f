/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * QEMU fw_cfg over I/O ports 0x510/0x511 (QEMU docs/specs/fw_cfg.rst). fw_cfg is VMM input: the
 * directory and every size are untrusted, reads go into caller buffers with a capacity, and a
 * file that does not fit is an error, never a silent cut.
 */
#ifndef TDSHIM_SHIM_FWCFG_H
#define TDSHIM_SHIM_FWCFG_H

#include <stddef.h>
#include <stdint.h>

#include "tdshim/status.h"

/* The most directory entries looked at; a directory claiming more is refused (TDS_ERR_VMM). */
#define SHIM_FWCFG_MAX_FILES 1024u

/*
 * Read the whole file `name` into buf[0..cap) and its size into *size. TDS_ERR_NOT_FOUND: no
 * fw_cfg, or no such file. TDS_ERR_NO_SPACE: the file is larger than cap (nothing read, *size
 * says how large). TDS_ERR_VMM: a directory larger than SHIM_FWCFG_MAX_FILES.
 * TDS_ERR_INVALID_ARG: NULL arguments or a name of 56 characters or more.
 */
TDS_MUST_USE tds_status shim_fwcfg_read_file(const char *name, uint8_t *buf, size_t cap,
                                             size_t *size);

/* Read n bytes of the item with selector `key` (e.g. 0x05 FW_CFG_NB_CPUS, u16 LE). */
TDS_MUST_USE tds_status shim_fwcfg_read_key(uint16_t key, uint8_t *buf, size_t n);

#endif
