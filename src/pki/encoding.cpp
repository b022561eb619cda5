#include "pki/encoding.h"

#include <fmt/format.h>

#include "common/bearssl.h"

namespace wiiu::pki {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Strict base64: whitespace ignored, '=' only as the final padding of a 4-character group.
Expected<Bytes, ParseError> decodeBase64(std::string_view body, std::size_t offset)
{
    Bytes out;
    std::uint32_t acc = 0;
    int count = 0, padding = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (isSpace(c)) continue;
        if (c == '=') {
            if (count < 2 || ++padding > 2) return fail(ParseError{"misplaced base64 padding", offset + i});
            acc <<= 6;
            if (++count == 4) {
                out.push_back(static_cast<std::uint8_t>(acc >> 16));
                if (padding == 1) out.push_back(static_cast<std::uint8_t>(acc >> 8));
                count = 0;
                acc = 0;
            }
            continue;
        }
        const int v = base64Value(c);
        if (v < 0) return fail(ParseError{fmt::format("invalid base64 character 0x{:02x}", static_cast<unsigned char>(c)), offset + i});
        if (padding) return fail(ParseError{"data after base64 padding", offset + i});
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        if (++count == 4) {
            out.push_back(static_cast<std::uint8_t>(acc >> 16));
            out.push_back(static_cast<std::uint8_t>(acc >> 8));
            out.push_back(static_cast<std::uint8_t>(acc));
            count = 0;
            acc = 0;
        }
    }
    if (count != 0) return fail(ParseError{"base64 length not a multiple of 4", offset + body.size()});
    return out;
}

}  // namespace

Expected<std::vector<Bytes>, ParseError> decodePem(std::string_view text, std::string_view label)
{
    std::vector<Bytes> blocks;
    std::size_t pos = 0;
    while ((pos = text.find(kBegin, pos)) != std::string_view::npos) {
        const std::size_t labelStart = pos + kBegin.size();
        const std::size_t labelEnd = text.find(kDashes, labelStart);
        const std::size_t lineEnd = text.find('\n', labelStart);
        if (labelEnd == std::string_view::npos || (lineEnd != std::string_view::npos && labelEnd > lineEnd))
            return fail(ParseError{"malformed PEM BEGIN line", pos});
        const std::string_view blockLabel = text.substr(labelStart, labelEnd - labelStart);
        const std::string endLine = std::string(kEnd) + std::string(blockLabel) + std::string(kDashes);
        const std::size_t bodyStart = labelEnd + kDashes.size();
        const std::size_t endPos = text.find(endLine, bodyStart);
        if (endPos == std::string_view::npos) return fail(ParseError{"unterminated PEM block", pos});
        const std::string_view body = text.substr(bodyStart, endPos - bodyStart);
        if (body.find(kBegin) != std::string_view::npos) return fail(ParseError{"unterminated PEM block", pos});
        pos = endPos + endLine.size();
        if (!label.empty() && blockLabel != label) continue;
        // Encrypted keys carry RFC 1421 headers ("Proc-Type: ..."); they are not supported.
        if (body.find(':') != std::string_view::npos) return fail(ParseError{"PEM headers not supported", bodyStart});
        auto der = decodeBase64(body, bodyStart);
        if (!der) return fail(der.error());
        blocks.push_back(std::move(*der));
    }
    return blocks;
}

Expected<Bytes, ParseError> derFromDerOrPem(ByteView data, std::string_view label)
{
    std::size_t i = 0;
    while (i < data.size() && isSpace(static_cast<char>(data[i]))) ++i;
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    if (text.substr(i, kBegin.size()) != kBegin) return Bytes(data.begin(), data.end());
    auto blocks = decodePem(text, label);
    if (!blocks) return fail(blocks.error());
    if (blocks->empty()) return fail(ParseError{"no matching PEM block", 0});
    return std::move(blocks->front());
}

std::string encodePem(std::string_view label, ByteView der)
{
    std::string b64;
    for (std::size_t i = 0; i < der.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, der.size() - i);
        std::uint32_t acc = std::uint32_t{der[i]} << 16;
        if (n > 1) acc |= std::uint32_t{der[i + 1]} << 8;
        if (n > 2) acc |= der[i + 2];
        for (std::size_t k = 0; k < 4; ++k) b64 += k <= n ? kAlphabet[(acc >> (18 - 6 * k)) & 0x3f] : '=';
    }
    std::string out = fmt::format("-----BEGIN {}-----\n", label);
    for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
    out += fmt::format("-----END {}-----\n", label);
    return out;
}

std::array<std::uint8_t, 20> sha1(ByteView data)
{
    br_sha1_context ctx;
    br_sha1_init(&ctx);
    br_sha1_update(&ctx, data.data(), data.size());
    std::array<std::uint8_t, 20> out{};
    br_sha1_out(&ctx, out.data());
    return out;
}

std::array<std::uint8_t, 32> sha256(ByteView data)
{
    br_sha256_context ctx;
    br_sha256_init(&ctx);
    br_sha256_update(&ctx, data.data(), data.size());
    std::array<std::uint8_t, 32> out{};
    br_sha256_out(&ctx, out.data());
    return out;
}

std::string toHex(ByteView data)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (std::uint8_t b : data) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0xf];
    }
    return out;
}

}  // namespace wiiu::pki
