# FindBearSSL: Debian's libbearssl-dev ships neither a CMake config nor a pkg-config file,
# so locate the header and library ourselves and expose an imported target.
#
#   BearSSL::bearssl   imported target (static library preferred when BEARSSL_PREFER_STATIC)
#
# Always include <bearssl.h> inside extern "C": BearSSL 0.6 declares br_get_config() outside its
# own guard, and C++ callers otherwise fail to link. Use src/common/bearssl.h instead.
find_path(BEARSSL_INCLUDE_DIR NAMES bearssl.h)
if(BEARSSL_PREFER_STATIC)
  find_library(BEARSSL_LIBRARY NAMES libbearssl.a bearssl)
else()
  find_library(BEARSSL_LIBRARY NAMES bearssl)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(BearSSL REQUIRED_VARS BEARSSL_LIBRARY BEARSSL_INCLUDE_DIR)

if(BearSSL_FOUND AND NOT TARGET BearSSL::bearssl)
  add_library(BearSSL::bearssl UNKNOWN IMPORTED)
  set_target_properties(BearSSL::bearssl PROPERTIES
    IMPORTED_LOCATION "${BEARSSL_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${BEARSSL_INCLUDE_DIR}")
endif()
mark_as_advanced(BEARSSL_INCLUDE_DIR BEARSSL_LIBRARY)
