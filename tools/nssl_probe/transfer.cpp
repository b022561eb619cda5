#include "transfer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <wiiu_nssl/utf8_path.h>

namespace wiiu::probe {

namespace {

constexpr std::string_view kHttp = "HTTP/";

std::span<const std::uint8_t> asBytes(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// `prefix` is lower case.
bool startsWithNoCase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(),
                      [](char lower, char c) { return std::tolower(static_cast<unsigned char>(c)) == lower; });
}

/// The Content-Length of `headers` (the lines after the status line), if one parses.
std::optional<std::uint64_t> contentLength(std::string_view headers)
{
    constexpr std::string_view kName = "content-length:";
    for (std::size_t at = 0; at < headers.size();) {
        const std::size_t end = std::min(headers.find("\r\n", at), headers.size());
        std::string_view line = headers.substr(at, end - at);
        at = end + 2;
        if (!startsWithNoCase(line, kName))
            continue;
        line.remove_prefix(kName.size());
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        std::uint64_t n = 0;
        const auto [rest, ec] = std::from_chars(line.data(), line.data() + line.size(), n);
        if (ec == std::errc() && rest != line.data())
            return n;
    }
    return std::nullopt;
}

}  // namespace

Outgoing::Outgoing(std::string text) : text_(std::move(text)), size_(text_.size()) {}

std::optional<Outgoing> Outgoing::open(const std::string& path, std::string* error)
{
    Outgoing out;
    out.path_ = path;
    const std::filesystem::path file = platform::pathFromUtf8(path);
    out.file_.open(file, std::ios::binary);
    std::error_code ec;
    out.size_ = out.file_ ? std::filesystem::file_size(file, ec) : 0;
    if (!out.file_ || ec) {
        *error = ec ? ec.message() : "cannot open";
        return std::nullopt;
    }
    return out;
}

std::size_t Outgoing::read(std::span<std::uint8_t> into)
{
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(into.size(), size_ - done_));
    if (!file_.is_open()) {
        std::copy_n(text_.data() + done_, n, into.data());
    } else if (!file_.read(reinterpret_cast<char*>(into.data()), static_cast<std::streamsize>(n))) {
        throw std::runtime_error(fmt::format("--send {}: read failed after {} of {} bytes", path_, done_, size_));
    }
    done_ += n;
    return n;
}

void Received::append(std::span<const std::uint8_t> bytes)
{
    size_ += bytes.size();
    if (kept_.size() < kKept) {
        const std::size_t take = std::min(bytes.size(), kKept - kept_.size());
        kept_.append(reinterpret_cast<const char*>(bytes.data()), take);
        if (scope_ == Scope::Undecided) {
            decide();  // once decided, it has hashed the part of kept_ the hash covers
            if (scope_ == Scope::Undecided)
                return;
            bytes = bytes.subspan(take);
        }
    }
    sha_.update(bytes);
}

void Received::decide()
{
    const std::string_view k = kept_;
    if (!kHttp.starts_with(k.substr(0, std::min(k.size(), kHttp.size())))) {
        scope_ = Scope::All;
    } else if (const std::size_t end = k.find("\r\n\r\n"); k.size() >= kHttp.size() && end != k.npos) {
        scope_ = Scope::Body;
        headerEnd_ = end + 4;
        sha_.update(asBytes(k.substr(headerEnd_)));
        return;
    } else if (k.size() >= kKept) {
        scope_ = Scope::All;
    }
    if (scope_ == Scope::All)
        sha_.update(asBytes(k));
}

std::string Received::sha256() const
{
    Sha256 copy = sha_;
    if (scope_ == Scope::Undecided)  // ended before its first bytes told what they are: all of it
        copy.update(asBytes(kept_));
    return fmt::format("{:02x}", fmt::join(copy.digest(), ""));
}

std::string Received::statusLine() const
{
    if (!kept_.starts_with(kHttp))
        return {};
    return kept_.substr(0, std::min(kept_.find("\r\n"), kept_.size()));
}

std::string describeReceived(const Received& received)
{
    const std::string count = fmt::format("{} bytes received", received.size());
    const std::string_view kept = received.kept();
    if (!kept.starts_with(kHttp))
        return count;
    if (!received.hashesBody())
        return count + (kept.size() >= Received::kKept
                            ? fmt::format(", HTTP headers longer than the {} bytes kept", Received::kKept)
                            : std::string(", HTTP headers incomplete"));
    const std::uint64_t body = received.bodySize();
    const auto length = contentLength(kept.substr(0, received.size() - body - 2));
    if (!length)
        return count + ", no Content-Length to judge the body by";
    if (body >= *length)
        return fmt::format("{}, body complete ({} bytes by Content-Length)", count, *length);
    return fmt::format("{}, body incomplete ({} of {} bytes by Content-Length)", count, body, *length);
}

std::string printable(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 0x20 && c < 0x7f) || c == '\r' || c == '\n' || c == '\t')
            out += ch;
        else
            fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
    }
    return out;
}

}  // namespace wiiu::probe
