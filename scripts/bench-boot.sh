#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Boot-time benchmark (docs/linux-boot.md "Boot time"): the shim on a plain VM and in the
# emulated TD against qboot, SeaBIOS and OVMF, booting the same kernel; see bench-boot.py.
exec python3 "$(dirname "$0")/bench-boot.py" "$@"
