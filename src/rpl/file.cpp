#include "rpl/file.h"

#include <fstream>
#include <system_error>

#include <fmt/format.h>

namespace wiiu::rpl {

Expected<std::vector<std::uint8_t>, Error> readFile(const std::filesystem::path& path, std::uintmax_t maxSize)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return fail(Error{fmt::format("{}: {}", path.string(), ec.message())});
    if (size > maxSize)
        return fail(Error{fmt::format("{}: {} bytes, more than the {} an RPL may have", path.string(), size, maxSize)});
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (!in || !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())))
        return fail(Error{fmt::format("{}: cannot read", path.string())});
    return bytes;
}

Expected<void, Error> writeFileAtomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes)
{
    auto temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out || !out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())) ||
            !out.flush())
            return fail(Error{fmt::format("{}: cannot write", temporary.string())});
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        return fail(Error{fmt::format("{}: cannot replace: {}", path.string(), ec.message())});
    }
    return {};
}

}  // namespace wiiu::rpl
