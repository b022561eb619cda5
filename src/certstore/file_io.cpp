#include "certstore/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "platform/file.h"

namespace wiiu::certstore {
namespace {

namespace fs = std::filesystem;

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

LoadError ioError(const fs::path& path, std::string_view what, int err)
{
    return {platform::utf8(path) + ": " + std::string(what) + ": " + std::strerror(err)};
}

// Reads into `out`, which must be resizable before the read; sizes up to a few MiB only.
template <class Buffer, class Make>
Expected<Buffer, LoadError> readWhole(const fs::path& path, Make make)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        if (!fs::exists(path, ec)) return fail(LoadError{platform::utf8(path) + ": file is missing", EntryStatus::Missing});
        return fail(LoadError{platform::utf8(path) + ": not a regular file"});
    }
    auto size = fs::file_size(path, ec);
    if (ec) return fail(LoadError{platform::utf8(path) + ": cannot get size: " + ec.message()});
    if (size > (16u << 20)) return fail(LoadError{platform::utf8(path) + ": file too large"});
    File f(platform::openFile(path, "rb"));
    if (!f) return fail(ioError(path, "cannot open", errno));
    Buffer buf = make(static_cast<std::size_t>(size));
    if (size && std::fread(buf.data(), 1, buf.size(), f.get()) != buf.size())
        return fail(ioError(path, "read failed", errno));
    return buf;
}

}  // namespace

Expected<std::vector<std::uint8_t>, LoadError> readFileBytes(const fs::path& path)
{
    return readWhole<std::vector<std::uint8_t>>(path, [](std::size_t n) { return std::vector<std::uint8_t>(n); });
}

Expected<SecretBytes, LoadError> readSecretFile(const fs::path& path)
{
    return readWhole<SecretBytes>(path, [](std::size_t n) { return SecretBytes(n); });
}

Expected<void, LoadError> writeFileBytes(const fs::path& path, std::span<const std::uint8_t> data, bool privateFile)
{
    File f(platform::openFile(path, "wb"));
    if (!f) return fail(ioError(path, "cannot create", errno));
    if (privateFile) {
        std::error_code ec;
        fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
        if (ec) return fail(LoadError{platform::utf8(path) + ": cannot restrict permissions: " + ec.message()});
    }
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f.get()) != data.size())
        return fail(ioError(path, "write failed", errno));
    if (std::fflush(f.get()) != 0) return fail(ioError(path, "write failed", errno));
    return {};
}

}  // namespace wiiu::certstore
