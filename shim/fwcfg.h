/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * QEMU fw_cfg over I/O ports 0x510/0x511, used only by the plain-VM test entry to read the test
 * command file "opt/tdshim/test". fw_cfg content is VMM-controlled: read into a bounded buffer.
 */
#ifndef TDSHIM_SHIM_FWCFG_H
#define TDSHIM_SHIM_FWCFG_H

#include <stddef.h>
#include <stdint.h>

#include "tdshim/status.h"

/* Copy file `name` (NUL-terminated into buf, truncated to cap-1). NOT_FOUND if absent. */
TDS_MUST_USE tds_status shim_fwcfg_read_file(const char *name, char *buf, size_t cap);

/* Read n bytes of the item with selector `key` (e.g. 0x05 FW_CFG_NB_CPUS, u16 LE). */
TDS_MUST_USE tds_status shim_fwcfg_read_key(uint16_t key, uint8_t *buf, size_t n);

#endif
