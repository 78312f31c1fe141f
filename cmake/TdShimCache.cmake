# SPDX-License-Identifier: BSD-2-Clause-Patent
# Where scripts/setup.sh keeps third-party inputs outside the repository (Debian's mbedtls source
# package, the Linux test kernel and busybox): $TDSHIM_CACHE, else $XDG_CACHE_HOME/tdshim, else
# ~/.cache/tdshim - the same rule as the script.
if(DEFINED ENV{TDSHIM_CACHE})
  set(TDSHIM_CACHE_DIR "$ENV{TDSHIM_CACHE}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(TDSHIM_CACHE_DIR "$ENV{XDG_CACHE_HOME}/tdshim")
else()
  set(TDSHIM_CACHE_DIR "$ENV{HOME}/.cache/tdshim")
endif()
