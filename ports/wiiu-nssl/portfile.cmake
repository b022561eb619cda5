# wiiu_nssl from this checkout (an overlay port kept in the repository: --overlay-ports=<checkout>/ports).
# The library alone: no tools, tests or benchmarks; static, as its layers are.
set(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../..")

vcpkg_check_linkage(ONLY_STATIC_LIBRARY)
vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DWIIU_NSSL_BUILD_TOOLS=OFF
        -DWIIU_NSSL_BUILD_TESTS=OFF
        -DWIIU_NSSL_BUILD_BENCH=OFF
        -DWIIU_NSSL_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME wiiu_nssl CONFIG_PATH lib/cmake/wiiu_nssl)

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE" "${SOURCE_PATH}/NOTICE")
