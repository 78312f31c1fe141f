# SPDX-License-Identifier: BSD-2-Clause-Patent
# Turn installed static archives into their shipped form (docs/symbols.md): the library's internal
# helpers -- declared under `#pragma GCC visibility push(hidden)` in its private headers -- become
# local symbols, so a consumer's linker sees only the public API. It cannot call an internal
# helper, and a symbol of the same name in the consumer neither clashes with nor silently
# replaces one of ours.
#
# A hidden symbol can only be made local once its definition and every reference to it are in one
# object. So the members are grouped by hidden references (a member that refers to a hidden symbol
# another member defines joins that member's group); each group of two or more members becomes
# one relocatable object (ld -r), and every object gets objcopy --localize-hidden. Members with no
# hidden link to another stay separate objects, so a consumer still pulls in only what it uses
# (and, e.g., librtmr's replaceable rtmr_hash_default stays alone in its object, tdshim/rtmr.h).
# Idempotent: a shipped archive has no hidden symbols left, so a second run changes nothing.
#
# Run from the install step (top-level CMakeLists.txt) over the libtdshim-*.a files installed so
# far, or by hand:
#   cmake -DLD=ld -DOBJCOPY=objcopy -DAR=ar -DREADELF=readelf -DARCHIVES="a.a;b.a" -P ship_archive.cmake
if(NOT DEFINED ARCHIVES)
  set(ARCHIVES "")
  foreach(f IN LISTS CMAKE_INSTALL_MANIFEST_FILES)
    if(f MATCHES "/libtdshim-[^/]*\\.a$")
      list(APPEND ARCHIVES "$ENV{DESTDIR}${f}") # the manifest names files without DESTDIR (CPack)
    endif()
  endforeach()
endif()
if(NOT READELF)
  set(READELF readelf)
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
  # Only member headers and hidden symbols matter (a reference to an internal helper is declared
  # hidden by the same private header as its definition).
  execute_process(COMMAND "${READELF}" -s -W "${a}" COMMAND grep -E "^File: | HIDDEN "
                  OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ship_archive: ${READELF} -s ${a} failed")
  endif()
  # Members, hidden definitions (name -> member) and each member's undefined references.
  string(REPLACE ";" "\\;" syms "${syms}")
  string(REPLACE "\n" ";" lines "${syms}")
  foreach(h IN LISTS hidden_names) # the previous archive's
    unset(D_${h})
  endforeach()
  set(members "")
  set(cur "")
  set(hidden_names "")
  foreach(l IN LISTS lines)
    if(l MATCHES "^File: .*\\(([^()]+)\\)$")
      set(cur "${CMAKE_MATCH_1}")
      list(APPEND members "${cur}")
      set(G_${cur} "${cur}")
      set(U_${cur} "")
    elseif(l MATCHES " (GLOBAL|WEAK) +HIDDEN +([0-9]+) ([^ ]+)$")
      set(D_${CMAKE_MATCH_3} "${cur}")
      list(APPEND hidden_names "${CMAKE_MATCH_3}")
    elseif(l MATCHES " (GLOBAL|WEAK) +HIDDEN +UND ([^ ]+)$")
      list(APPEND U_${cur} "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  set(unique ${members})
  list(REMOVE_DUPLICATES unique)
  if(NOT members STREQUAL unique)
    message(FATAL_ERROR "ship_archive: ${a} has two members of one name")
  endif()
  if(NOT hidden_names)
    continue() # nothing internal left to localise (already shipped, or no private helpers)
  endif()
  # Union: relabel the referencing member's group as the definer's.
  foreach(m IN LISTS members)
    foreach(u IN LISTS U_${m})
      if(DEFINED D_${u})
        set(from "${G_${m}}")
        set(to "${G_${D_${u}}}")
        if(NOT from STREQUAL to)
          foreach(x IN LISTS members)
            if(G_${x} STREQUAL from)
              set(G_${x} "${to}")
            endif()
          endforeach()
        endif()
      endif()
    endforeach()
  endforeach()
  set(dir "${a}.ship")
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${dir}/m")
  ship_run("${AR}" x "${a}" WORKING_DIRECTORY "${dir}/m")
  set(objs "")
  set(done "")
  set(i 0)
  foreach(m IN LISTS members)
    set(g "${G_${m}}")
    list(FIND done "${g}" seen)
    if(NOT seen EQUAL -1)
      continue()
    endif()
    list(APPEND done "${g}")
    set(in "")
    foreach(x IN LISTS members)
      if(G_${x} STREQUAL g)
        list(APPEND in "${dir}/m/${x}")
      endif()
    endforeach()
    list(LENGTH in n)
    if(n EQUAL 1)
      set(o "${in}")
    else()
      math(EXPR i "${i} + 1")
      set(o "${dir}/${lib}-${i}.o")
      ship_run("${LD}" -r ${in} -o "${o}")
    endif()
    ship_run("${OBJCOPY}" --localize-hidden "${o}")
    list(APPEND objs "${o}")
  endforeach()
  file(REMOVE "${a}")
  ship_run("${AR}" rcsD "${a}" ${objs})
  file(REMOVE_RECURSE "${dir}")
endforeach()
