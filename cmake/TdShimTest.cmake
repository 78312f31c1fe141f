# SPDX-License-Identifier: BSD-2-Clause-Patent
# cmocka from Debian (1.1.5): variables, not a target.
find_package(cmocka CONFIG QUIET)
if(NOT CMOCKA_LIBRARIES)
  find_path(CMOCKA_INCLUDE_DIR cmocka.h REQUIRED)
  find_library(CMOCKA_LIBRARIES cmocka REQUIRED)
endif()
if(NOT CMOCKA_INCLUDE_DIR)
  find_path(CMOCKA_INCLUDE_DIR cmocka.h REQUIRED)
endif()

# tdshim_add_test(<name> SOURCES ... [LIBS ...] [LABELS ...])
# One cmocka executable per module; registered with ctest. Tests get the warning gates too.
function(tdshim_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${CMOCKA_INCLUDE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} tdshim_base ${CMOCKA_LIBRARIES})
  tdshim_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
                       ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=stdout")
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

# tdshim_add_fuzzer(<name> SOURCES ... [LIBS ...] [SEEDS <dir>] [SECONDS n])
# A libFuzzer target (fuzz preset only). Registered with ctest (label "fuzz") to run for a bounded
# time over its seed corpus; any crash or sanitizer report fails the test.
function(tdshim_add_fuzzer name)
  cmake_parse_arguments(ARG "" "SEEDS;SECONDS" "SOURCES;LIBS" ${ARGN})
  if(NOT TDSHIM_FUZZ)
    return()
  endif()
  if(NOT ARG_SECONDS)
    set(ARG_SECONDS 20)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} tdshim_base)
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  tdshim_warnings(${name})
  set(corpus ${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus)
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
                   $<TARGET_FILE:${name}> -max_total_time=${ARG_SECONDS} -timeout=10
                   -rss_limit_mb=2048 ${corpus} ${ARG_SEEDS})
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 600)
  file(MAKE_DIRECTORY ${corpus})
endfunction()
