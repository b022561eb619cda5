# Install rules: the layer libraries, the public headers (include/wiiu_nssl/, nothing of src/) and
# a CMake package, so an emulator can `find_package(wiiu_nssl)` and link `wiiu_nssl::wiiu_nssl`.
# The third-party libraries are found again only to be linked (see wiiu_nssl_use).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_property(layers GLOBAL PROPERTY WIIU_NSSL_LAYERS)
install(TARGETS ${layers} wiiu_nssl_internals EXPORT wiiu_nssl_targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/wiiu_nssl DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT wiiu_nssl_targets NAMESPACE wiiu_nssl::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/wiiu_nssl)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/FindBearSSL.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/wiiu_nssl)

file(WRITE ${PROJECT_BINARY_DIR}/wiiu_nsslConfig.cmake.in [=[
@PACKAGE_INIT@
include(CMakeFindDependencyMacro)
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")
# Only what the static libraries link; the header-only ones (Boost.Asio, nlohmann-json) were
# needed to build them, not to use them.
find_dependency(Threads)
find_dependency(fmt CONFIG)
find_dependency(spdlog CONFIG)
find_dependency(BearSSL)
include("${CMAKE_CURRENT_LIST_DIR}/wiiu_nssl_targets.cmake")
]=])
configure_package_config_file(${PROJECT_BINARY_DIR}/wiiu_nsslConfig.cmake.in
  ${PROJECT_BINARY_DIR}/wiiu_nsslConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/wiiu_nssl)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/wiiu_nsslConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/wiiu_nsslConfig.cmake ${PROJECT_BINARY_DIR}/wiiu_nsslConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/wiiu_nssl)
