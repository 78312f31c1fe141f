# SPDX-License-Identifier: BSD-2-Clause-Patent
# cmake -DPERL= -DCC= -DPL= -DRAW= -DOUT= -P gen_sha512.cmake (from cmake/TdShimOpensslSha.cmake)
# 1. CC=<compiler> perl sha512-x86_64.pl elf RAW: OpenSSL's generator, as OpenSSL's own build runs
#    it (without CC its assembler probe fails and the AVX/AVX2 code is silently left out).
# 2. Check that the output is what librtmr expects (the scalar entry, the AVX and AVX2 functions,
#    one global symbol, one external reference).
# 3. Rename OpenSSL's symbols into ours, make the two SIMD entry points global, everything hidden,
#    and mark the stack non-executable.
foreach(v PERL CC PL RAW OUT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "gen_sha512.cmake: ${v} not set")
  endif()
endforeach()
# The output name must end in .s/.S with "512" in it: the script derives SHA-512 and the syntax
# from it.
string(REGEX REPLACE "\\.raw\\.s$" "-512.s" raw "${RAW}")
execute_process(COMMAND ${CMAKE_COMMAND} -E env CC=${CC} ${PERL} ${PL} elf ${raw}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "perl ${PL} failed (${rc}): ${err}")
endif()
file(READ "${raw}" text)
foreach(sym "sha512_block_data_order:" "sha512_block_data_order_avx:"
            "sha512_block_data_order_avx2:" "OPENSSL_ia32cap_P(%rip)")
  string(FIND "${text}" "${sym}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "generated SHA-512 assembly lacks '${sym}' (assembler probe failed? CC=${CC})")
  endif()
endforeach()
string(REGEX MATCHALL "\\.globl[ \t]+[A-Za-z0-9_]+" globals "${text}")
if(NOT globals MATCHES "^\\.globl[ \t]+sha512_block_data_order$")
  message(FATAL_ERROR "unexpected global symbols in the generated assembly: ${globals}")
endif()
string(REPLACE "sha512_block_data_order" "tdshim_sha512_block_data_order" text "${text}")
string(REPLACE "OPENSSL_ia32cap_P" "tdshim_sha512_ia32cap" text "${text}")
file(WRITE "${OUT}"
"# Generated at build time by cmake/openssl/gen_sha512.cmake from OpenSSL's
# crypto/sha/asm/sha512-x86_64.pl (${PL});
# Apache License 2.0, see LICENSE.txt beside it. Do not edit, do not commit.
# OpenSSL's symbols renamed: sha512_block_data_order* -> tdshim_sha512_block_data_order*,
# OPENSSL_ia32cap_P -> tdshim_sha512_ia32cap.
${text}
.globl tdshim_sha512_block_data_order_avx
.globl tdshim_sha512_block_data_order_avx2
.hidden tdshim_sha512_block_data_order
.hidden tdshim_sha512_block_data_order_avx
.hidden tdshim_sha512_block_data_order_avx2
.hidden tdshim_sha512_ia32cap
.section .note.GNU-stack,\"\",@progbits
")
