#include "transfer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace wiiu::probe {

namespace {

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

std::string describeReceived(std::string_view received)
{
    const std::string count = fmt::format("{} bytes received", received.size());
    if (!received.starts_with("HTTP/"))
        return count;
    const std::size_t headerEnd = received.find("\r\n\r\n");
    if (headerEnd == std::string_view::npos)
        return count + ", HTTP headers incomplete";
    const auto length = contentLength(received.substr(0, headerEnd + 2));
    if (!length)
        return count + ", no Content-Length to judge the body by";
    const std::uint64_t body = received.size() - headerEnd - 4;
    if (body >= *length)
        return fmt::format("{}, body complete ({} bytes by Content-Length)", count, *length);
    return fmt::format("{}, body incomplete ({} of {} bytes by Content-Length)", count, body, *length);
}

}  // namespace wiiu::probe
