# SPDX-License-Identifier: BSD-2-Clause-Patent
# OpenSSL's x86-64 SHA-512 block function for librtmr's built-in SHA-384 (docs/librtmr.md, "Where
# the code comes from"). scripts/setup.sh unpacks three files of Debian's `openssl` source package
# into the cache (crypto/sha/asm/sha512-x86_64.pl, crypto/perlasm/x86_64-xlate.pl, LICENSE.txt);
# here perl generates the GNU assembler source at build time, with the project's C compiler as CC
# (the script probes it for AVX/AVX2 support), and cmake/openssl/gen_sha512.cmake renames OpenSSL's
# symbols into the tdshim_ prefix. Nothing generated is committed.
#
# tdshim_openssl_sha512(<out-var>): adds the custom command in the calling directory and returns
# the generated .S path (a source for that directory's targets).
include(TdShimCache)
set(TDSHIM_OPENSSL_SRC "" CACHE PATH
    "Debian openssl 3.0 source files for the SHA-512 assembly (default: scripts/setup.sh cache)")
if(NOT TDSHIM_OPENSSL_SRC)
  file(GLOB candidates LIST_DIRECTORIES true "${TDSHIM_CACHE_DIR}/openssl-3.0.*")
  list(SORT candidates COMPARE NATURAL)
  if(candidates)
    list(GET candidates -1 found)
    set(TDSHIM_OPENSSL_SRC "${found}" CACHE PATH
        "Debian openssl 3.0 source files for the SHA-512 assembly (default: scripts/setup.sh cache)"
        FORCE)
  endif()
endif()
set(TDSHIM_OPENSSL_SHA512_PL "${TDSHIM_OPENSSL_SRC}/crypto/sha/asm/sha512-x86_64.pl")
set(TDSHIM_OPENSSL_XLATE_PL "${TDSHIM_OPENSSL_SRC}/crypto/perlasm/x86_64-xlate.pl")
if(NOT EXISTS "${TDSHIM_OPENSSL_SHA512_PL}" OR NOT EXISTS "${TDSHIM_OPENSSL_XLATE_PL}")
  message(FATAL_ERROR
    "OpenSSL's sha512-x86_64.pl not found (TDSHIM_OPENSSL_SRC='${TDSHIM_OPENSSL_SRC}'); run scripts/setup.sh")
endif()
find_package(Perl REQUIRED)

function(tdshim_openssl_sha512 out_var)
  # The perlasm script picks SHA-512 (not SHA-256) from "512" in its output file name.
  set(out "${CMAKE_CURRENT_BINARY_DIR}/tdshim-sha512-x86_64.S")
  add_custom_command(OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DPERL=${PERL_EXECUTABLE} -DCC=${CMAKE_C_COMPILER}
            -DPL=${TDSHIM_OPENSSL_SHA512_PL} -DRAW=${CMAKE_CURRENT_BINARY_DIR}/sha512-x86_64.raw.s
            -DOUT=${out} -P ${PROJECT_SOURCE_DIR}/cmake/openssl/gen_sha512.cmake
    DEPENDS "${TDSHIM_OPENSSL_SHA512_PL}" "${TDSHIM_OPENSSL_XLATE_PL}"
            "${PROJECT_SOURCE_DIR}/cmake/openssl/gen_sha512.cmake"
    COMMENT "perlasm: OpenSSL sha512-x86_64.pl -> tdshim-sha512-x86_64.S"
    VERBATIM)
  set_source_files_properties("${out}" PROPERTIES GENERATED TRUE LANGUAGE ASM)
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
