# SPDX-License-Identifier: BSD-2-Clause-Patent
# Turn installed static archives into their shipped form (docs/symbols.md): each archive becomes
# one relocatable object (ld -r of all its members) whose hidden symbols -- the library's internal
# helpers, declared under `#pragma GCC visibility push(hidden)` in its private headers -- are made
# local (objcopy --localize-hidden). A consumer's linker then sees only the public API: it cannot
# call an internal helper, and a symbol of the same name in the consumer neither clashes with nor
# silently replaces one of ours. Idempotent.
#
# Run from the install step (top-level CMakeLists.txt) over the libtdshim-*.a files installed so
# far, or by hand / from a test:
#   cmake -DLD=ld -DOBJCOPY=objcopy -DAR=ar -DARCHIVES="a.a;b.a" -P ship_archive.cmake
#
# Where an archive's member structure is part of its contract, the members stay in separate
# objects: librtmr's rtmr_hash_default() is replaceable at link time (tdshim/rtmr.h), so
# hash_default's object stays alone, and the built-in backend it alone pulls in (sha384_builtin
# and OpenSSL's assembly) is a second object, not linked when a firmware brings its own SHA-384.
set(SPLIT_tdshim-rtmr "hash_default.c.o" "sha384_builtin.c.o,tdshim-sha512-x86_64.S.o")
if(NOT DEFINED ARCHIVES)
  set(ARCHIVES "")
  foreach(f IN LISTS CMAKE_INSTALL_MANIFEST_FILES)
    if(f MATCHES "/libtdshim-[^/]*\\.a$")
      list(APPEND ARCHIVES "${f}")
    endif()
  endforeach()
endif()
function(ship_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN}: ${err}")
  endif()
endfunction()

foreach(a IN LISTS ARCHIVES)
  get_filename_component(base "${a}" NAME_WE)
  string(REGEX REPLACE "^lib" "" lib "${base}")
  set(dir "${a}.ship")
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${dir}/m")
  execute_process(COMMAND "${AR}" t "${a}" OUTPUT_VARIABLE members RESULT_VARIABLE rc)
  string(REGEX REPLACE "\n$" "" members "${members}")
  string(REPLACE "\n" ";" members "${members}")
  set(unique ${members})
  list(REMOVE_DUPLICATES unique)
  if(NOT rc EQUAL 0 OR NOT members STREQUAL unique)
    message(FATAL_ERROR "ship_archive: cannot list ${a} or it has two members of one name")
  endif()
  set(shipped 1)
  foreach(m IN LISTS members)
    if(NOT m MATCHES "^${lib}(-[0-9]+)?\\.o$")
      set(shipped 0)
    endif()
  endforeach()
  if(shipped)
    file(REMOVE_RECURSE "${dir}")
    continue() # already in shipped form
  endif()
  ship_run("${AR}" x "${a}" WORKING_DIRECTORY "${dir}/m")
  set(objs "")
  set(i 0)
  foreach(group IN LISTS SPLIT_${lib})
    string(REPLACE "," ";" group "${group}")
    set(in "")
    foreach(m IN LISTS group)
      list(FIND members "${m}" at)
      if(at EQUAL -1)
        message(FATAL_ERROR "ship_archive: ${a} has no member ${m}")
      endif()
      list(REMOVE_ITEM members "${m}")
      list(APPEND in "${dir}/m/${m}")
    endforeach()
    math(EXPR i "${i} + 1")
    ship_run("${LD}" -r ${in} -o "${dir}/${lib}-${i}.o")
    list(APPEND objs "${dir}/${lib}-${i}.o")
  endforeach()
  if(members)
    list(TRANSFORM members PREPEND "${dir}/m/")
    ship_run("${LD}" -r ${members} -o "${dir}/${lib}.o")
    list(APPEND objs "${dir}/${lib}.o")
  endif()
  foreach(o IN LISTS objs)
    ship_run("${OBJCOPY}" --localize-hidden "${o}")
  endforeach()
  file(REMOVE "${a}")
  ship_run("${AR}" rcsD "${a}" ${objs})
  file(REMOVE_RECURSE "${dir}")
endforeach()
