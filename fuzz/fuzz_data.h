// Fixture files of the fuzz targets (fuzz/data: public certificates and CRLs of the test PKI,
// no private keys), read once.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace wiiu::fuzz {

inline std::vector<std::uint8_t> dataFile(const std::string& name)
{
    std::ifstream in(std::string(WIIU_FUZZ_DATA_DIR) + "/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace wiiu::fuzz
