# BearSSL 0.6 as a static library. BearSSL has no CMake build of its own, so the port builds it
# with the recipe the module uses for -DWIIU_NSSL_BEARSSL_SOURCE_DIR (cmake/BearSSLFromSource.cmake,
# through this port's CMakeLists.txt) and installs the library and inc/*.h, which the module's
# FindBearSSL.cmake finds. The archive is Debian's repack of bearssl.org's 0.6 release (only the
# prebuilt T0Comp.exe removed), whose hash could be checked here.
vcpkg_download_distfile(ARCHIVE
    URLS "https://deb.debian.org/debian/pool/main/b/bearssl/bearssl_0.6+dfsg.1.orig.tar.xz"
    FILENAME "bearssl_0.6+dfsg.1.orig.tar.xz"
    SHA512 cba9adbd11efb18496a9fe9b5883fc67842a7f035324df27803105060a7cfbd37a5d18e1ea58aeb6f6cdc947bc38b5eec9706461fe53bc6cd12651cca8778bbf
)
vcpkg_extract_source_archive(SOURCE_PATH ARCHIVE "${ARCHIVE}")
file(COPY "${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt" DESTINATION "${SOURCE_PATH}")

vcpkg_check_linkage(ONLY_STATIC_LIBRARY)
vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS "-DWIIU_NSSL_CMAKE_DIR=${CMAKE_CURRENT_LIST_DIR}/../../cmake"
)
vcpkg_cmake_install()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE.txt")
