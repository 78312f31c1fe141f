# SPDX-License-Identifier: BSD-2-Clause-Patent
# Run tdshim-hob and check its exit code and output.
#   cmake -DTOOL=<exe> "-DARGS=a|b|c" [-DEXPECT_RC=0|nonzero] [-DMATCH=regex|regex...]
#         [-DNOMATCH=regex] [-DOUTFILE=f -DCOMPARE=expected] [-DTHEN=args-of-a-second-run
#         -DTHEN_MATCH=regex|...] -P run_tool.cmake
# stdout and stderr are matched together; every MATCH regex must be found. Regexes must not
# contain "[" (CMake does not split lists inside brackets): use "." instead.
# Lists use '|' instead of ';' (add_test would split them).
foreach(v ARGS MATCH THEN THEN_MATCH)
  if(DEFINED ${v})
    string(REPLACE "|" ";" ${v} "${${v}}")
  endif()
endforeach()
if(NOT DEFINED EXPECT_RC)
  set(EXPECT_RC 0)
endif()

function(run_and_check args expect_rc matches)
  execute_process(COMMAND ${TOOL} ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  set(all "${out}${err}")
  if(expect_rc STREQUAL "nonzero")
    if(rc EQUAL 0)
      message(FATAL_ERROR "expected failure, got rc 0 for: ${args}\n${all}")
    endif()
  elseif(NOT rc EQUAL expect_rc)
    message(FATAL_ERROR "expected rc ${expect_rc}, got ${rc} for: ${args}\n${all}")
  endif()
  foreach(re IN LISTS matches)
    if(NOT all MATCHES "${re}")
      message(FATAL_ERROR "output of '${args}' lacks /${re}/:\n${all}")
    endif()
  endforeach()
  if(DEFINED NOMATCH AND all MATCHES "${NOMATCH}")
    message(FATAL_ERROR "output of '${args}' unexpectedly matches /${NOMATCH}/:\n${all}")
  endif()
endfunction()

if(DEFINED OUTFILE)
  file(REMOVE ${OUTFILE})
endif()
run_and_check("${ARGS}" "${EXPECT_RC}" "${MATCH}")
if(DEFINED COMPARE)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUTFILE} ${COMPARE}
                  RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "${OUTFILE} differs from ${COMPARE}")
  endif()
endif()
if(DEFINED OUTFILE AND EXPECT_RC STREQUAL "nonzero" AND EXISTS ${OUTFILE})
  message(FATAL_ERROR "a failed gen left ${OUTFILE} behind")
endif()
if(DEFINED THEN)
  run_and_check("${THEN}" 0 "${THEN_MATCH}")
endif()
