# SPDX-License-Identifier: BSD-2-Clause-Patent
# The freestanding package (docs/freestanding.md): what `cmake --install build/freestanding`
# gives a firmware build.
#   <libdir>/tdshim-freestanding/libtdshim-<lib>.a   the archives, crypto included (beside the
#                                                     hosted ones in the same prefix, not over them)
#   <includedir>/tdshim/*.h                           the same headers as the hosted package
#   <libdir>/cmake/TdShimFreestanding/                find_package(TdShimFreestanding CONFIG):
#                                                     imported targets TdShimFreestanding::<lib>
#   <libdir>/pkgconfig/tdshim-freestanding-<lib>.pc   pkg-config, the same flags
# Consumers get the flags the archives were built for (TDSHIM_FREESTANDING_CONSUMER_FLAGS) from
# the imported targets or the .pc files; nothing else needs defining.

set(TDSHIM_FS_ARCHIVEDIR ${CMAKE_INSTALL_LIBDIR}/tdshim-freestanding)
# What code that includes our headers and links our archives must be compiled with: no hosted
# headers (mem.h declares the four mem* functions the firmware provides), no red zone and no
# SSE/x87 (the archives' code model: interrupt handlers may run on the same stack, and a firmware
# may run before any SSE state is enabled). The define is what -ffreestanding already implies
# (tdshim/mem.h); it is passed so that a compiler line without -ffreestanding is still right.
set(TDSHIM_FREESTANDING_CONSUMER_FLAGS -ffreestanding -mno-red-zone -mgeneral-regs-only)
set(TDSHIM_FREESTANDING_CONSUMER_DEFS TDSHIM_FREESTANDING=1)

# tdshim_freestanding_pc(<target> [REQUIRES <target>...]): tdshim-freestanding-<lib>.pc, <lib>
# being the target's name without a leading tdshim_ (tdshim_crypto -> crypto).
function(tdshim_freestanding_pc name)
  cmake_parse_arguments(ARG "" "" "REQUIRES;LIBS_BEFORE" ${ARGN})
  set(requires "")
  foreach(dep IN LISTS ARG_REQUIRES)
    string(REGEX REPLACE "^tdshim_" "" dep "${dep}")
    string(APPEND requires " tdshim-freestanding-${dep}")
  endforeach()
  string(REGEX REPLACE "^tdshim_" "" pcname "${name}")
  string(STRIP "${requires}" requires)
  list(JOIN TDSHIM_FREESTANDING_CONSUMER_FLAGS " " flags)
  set(pc "${CMAKE_CURRENT_BINARY_DIR}/tdshim-freestanding-${pcname}.pc")
  file(RELATIVE_PATH pc_up "/r/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/r")
  file(GENERATE OUTPUT ${pc} CONTENT
"prefix=\${pcfiledir}/${pc_up}
libdir=\${prefix}/${TDSHIM_FS_ARCHIVEDIR}
includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}

Name: tdshim-freestanding-${pcname}
Description: td-shim in C, freestanding (firmware) build: $<TARGET_FILE_NAME:${name}>
Version: ${PROJECT_VERSION}
Requires: ${requires}
Cflags: -I\${includedir} ${flags} -D${TDSHIM_FREESTANDING_CONSUMER_DEFS}
Libs: ${ARG_LIBS_BEFORE}-L\${libdir} -l$<TARGET_FILE_BASE_NAME:${name}>
")
  install(FILES ${pc} DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()

# The CMake package, after every library is defined (top-level CMakeLists.txt).
macro(tdshim_freestanding_package)
  include(CMakePackageConfigHelpers)
  set(fs_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/TdShimFreestanding)
  install(EXPORT TdShimTargets NAMESPACE TdShimFreestanding:: FILE TdShimFreestandingTargets.cmake
          DESTINATION ${fs_cmake_dir})
  string(REPLACE ";" " " fs_flags "${TDSHIM_FREESTANDING_CONSUMER_FLAGS}")
  file(WRITE ${PROJECT_BINARY_DIR}/TdShimFreestandingConfig.cmake.in [=[
@PACKAGE_INIT@
# td-shim's libraries built for firmware (docs/freestanding.md). Targets:
# TdShimFreestanding::<lib> (tdcall, tdcall_hw, tdcall_emu, tdhob, accept, accept_tdcall, rtmr,
# rtmr_tdcall, mailbox, mailbox_x86, virtio-shared, tdvf, loader, linux, acpi, secboot, crypto),
# and TdShimFreestanding::base (headers and the compile flags below; every library target
# carries it). The firmware provides memcpy, memmove, memset and memcmp, and, when it links
# secboot or tdcall_emu, tdshim_mbedtls_calloc and tdshim_mbedtls_free.
set(TDSHIM_FREESTANDING_COMPILE_OPTIONS "@fs_flags@")
separate_arguments(TDSHIM_FREESTANDING_COMPILE_OPTIONS)
set(TDSHIM_FREESTANDING_COMPILE_DEFINITIONS "@TDSHIM_FREESTANDING_CONSUMER_DEFS@")
set(TDSHIM_FREESTANDING_C_COMPILER_ID "@CMAKE_C_COMPILER_ID@")
set(TDSHIM_FREESTANDING_C_COMPILER_VERSION "@CMAKE_C_COMPILER_VERSION@")
set(TDSHIM_FREESTANDING_MBEDTLS_VERSION "@TDSHIM_MBEDTLS_VERSION@")
include("${CMAKE_CURRENT_LIST_DIR}/TdShimFreestandingTargets.cmake")
check_required_components(TdShimFreestanding)
]=])
  configure_package_config_file(${PROJECT_BINARY_DIR}/TdShimFreestandingConfig.cmake.in
    ${PROJECT_BINARY_DIR}/TdShimFreestandingConfig.cmake INSTALL_DESTINATION ${fs_cmake_dir})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/TdShimFreestandingConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/TdShimFreestandingConfig.cmake
                ${PROJECT_BINARY_DIR}/TdShimFreestandingConfigVersion.cmake
          DESTINATION ${fs_cmake_dir})
  tdshim_freestanding_pc(tdshim_crypto)
endmacro()
