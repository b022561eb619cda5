// Turning command-line values into what the guest calls take: files (DER or PEM) to DER bytes,
// ID lists, masks, HOST:PORT, and --time. Every error names the value or file and says why.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <wiiu_nssl/expected.h>

namespace wiiu::probe {

using Bytes = std::vector<std::uint8_t>;  ///< DER, as the guest calls take it

struct InputError {
    std::string message;
};

template <class T>
using Input = Expected<T, InputError>;

/// A certificate, key or CRL file as DER; PEM is decoded (first block with `label`, or any).
Input<Bytes> readDerFile(const std::string& path, const std::string& label = {});
/// "100,101" -> {100, 101}.
Input<std::vector<std::int32_t>> parseIdList(const std::string& text);
/// Decimal or 0x-hex unsigned number.
Input<std::uint32_t> parseMask(const std::string& text, const std::string& option);
/// "host:port" (port 1..65535).
Input<std::pair<std::string, std::uint16_t>> parseHostPort(const std::string& text);
/// "2019-05-01", "2019-05-01T12:30:00Z" (UTC) or Unix seconds.
Input<std::chrono::system_clock::time_point> parseWhen(const std::string& text);

}  // namespace wiiu::probe
