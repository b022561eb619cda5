// The language the public headers are written in: C++20 (std::span, concepts, operator<=>). Every
// public header includes this first, so a translation unit compiled under an older standard stops
// here with one clear message instead of an error deep inside a template. The CMake package asks
// for C++20 on the targets that link it (cxx_std_20); a C++17 project can keep its other targets.
#pragma once

#if (defined(_MSVC_LANG) ? _MSVC_LANG : __cplusplus) < 202002L
#error "wiiu_nssl's public headers need C++20: compile this translation unit with -std=c++20 (/std:c++20), or link wiiu_nssl::wiiu_nssl in CMake, which asks for it"
#endif
