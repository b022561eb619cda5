// nameToText(): display form of an X.509 Name, as OpenSSL prints it with RFC 2253 options.
#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "pki/der.h"
#include "pki/oids.h"
#include "pki/x509.h"

namespace wiiu::pki {
namespace {

struct AttributeName {
    std::array<std::uint8_t, 10> oid;
    std::size_t length;
    std::string_view name;
};

constexpr AttributeName kAttributes[] = {
    {{0x55, 0x04, 0x03}, 3, "CN"},           {{0x55, 0x04, 0x04}, 3, "SN"},
    {{0x55, 0x04, 0x05}, 3, "serialNumber"}, {{0x55, 0x04, 0x06}, 3, "C"},
    {{0x55, 0x04, 0x07}, 3, "L"},            {{0x55, 0x04, 0x08}, 3, "ST"},
    {{0x55, 0x04, 0x09}, 3, "street"},       {{0x55, 0x04, 0x0a}, 3, "O"},
    {{0x55, 0x04, 0x0b}, 3, "OU"},           {{0x55, 0x04, 0x0c}, 3, "title"},
    {{0x55, 0x04, 0x2a}, 3, "GN"},           {{0x55, 0x04, 0x2b}, 3, "initials"},
    {{0x55, 0x04, 0x2e}, 3, "dnQualifier"},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01}, 9, "emailAddress"},
    {{0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19}, 10, "DC"},
    {{0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01}, 10, "UID"},
};

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

// The value as UTF-8, or nothing when it is not a string type we know.
std::optional<std::string> stringValue(const der::Tlv& v)
{
    std::string out;
    switch (v.tag) {
    case der::kUtf8String:
    case der::kPrintableString:
    case der::kIa5String:
    case 0x12:  // NumericString
    case 0x1a:  // VisibleString
        return std::string(v.value.begin(), v.value.end());
    case der::kT61String:  // treated as Latin-1, as OpenSSL does
        for (std::uint8_t b : v.value) appendUtf8(out, b);
        return out;
    case der::kBmpString:
        if (v.value.size() % 2) return std::nullopt;
        for (std::size_t i = 0; i < v.value.size(); i += 2) appendUtf8(out, (v.value[i] << 8) | v.value[i + 1]);
        return out;
    case der::kUniversalString:
        if (v.value.size() % 4) return std::nullopt;
        for (std::size_t i = 0; i < v.value.size(); i += 4)
            appendUtf8(out, (std::uint32_t{v.value[i]} << 24) | (v.value[i + 1] << 16) | (v.value[i + 2] << 8) |
                                v.value[i + 3]);
        return out;
    default: return std::nullopt;
    }
}

// RFC 2253 section 2.4 escaping; control characters as \XX like OpenSSL's esc_ctrl.
std::string escape(const std::string& s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool edgeSpace = c == ' ' && (i == 0 || i + 1 == s.size());
        if (std::string_view(",+\"\\<>;").find(c) != std::string_view::npos || edgeSpace || (i == 0 && c == '#'))
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            out += fmt::format("\\{:02X}", static_cast<unsigned char>(c));
        else
            out += c;
    }
    return out;
}

std::optional<std::string> attributeText(der::Reader& set)
{
    auto atv = set.sequence();
    if (!atv) return std::nullopt;
    auto oid = atv->oid();
    if (!oid) return std::nullopt;
    auto value = atv->read();
    if (!value || !atv->atEnd()) return std::nullopt;
    std::string name = der::oidToText(*oid);
    for (const auto& a : kAttributes)
        if (der::oidEquals(*oid, ByteView(a.oid.data(), a.length))) name = a.name;
    if (auto text = stringValue(*value)) return name + "=" + escape(*text);
    // Non-string values are shown as their DER in hex, the RFC 2253 "#" form.
    std::string hex = name + "=#";
    for (std::uint8_t b : value->whole) hex += fmt::format("{:02X}", b);
    return hex;
}

}  // namespace

std::string nameToText(ByteView nameDer)
{
    static const std::string kMalformed = "<malformed name>";
    der::Reader outer(nameDer);
    auto name = outer.sequence();
    if (!name || !outer.atEnd()) return kMalformed;
    std::vector<std::string> rdns;
    while (!name->atEnd()) {
        auto set = name->set();
        if (!set || set->atEnd()) return kMalformed;
        std::string rdn;
        while (!set->atEnd()) {
            auto text = attributeText(*set);
            if (!text) return kMalformed;
            if (!rdn.empty()) rdn += '+';
            rdn += *text;
        }
        rdns.push_back(std::move(rdn));
    }
    std::string out;
    for (auto it = rdns.rbegin(); it != rdns.rend(); ++it) {
        if (!out.empty()) out += ", ";
        out += *it;
    }
    return out;
}

std::vector<std::string> commonNames(ByteView nameDer)
{
    std::vector<std::string> out;
    der::Reader outer(nameDer);
    auto name = outer.sequence();
    if (!name) return out;
    while (!name->atEnd()) {
        auto set = name->set();
        if (!set) return out;
        while (!set->atEnd()) {
            auto atv = set->sequence();
            if (!atv) return out;
            auto type = atv->oid();
            if (!type) return out;
            auto value = atv->read();
            if (!value) return out;
            if (!der::oidEquals(*type, oid::kCommonName)) continue;
            if (auto text = stringValue(*value)) out.push_back(std::move(*text));
        }
    }
    return out;
}

}  // namespace wiiu::pki
