# SPDX-License-Identifier: BSD-2-Clause-Patent
# cmake -DNM=<nm> -DOBJCOPY=<objcopy> -DARCHIVE=<lib.a> -P prefix_symbols.cmake
#
# Renames, in place, every symbol of ARCHIVE named mbedtls_* or psa_* (defined or referenced) to
# tdshim_<name>. Run on the freestanding crypto archive and on every freestanding archive of ours
# after it is made (TdShimMbedtls.cmake), so the one rule renames both ends of each reference the
# same way and our archives neither define nor reference a name a firmware's own mbedTLS defines.
# An archive with no such symbol is left untouched.
cmake_minimum_required(VERSION 3.20)
foreach(v NM OBJCOPY ARCHIVE)
  if(NOT ${v})
    message(FATAL_ERROR "prefix_symbols.cmake: ${v} not set")
  endif()
endforeach()
execute_process(COMMAND ${NM} -P ${ARCHIVE} OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "prefix_symbols.cmake: ${NM} -P ${ARCHIVE} failed (${rc}): ${err}")
endif()
# nm -P: "<name> <type> [<value> <size>]" per symbol, and "<archive>[<member>]:" per member.
string(REGEX MATCHALL "(^|\n)(mbedtls|psa)_[^ \n]* " hits "${out}")
set(names)
foreach(h IN LISTS hits)
  string(STRIP "${h}" h)
  list(APPEND names "${h}")
endforeach()
if(NOT names)
  return()
endif()
list(REMOVE_DUPLICATES names)
list(SORT names)
set(map "")
foreach(n IN LISTS names)
  string(APPEND map "${n} tdshim_${n}\n")
endforeach()
set(map_file "${ARCHIVE}.prefix-syms")
file(WRITE "${map_file}" "${map}")
execute_process(COMMAND ${OBJCOPY} --redefine-syms=${map_file} ${ARCHIVE}
                ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "prefix_symbols.cmake: ${OBJCOPY} --redefine-syms ${ARCHIVE} failed: ${err}")
endif()
