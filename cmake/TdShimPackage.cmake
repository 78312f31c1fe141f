# SPDX-License-Identifier: BSD-2-Clause-Patent
# find_package(TdShim CONFIG) for outside projects: one imported target per library
# (TdShim::tdcall, TdShim::tdhob, ...), plus TdShim::base.
include(CMakePackageConfigHelpers)
set(TDSHIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/TdShim)
install(EXPORT TdShimTargets NAMESPACE TdShim:: DESTINATION ${TDSHIM_CMAKE_DIR})
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/TdShimConfig.cmake.in [=[
@PACKAGE_INIT@
include("${CMAKE_CURRENT_LIST_DIR}/TdShimTargets.cmake")
check_required_components(TdShim)
]=])
configure_package_config_file(${CMAKE_CURRENT_BINARY_DIR}/TdShimConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/TdShimConfig.cmake INSTALL_DESTINATION ${TDSHIM_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/TdShimConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/TdShimConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/TdShimConfigVersion.cmake
        DESTINATION ${TDSHIM_CMAKE_DIR})
