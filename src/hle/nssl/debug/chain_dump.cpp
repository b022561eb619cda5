#include "hle/nssl/debug/chain_dump.h"

#include <cctype>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "common/log.h"
#include "platform/file.h"

namespace wiiu::nssl::debug {

namespace {

std::string safeName(const std::string& host)
{
    std::string out;
    for (char c : host)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
    return out.empty() ? "nohost" : out.substr(0, 100);
}

}  // namespace

std::vector<std::string> dumpChain(const std::string& dir, std::uint64_t connection, const std::string& host,
                                   std::span<const std::vector<std::uint8_t>> chain)
{
    namespace fs = std::filesystem;
    std::vector<std::string> written;
    const fs::path folder = platform::pathFromUtf8(dir);
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        log::nssl().error("debug: cannot create chain dump folder {}: {}", dir, ec.message());
        return written;
    }
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const fs::path final = folder / fmt::format("conn{}-{}-{}.der", connection, safeName(host), i);
        const fs::path temp = fs::path(final).concat(fmt::format(".tmp{}", ::getpid()));
        {
            std::ofstream out(temp, std::ios::binary | std::ios::trunc);
            out.write(reinterpret_cast<const char*>(chain[i].data()), static_cast<std::streamsize>(chain[i].size()));
            if (!out.flush()) {
                log::nssl().error("debug: cannot write {}", platform::utf8(temp));
                fs::remove(temp, ec);
                continue;
            }
        }
        fs::rename(temp, final, ec);
        if (ec) {
            log::nssl().error("debug: cannot rename {} to {}: {}", platform::utf8(temp), platform::utf8(final), ec.message());
            fs::remove(temp, ec);
            continue;
        }
        written.push_back(platform::utf8(final));
    }
    if (!written.empty())
        log::nssl().info("debug: peer chain of connection {} ('{}') written to {}", connection, host, dir);
    return written;
}

}  // namespace wiiu::nssl::debug
