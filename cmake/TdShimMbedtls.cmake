# SPDX-License-Identifier: BSD-2-Clause-Patent
# Crypto for the two builds:
#  hosted:       Debian's libmbedtls-dev (no pkg-config, no CMake package): find_path + find_library.
#  freestanding: Debian's mbedtls 2.28 *source* package (fetched by scripts/setup.sh into a cache
#                outside git) compiled with cmake/mbedtls/tdshim_mbedtls_config.h, no libc.
# Either way the result is the target tdshim_crypto, which librtmr and the shim link.

if(TDSHIM_FREESTANDING)
  if(NOT TDSHIM_MBEDTLS_SRC)
    include(TdShimCache)
    file(GLOB candidates LIST_DIRECTORIES true "${TDSHIM_CACHE_DIR}/mbedtls-2.28*")
    list(SORT candidates)
    list(GET candidates -1 TDSHIM_MBEDTLS_SRC)
  endif()
  if(NOT EXISTS "${TDSHIM_MBEDTLS_SRC}/library/sha512.c")
    message(FATAL_ERROR "mbedtls 2.28 source not found (${TDSHIM_MBEDTLS_SRC}); run scripts/setup.sh")
  endif()
  set(mbed_sources)
  foreach(f sha512 sha256 md bignum ecp ecp_curves ecdsa rsa rsa_internal oid asn1parse asn1write
            pk pk_wrap pkparse platform platform_util constant_time)
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
  target_compile_definitions(tdshim_crypto PUBLIC MBEDTLS_CONFIG_FILE="tdshim_mbedtls_config.h")
  target_compile_options(tdshim_crypto PRIVATE -O2 -w)
  # SHA-384/512 is the measurement path (every measured byte): fewer instructions per byte with
  # -O3 -funroll-loops (docs/librtmr.md, Benchmark), about 1.6 KiB more code. Still portable C.
  set_source_files_properties("${TDSHIM_MBEDTLS_SRC}/library/sha512.c" PROPERTIES
    COMPILE_OPTIONS "-O3;-funroll-loops")
  install(TARGETS tdshim_crypto EXPORT TdShimTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  set_target_properties(tdshim_crypto PROPERTIES EXPORT_NAME crypto)
else()
  find_path(MBEDTLS_INCLUDE_DIR mbedtls/sha512.h REQUIRED)
  find_library(MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
  add_library(tdshim_crypto INTERFACE)
  target_include_directories(tdshim_crypto SYSTEM INTERFACE
    $<BUILD_INTERFACE:${MBEDTLS_INCLUDE_DIR}>)
  target_link_libraries(tdshim_crypto INTERFACE ${MBEDCRYPTO_LIBRARY})
  install(TARGETS tdshim_crypto EXPORT TdShimTargets)
  set_target_properties(tdshim_crypto PROPERTIES EXPORT_NAME crypto)
endif()
