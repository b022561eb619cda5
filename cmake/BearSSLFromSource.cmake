# BearSSL compiled from a source tree as part of this build (-DWIIU_NSSL_BEARSSL_SOURCE_DIR=<tree>),
# for hosts with no BearSSL package: Windows, macOS, a vcpkg build. Any BearSSL 0.6 tree fits:
# Debian's source package (`apt-get source bearssl`, what scripts/bearssl-source.sh fetches), a
# git checkout of bearssl.org's repository, a vcpkg port's sources. BearSSL's own makefiles make a
# Unix shared library or drive nmake; its sources need nothing but a C compiler and their two
# include folders, so one static library of every src/**/*.c is the whole recipe.
#
#   BearSSL::bearssl   the library the module (and its tests) link, as FindBearSSL's would be
set(bearssl ${WIIU_NSSL_BEARSSL_SOURCE_DIR})
if(NOT EXISTS "${bearssl}/inc/bearssl.h" OR NOT EXISTS "${bearssl}/src/inner.h")
  message(FATAL_ERROR "WIIU_NSSL_BEARSSL_SOURCE_DIR=${bearssl} is not a BearSSL source tree "
                      "(it has no inc/bearssl.h or src/inner.h)")
endif()
file(GLOB_RECURSE bearssl_sources CONFIGURE_DEPENDS "${bearssl}/src/*.c")
add_library(wiiu_nssl_bearssl STATIC ${bearssl_sources})
add_library(BearSSL::bearssl ALIAS wiiu_nssl_bearssl)
target_include_directories(wiiu_nssl_bearssl PRIVATE "${bearssl}/src" PUBLIC "${bearssl}/inc")
# BearSSL's own code, built as its makefiles do (-W -Wall): no project warnings or -Werror here.
set_target_properties(wiiu_nssl_bearssl PROPERTIES POSITION_INDEPENDENT_CODE ON)
if(WIIU_NSSL_MSVC_RUNTIME_LIBRARY)
  set_property(TARGET wiiu_nssl_bearssl PROPERTY MSVC_RUNTIME_LIBRARY "${WIIU_NSSL_MSVC_RUNTIME_LIBRARY}")
endif()
message(STATUS "wiiu_nssl: BearSSL from ${bearssl} (${CMAKE_C_COMPILER_ID}, static)")
