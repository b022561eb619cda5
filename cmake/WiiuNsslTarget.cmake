# Settings every target of the project shares: warnings, sanitizers. Warnings and platform
# definitions go on the project's own targets only (wiiu_nssl_target_defaults), never on a parent
# project that adds this one with add_subdirectory, and in the compiler's own syntax: cl.exe and
# clang-cl read GCC's -Wall as /Wall (every off-by-default warning).
if(MSVC)
  set(WIIU_NSSL_WARNINGS /W4 /permissive- /utf-8)  # /utf-8: a few sources spell names in UTF-8
  set(WIIU_NSSL_WERROR_FLAG /WX)
else()
  set(WIIU_NSSL_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
      -Wimplicit-fallthrough)
  set(WIIU_NSSL_WERROR_FLAG -Werror)
endif()

# WIIU_NSSL_SANITIZER_FLAGS: what a program linking these libraries must be built with too (the
# consumer test passes them to its outside project).
set(WIIU_NSSL_SANITIZER_FLAGS "")
if(WIIU_NSSL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
  list(APPEND WIIU_NSSL_SANITIZER_FLAGS -fsanitize=address,undefined)
  if(WIIU_NSSL_FUZZ)
    # One tree for the sanitizer tests and the fuzz targets: coverage hooks everywhere, and
    # only the fuzz targets link libFuzzer's main (fuzz/CMakeLists.txt).
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
endif()

if(WIIU_NSSL_TSAN)
  if(WIIU_NSSL_SANITIZE OR WIIU_NSSL_FUZZ)
    message(FATAL_ERROR "WIIU_NSSL_TSAN cannot share a tree with ASan or the fuzz targets")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  list(APPEND WIIU_NSSL_SANITIZER_FLAGS -fsanitize=thread)
endif()

# Every target of the project, libraries, tools and tests: the module's internals (src/ and the
# third-party libraries, src/CMakeLists.txt) and wiiu_nssl_build_settings.
function(wiiu_nssl_target_defaults target)
  target_link_libraries(${target} PRIVATE wiiu_nssl_internals)
  wiiu_nssl_build_settings(${target})
endfunction()

# The project's warnings and platform definitions without the internals: for a program that, as
# an emulator would, sees only the public headers (nssl-probe), so that a private include fails
# to compile. WIIU_NSSL_MSVC_RUNTIME_LIBRARY: for a parent that sets MSVC_RUNTIME_LIBRARY per
# target rather than CMAKE_MSVC_RUNTIME_LIBRARY (which the module's targets follow by themselves).
function(wiiu_nssl_build_settings target)
  if(WIIU_NSSL_MSVC_RUNTIME_LIBRARY)
    set_property(TARGET ${target} PROPERTY MSVC_RUNTIME_LIBRARY "${WIIU_NSSL_MSVC_RUNTIME_LIBRARY}")
  endif()
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${WIIU_NSSL_WARNINGS}>)
  if(WIIU_NSSL_WERROR)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${WIIU_NSSL_WERROR_FLAG}>)
  endif()
  if(MSVC)
    # Fiber-safe thread_locals, as common/fiber_safe_tls.h makes them for the other compilers.
    target_compile_options(${target} PRIVATE /GT)
  endif()
  if(WIN32)
    # Windows 10 APIs (WSAPoll, inet_pton); no min/max macros or the rest of <windows.h>.
    target_compile_definitions(${target} PRIVATE _WIN32_WINNT=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX)
  endif()
endfunction()
