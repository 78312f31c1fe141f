# SPDX-License-Identifier: BSD-2-Clause-Patent
# Debian packages with CPack's DEB generator, one per install component (docs/packaging.md):
#   libtdshim-dev  component `dev`:   static archives, headers, CMake package, pkg-config files
#   tdshim-tools   component `tools`: the host tools and their manual pages
#   tdshim-firmware component `firmware`: tdshim.fw and tdshim-test.fw with the test firmware's
#                  TD HOB layout, in /usr/share/tdshim (architecture all: firmware for the guest)
# Build them from a configured hosted tree: `cpack --config build/<preset>/CPackConfig.cmake -B
# <dir>`. What the archives are is what the preset built: release for packages to ship; the debug
# preset's are sanitized (a consumer links with -fsanitize=address,undefined), which is what the
# consumer_packages test uses because it reuses that build. Each package gets the copyright file
# (cmake/deb/copyright.in) and a one-entry changelog (cmake/deb/changelog.in) under
# /usr/share/doc/<package>/, which Debian policy (and lintian) require.
set(TDSHIM_DEB_MAINTAINER "td-shim in C maintainers <tdshim@example.org>" CACHE STRING
    "Maintainer field of the Debian packages (Name <address>)")

find_package(Python3 REQUIRED COMPONENTS Interpreter)
# The changelog date: the commit's (stable across re-configures, so nothing rebuilds), else now
# (CMake's TIMESTAMP honours SOURCE_DATE_EPOCH).
find_package(Git QUIET)
set(TDSHIM_DEB_DATE "")
if(GIT_FOUND AND NOT DEFINED ENV{SOURCE_DATE_EPOCH})
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} log -1 --format=%ct
                  OUTPUT_VARIABLE commit_epoch OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE git_rc ERROR_QUIET)
  if(git_rc EQUAL 0 AND commit_epoch MATCHES "^[0-9]+$")
    set(ENV{SOURCE_DATE_EPOCH} ${commit_epoch})
    string(TIMESTAMP TDSHIM_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
    unset(ENV{SOURCE_DATE_EPOCH})
  endif()
endif()
if(NOT TDSHIM_DEB_DATE)
  string(TIMESTAMP TDSHIM_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
endif()
set(deb_dir ${CMAKE_BINARY_DIR}/deb)
configure_file(${CMAKE_CURRENT_LIST_DIR}/deb/changelog.in ${deb_dir}/changelog @ONLY)
# gzip -9n equivalent (no name, no time stamp): reproducible, as lintian wants.
add_custom_command(OUTPUT ${deb_dir}/changelog.gz
  COMMAND ${Python3_EXECUTABLE} -c
          "import gzip,sys; d=open(sys.argv[1],'rb').read(); f=open(sys.argv[2],'wb'); g=gzip.GzipFile(filename='',mode='wb',fileobj=f,mtime=0,compresslevel=9); g.write(d); g.close(); f.close()"
          ${deb_dir}/changelog ${deb_dir}/changelog.gz
  DEPENDS ${deb_dir}/changelog VERBATIM)
add_custom_target(tdshim_deb_changelog ALL DEPENDS ${deb_dir}/changelog.gz)

set(deb_components dev)
set(deb_pkg_dev libtdshim-dev)
if(TDSHIM_BUILD_TOOLS)
  list(APPEND deb_components tools)
endif()
set(deb_pkg_tools tdshim-tools)
if(TARGET tdshim_firmware)
  list(APPEND deb_components firmware)
endif()
set(deb_pkg_firmware tdshim-firmware)
# The archive named in the copyright file is the target's file (OUTPUT_NAME), not a fixed name.
file(GENERATE OUTPUT ${deb_dir}/copyright INPUT ${CMAKE_CURRENT_LIST_DIR}/deb/copyright.in)
foreach(c IN LISTS deb_components)
  install(FILES ${deb_dir}/copyright ${deb_dir}/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${deb_pkg_${c}} COMPONENT ${c})
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tdshim)
set(CPACK_PACKAGE_VENDOR "td-shim in C")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${TDSHIM_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON) # the tools; static archives are not stripped
set(CPACK_COMPONENTS_ALL ${deb_components})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TDSHIM_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip) # faster than xz for the consumer_packages test

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libtdshim-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libmbedtls-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION
"static libraries for Intel TDX guest firmware and host tests
 td-shim in C's libraries as static archives with their C11/C++ headers, a
 CMake package (find_package(TdShim CONFIG)) and pkg-config files: libtdcall
 (TDCALL/TDVMCALL wrappers, the TDX-module emulator and its host-test backend),
 libtdhob, libaccept, librtmr, libmailbox, libvirtio-shared and the firmware
 building blocks (libtdvf, libloader, liblinux, libacpi, libsecboot).")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME tdshim-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SHLIBDEPS ON)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
"host tools for td-shim in C images and measurements
 tdshim-image builds a TDVF image, tdshim-measure predicts MRTD and the RTMRs,
 tdshim-hob prints and generates TD HOBs, tdshim-eventlog dumps, replays and
 verifies CC event logs, tdshim-sign signs payloads, tdshim-enroll writes
 the secure-boot trust anchor into an image and tdshim-qemu boots an image
 built on the test firmware in QEMU as an emulated TD. Each has a manual page.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_RECOMMENDS "tdshim-firmware (= ${PROJECT_VERSION}), qemu-system-x86")

set(CPACK_DEBIAN_FIRMWARE_PACKAGE_NAME tdshim-firmware)
set(CPACK_DEBIAN_FIRMWARE_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_FIRMWARE_PACKAGE_ARCHITECTURE all)
set(CPACK_COMPONENT_FIRMWARE_DESCRIPTION
"td-shim in C firmware images for Intel TDX guests
 tdshim.fw is the production shim firmware (reset vector to payload in a TD);
 tdshim-image wraps it with a payload into a TDVF image for a VMM.
 tdshim-test.fw is the same firmware plus a TDX-module emulator, for booting a
 payload in an emulated TD under QEMU TCG with tdshim-qemu; it is for tests
 only and gives no protection.")

include(CPack)
