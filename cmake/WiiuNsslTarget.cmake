# Settings every target of the project shares: warnings, sanitizers.
set(WIIU_NSSL_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
    -Wimplicit-fallthrough)

if(WIN32)
  # Windows 10 APIs (WSAPoll, inet_pton); no min/max macros or the rest of <windows.h>.
  add_compile_definitions(_WIN32_WINNT=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX)
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

function(wiiu_nssl_target_defaults target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${WIIU_NSSL_WARNINGS}>)
  if(WIIU_NSSL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
