// Fuzz target: the certstore_metadata.txt reader (a console dump is untrusted input).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <spdlog/spdlog.h>

#include "certstore/metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const bool quiet = [] { spdlog::set_level(spdlog::level::off); return true; }();
    (void)quiet;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto records = wiiu::certstore::parseMetadata(text, "certstore_metadata.txt");
    if (records) {
        for (const auto& r : *records) {
            // Whatever the parser accepted must satisfy its own promises.
            if (!r.certPath.empty() && !wiiu::certstore::isContainedRelativePath(r.certPath))
                __builtin_trap();
            if (!r.keyPath.empty() && !wiiu::certstore::isContainedRelativePath(r.keyPath))
                __builtin_trap();
        }
    }
    wiiu::certstore::isContainedRelativePath(text);
    return 0;
}
