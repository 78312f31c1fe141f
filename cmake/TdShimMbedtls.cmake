# SPDX-License-Identifier: BSD-2-Clause-Patent
# Crypto for the two builds:
#  hosted:       Debian's libmbedtls-dev (no pkg-config, no CMake package): find_path + find_library.
#                On Debian 12 that is mbedTLS 2.28; the code that calls mbedTLS builds on 2.28 and
#                3.6 (MBEDTLS_VERSION_NUMBER in libsecboot/crypto.c and libtdcall/emu.c).
#  freestanding: mbedTLS 3.6 LTS from Debian 13's (trixie) *source* package, fetched by
#                scripts/setup.sh into a cache outside git, compiled with
#                cmake/mbedtls/tdshim_mbedtls_config.h and no libc. Every mbedtls_* / psa_* symbol
#                is renamed tdshim_mbedtls_* / tdshim_psa_* (cmake/mbedtls/prefix_symbols.cmake) in
#                this archive and in every freestanding archive of ours, so a firmware that links
#                our archives beside its own mbedTLS gets neither a clash nor a silent
#                cross-binding (docs/architecture.md, "mbedTLS").
# Either way the result is the target tdshim_crypto, which libsecboot and libtdcall's emulator link.

if(TDSHIM_FREESTANDING)
  if(NOT TDSHIM_MBEDTLS_SRC)
    include(TdShimCache)
    file(GLOB candidates LIST_DIRECTORIES true "${TDSHIM_CACHE_DIR}/mbedtls-3.6.*")
    list(SORT candidates COMPARE NATURAL)
    if(candidates)
      list(GET candidates -1 TDSHIM_MBEDTLS_SRC)
    endif()
  endif()
  set(mbed_build_info "${TDSHIM_MBEDTLS_SRC}/include/mbedtls/build_info.h")
  if(NOT EXISTS "${TDSHIM_MBEDTLS_SRC}/library/sha512.c" OR NOT EXISTS "${mbed_build_info}")
    message(FATAL_ERROR "mbedtls 3.6 source not found (${TDSHIM_MBEDTLS_SRC}); run scripts/setup.sh")
  endif()
  file(STRINGS "${mbed_build_info}" mbed_version_line
       REGEX "^#define MBEDTLS_VERSION_STRING +\"[0-9.]+\"")
  string(REGEX REPLACE ".*\"([0-9.]+)\".*" "\\1" TDSHIM_MBEDTLS_VERSION "${mbed_version_line}")
  if(NOT TDSHIM_MBEDTLS_VERSION MATCHES "^3\\.6\\.")
    message(FATAL_ERROR "${TDSHIM_MBEDTLS_SRC} is mbedTLS '${TDSHIM_MBEDTLS_VERSION}', not 3.6.x")
  endif()
  message(STATUS "Firmware crypto: mbedTLS ${TDSHIM_MBEDTLS_VERSION} from ${TDSHIM_MBEDTLS_SRC}")
  set(mbed_sources)
  foreach(f sha512 sha256 md bignum bignum_core ecp ecp_curves ecdsa rsa rsa_alt_helpers oid
            asn1parse asn1write pk pk_ecc pk_wrap pkparse platform platform_util constant_time)
    list(APPEND mbed_sources "${TDSHIM_MBEDTLS_SRC}/library/${f}.c")
  endforeach()
  # mbedtls_platform_zeroize (MBEDTLS_PLATFORM_ZEROIZE_ALT in the config): word stores instead of
  # memset through a pointer; the firmware's memset is a byte loop and SHA-512 wipes 720 bytes per
  # 128-byte block (docs/librtmr.md, Benchmark).
  list(APPEND mbed_sources "${CMAKE_CURRENT_LIST_DIR}/mbedtls/tdshim_mbedtls_zeroize.c")
  add_library(tdshim_crypto STATIC ${mbed_sources})
  target_include_directories(tdshim_crypto SYSTEM PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/cmake/mbedtls>
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/cmake/mbedtls/libc>
    $<BUILD_INTERFACE:${TDSHIM_MBEDTLS_SRC}/include>)
  # mbedTLS's library/ headers are private to its sources.
  target_include_directories(tdshim_crypto PRIVATE ${TDSHIM_MBEDTLS_SRC}/library)
  target_compile_definitions(tdshim_crypto PUBLIC
    $<BUILD_INTERFACE:MBEDTLS_CONFIG_FILE="tdshim_mbedtls_config.h">)
  target_compile_options(tdshim_crypto PRIVATE -O2 -w)
  # SHA-384/512 hashes every byte of a signed payload (libsecboot) and of what the test image's
  # emulated TDX module measures: fewer instructions per byte with -O3 -funroll-loops
  # (docs/librtmr.md, Benchmark), about 1.6 KiB more code. Still portable C.
  set_source_files_properties("${TDSHIM_MBEDTLS_SRC}/library/sha512.c" PROPERTIES
    COMPILE_OPTIONS "-O3;-funroll-loops")
  install(TARGETS tdshim_crypto EXPORT TdShimTargets ARCHIVE DESTINATION ${TDSHIM_INSTALL_ARCHIVEDIR})
  set_target_properties(tdshim_crypto PROPERTIES EXPORT_NAME crypto OUTPUT_NAME tdshim-crypto)

  # tdshim_mbedtls_prefix(<static library target>): after the archive is made, rename its
  # mbedtls_* / psa_* symbols to tdshim_* (defined and referenced alike). tdshim_add_library does
  # this for every library of ours in the freestanding build; code that calls mbedTLS must be in
  # such an archive (an object that is not would fail to link: mbedtls_* is defined nowhere).
  find_program(TDSHIM_NM NAMES nm llvm-nm REQUIRED)
  find_program(TDSHIM_OBJCOPY NAMES objcopy llvm-objcopy REQUIRED)
  function(tdshim_mbedtls_prefix target)
    set(script ${PROJECT_SOURCE_DIR}/cmake/mbedtls/prefix_symbols.cmake)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -DNM=${TDSHIM_NM} -DOBJCOPY=${TDSHIM_OBJCOPY}
              -DARCHIVE=$<TARGET_FILE:${target}> -P ${script}
      VERBATIM)
    # A changed script must redo the archive: its objects depend on it (LINK_DEPENDS does not
    # apply to static libraries).
    get_target_property(srcs ${target} SOURCES)
    set_property(SOURCE ${srcs} APPEND PROPERTY OBJECT_DEPENDS ${script})
  endfunction()
  tdshim_mbedtls_prefix(tdshim_crypto)
else()
  function(tdshim_mbedtls_prefix target)
  endfunction()
  find_path(MBEDTLS_INCLUDE_DIR mbedtls/sha512.h REQUIRED)
  find_library(MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
  add_library(tdshim_crypto INTERFACE)
  target_include_directories(tdshim_crypto SYSTEM INTERFACE
    $<BUILD_INTERFACE:${MBEDTLS_INCLUDE_DIR}>)
  # Installed: by name, not the build machine's path (the Debian package depends on
  # libmbedtls-dev, which puts libmbedcrypto on the linker's search path).
  target_link_libraries(tdshim_crypto INTERFACE $<BUILD_INTERFACE:${MBEDCRYPTO_LIBRARY}>
                                                $<INSTALL_INTERFACE:mbedcrypto>)
  install(TARGETS tdshim_crypto EXPORT TdShimTargets)
  set_target_properties(tdshim_crypto PROPERTIES EXPORT_NAME crypto)
endif()
