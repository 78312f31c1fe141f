# SPDX-License-Identifier: BSD-2-Clause-Patent
# Warning gates (docs/safe-c.md, docs/developing.md) and the two build flavours.

set(TDSHIM_WARNINGS
  -Wall -Wextra -Werror -Wconversion -Wsign-conversion -Wshadow -Wcast-align -Wvla
  -Wstrict-prototypes -Wimplicit-fallthrough -Wformat=2 -Wmissing-prototypes -Wundef)

if(TDSHIM_FREESTANDING)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "The freestanding build uses gcc (-mgeneral-regs-only)")
  endif()
  # Only the compiler's own headers (stdint.h, stddef.h, stdbool.h): no libc header can creep in.
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                  OUTPUT_VARIABLE TDSHIM_CC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(TDSHIM_FREESTANDING_FLAGS
    -ffreestanding -nostdinc -isystem ${TDSHIM_CC_INCLUDE} -fno-builtin
    -mno-red-zone -mgeneral-regs-only -fno-stack-protector -fPIE -fno-plt
    -fno-asynchronous-unwind-tables -fno-common -ffunction-sections -fdata-sections)
  add_compile_options("$<$<COMPILE_LANGUAGE:C>:${TDSHIM_FREESTANDING_FLAGS}>")
endif()

if(TDSHIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
if(TDSHIM_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
if(TDSHIM_ANALYZER)
  add_compile_options("$<$<COMPILE_LANGUAGE:C>:-fanalyzer;-Werror>")
endif()

# Apply the warning gates to one of our targets (not to third-party code).
function(tdshim_warnings target)
  target_compile_options(${target} PRIVATE "$<$<COMPILE_LANGUAGE:C>:${TDSHIM_WARNINGS}>")
endfunction()

# Fuzz builds: every library is instrumented for coverage; fuzzers add -fsanitize=fuzzer.
if(TDSHIM_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
