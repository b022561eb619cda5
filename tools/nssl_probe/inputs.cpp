#include "inputs.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include <wiiu_nssl/certificate.h>
#include <wiiu_nssl/utf8_path.h>

namespace wiiu::probe {

namespace {

Unexpected<InputError> error(std::string text) { return Unexpected<InputError>{InputError{std::move(text)}}; }

template <class T>
bool parseNumber(std::string_view text, T& out, int base = 10)
{
    if (base == 16 && (text.starts_with("0x") || text.starts_with("0X")))
        text.remove_prefix(2);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
    return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

Input<Bytes> readDerFile(const std::string& path, const std::string& label)
{
    std::ifstream in(platform::pathFromUtf8(path), std::ios::binary);
    if (!in)
        return error(fmt::format("{}: cannot open ({})", path, std::strerror(errno)));
    Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return error(fmt::format("{}: read error", path));
    if (data.empty())
        return error(fmt::format("{}: empty file", path));
    auto der = pki::derFromDerOrPem(data, label);
    if (!der)
        return error(fmt::format("{}: not DER or PEM{}: {}", path, label.empty() ? "" : " " + label,
                                 der.error().what));
    if (der->empty() || (*der)[0] != 0x30)
        return error(fmt::format("{}: not DER (no ASN.1 SEQUENCE at the start)", path));
    return *der;
}

Input<std::vector<std::int32_t>> parseIdList(const std::string& text)
{
    std::vector<std::int32_t> ids;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::int32_t id = 0;
        if (!parseNumber(std::string_view(text).substr(start, comma - start), id))
            return error(fmt::format("--ca {}: not a list of certificate IDs (e.g. 100,1001)", text));
        ids.push_back(id);
        start = comma + 1;
    }
    return ids;
}

Input<std::uint32_t> parseMask(const std::string& text, const std::string& option)
{
    std::uint32_t v = 0;
    const bool hex = text.starts_with("0x") || text.starts_with("0X");
    if (!parseNumber(text, v, hex ? 16 : 10))
        return error(fmt::format("{} {}: not a number (decimal or 0x hex)", option, text));
    return v;
}

Input<std::pair<std::string, std::uint16_t>> parseHostPort(const std::string& text)
{
    const auto colon = text.rfind(':');
    std::uint16_t port = 0;
    if (colon == std::string::npos || colon == 0 ||
        !parseNumber(std::string_view(text).substr(colon + 1), port) || port == 0)
        return error(fmt::format("--connect {}: expected HOST:PORT (e.g. 127.0.0.1:443)", text));
    return std::pair{text.substr(0, colon), port};
}

Input<std::chrono::system_clock::time_point> parseWhen(const std::string& text)
{
    std::int64_t seconds = 0;
    if (parseNumber(text, seconds))
        return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char tail[4] = {};
    const int n = std::sscanf(text.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%3s", &y, &mo, &d, &h, &mi, &s, tail);
    const bool dateOnly = n == 3 && text.size() == 10;
    const bool full = (n == 6 || (n == 7 && std::string_view(tail) == "Z"));
    if ((!dateOnly && !full) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return error(fmt::format("--time {}: expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ (UTC) or Unix seconds", text));
    const std::int64_t t = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return std::chrono::system_clock::time_point(std::chrono::seconds(t));
}

}  // namespace wiiu::probe
