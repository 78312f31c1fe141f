# SPDX-License-Identifier: BSD-2-Clause-Patent
# tdshim_add_library(<name> SOURCES ... [DEPENDS <lib> ...] [PUBLIC_LIBS ...] [PROVIDES <symbol>])
# Creates static library libtdshim-<name>.a (OUTPUT_NAME, docs/symbols.md), target
# TdShim::<name>, with the warning gates, install rules, export-set membership and a pkg-config
# file tdshim-<name>.pc (freestanding: tdshim-freestanding-<name>.pc, cmake/TdShimFreestanding.cmake,
# and the mbedTLS symbol prefix).
# Only static archives ship, so the .pc puts what the archive needs where a plain
# `pkg-config --libs` sees it: the DEPENDS libraries in Requires (not Requires.private) and the
# crypto library (PUBLIC_LIBS tdshim_crypto) in Libs. The -l name comes from the target's file
# name (OUTPUT_NAME), never from <name>.
# PROVIDES: the archive is a backend that defines <symbol> for another archive (tdcall_hw and
# tdcall_emu_backend define libtdcall's tdcall_raw). Its users link with --undefined=<symbol>
# (the CMake target's link options, the .pc file's Libs), so the backend's member is pulled in
# whatever the order of the archives on the command line.
function(tdshim_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;PUBLIC_LIBS;PKG_REQUIRES;PC_LIBS_PRIVATE;PROVIDES" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  set(pc_undefined "")
  foreach(sym IN LISTS ARG_PROVIDES)
    target_link_options(${name} INTERFACE "LINKER:--undefined=${sym}")
    string(APPEND pc_undefined "-Wl,--undefined=${sym} ")
  endforeach()
  add_library(TdShim::${name} ALIAS ${name})
  target_link_libraries(${name} PUBLIC tdshim_base ${ARG_DEPENDS} ${ARG_PUBLIC_LIBS})
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  tdshim_warnings(${name})
  set_target_properties(${name} PROPERTIES EXPORT_NAME ${name} POSITION_INDEPENDENT_CODE ON
                        OUTPUT_NAME tdshim-${name})
  # Freestanding: mbedtls_* / psa_* references become tdshim_* as in the crypto archive
  # (TdShimMbedtls.cmake); a no-op for archives that name no mbedTLS symbol.
  if(TDSHIM_FREESTANDING)
    tdshim_mbedtls_prefix(${name})
  endif()
  install(TARGETS ${name} EXPORT TdShimTargets
          ARCHIVE DESTINATION ${TDSHIM_INSTALL_ARCHIVEDIR})
  if(TDSHIM_FREESTANDING) # its own .pc files (cmake/TdShimFreestanding.cmake)
    tdshim_freestanding_pc(${name} REQUIRES ${ARG_DEPENDS} ${ARG_PUBLIC_LIBS}
                           LIBS_BEFORE ${pc_undefined})
    return()
  endif()
  set(requires "")
  foreach(dep IN LISTS ARG_DEPENDS)
    string(APPEND requires " tdshim-${dep}")
  endforeach()
  set(pc_libs "${pc_undefined}-L\${libdir} -l$<TARGET_FILE_BASE_NAME:${name}>")
  if("tdshim_crypto" IN_LIST ARG_PUBLIC_LIBS)
    string(APPEND pc_libs " -lmbedcrypto") # Debian's libmbedtls-dev has no .pc file
  endif()
  set(pc_requires "${requires} ${ARG_PKG_REQUIRES}")
  string(STRIP "${pc_requires}" pc_requires)
  set(pc "${CMAKE_CURRENT_BINARY_DIR}/tdshim-${name}.pc")
  # Relocatable: the prefix is found from the .pc file's own location.
  file(RELATIVE_PATH pc_up "/r/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/r")
  file(GENERATE OUTPUT ${pc} CONTENT
"prefix=\${pcfiledir}/${pc_up}
libdir=\${prefix}/${CMAKE_INSTALL_LIBDIR}
includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}

Name: tdshim-${name}
Description: td-shim in C: lib${name}
Version: ${PROJECT_VERSION}
Requires: ${pc_requires}
Cflags: -I\${includedir}
Libs: ${pc_libs}
Libs.private: ${ARG_PC_LIBS_PRIVATE}
")
  install(FILES ${pc} DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()
