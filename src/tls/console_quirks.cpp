#include "tls/console_quirks.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace wiiu::tls {

Expected<Firmware, std::string> Firmware::parse(std::string_view text)
{
    const auto malformed = [&] {
        return fail(fmt::format("'{}' is not a firmware version of the form X.Y.Z (e.g. 5.5.6)", text));
    };
    Firmware v{};
    int* parts[] = {&v.major, &v.minor, &v.micro};
    std::string_view rest = text;
    for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t dot = i < 2 ? rest.find('.') : rest.size();
        if (dot == std::string_view::npos) return malformed();
        const std::string_view digits = rest.substr(0, dot);
        // One or two digits, no sign (from_chars would take one) and no leading zero.
        if (digits.empty() || digits.size() > 2 || (digits.size() == 2 && digits[0] == '0') ||
            !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return malformed();
        std::from_chars(digits.data(), digits.data() + digits.size(), *parts[i]);
        rest.remove_prefix(std::min(rest.size(), dot + 1));
    }
    if (v < Firmware{1, 0, 0} || v > latest())
        return fail(fmt::format("unknown firmware {}: Wii U versions run from 1.0.0 to {}", v.text(),
                                latest().text()));
    return v;
}

std::string Firmware::text() const { return fmt::format("{}.{}.{}", major, minor, micro); }

namespace {

struct QuirkText {
    std::uint32_t bit;
    std::string_view name;
    std::string_view explanation;
};

// In the order names are joined and explained.
constexpr QuirkText kQuirks[] = {
    {quirk::BareWildcardName, "bare-wildcard-name",
     "host name matched only through the bare-* rule (a leaf named \"*\")"},
    {quirk::ForgedCa, "forged-ca",
     "accepted only through the 5.5.5 forged-CA path (a CA copying a trusted CA's subject and "
     "serial with another key)"},
    {quirk::RootInChainIgnored, "root-in-chain-ignored",
     "accepted only because the console ignores a root-looking certificate in the chain (authority "
     "key id equal to its subject key id); other clients refuse the chain as sent"},
};

std::string joined(std::uint32_t quirks, std::string_view QuirkText::*field, std::string_view separator)
{
    std::string out;
    for (const QuirkText& q : kQuirks) {
        if (!(quirks & q.bit)) continue;
        if (!out.empty()) out += separator;
        out += q.*field;
    }
    return out;
}

}  // namespace

std::string quirkNames(std::uint32_t quirks) { return joined(quirks, &QuirkText::name, "+"); }

std::string quirkExplanation(std::uint32_t quirks) { return joined(quirks, &QuirkText::explanation, "; "); }

bool hasForgedCaPath(const Firmware& firmware) { return firmware >= Firmware::forgedCaPath(); }

bool looksLikeRoot(const pki::Certificate& cert)
{
    return cert.authorityKeyId && cert.subjectKeyId && *cert.authorityKeyId == *cert.subjectKeyId;
}

bool hasBareWildcardName(const pki::Certificate& leaf)
{
    const auto star = [](const std::string& n) { return n == "*"; };
    return std::any_of(leaf.dnsNames.begin(), leaf.dnsNames.end(), star) ||
           std::ranges::any_of(pki::commonNames(leaf.subject), star);
}

bool forgesTrustedCa(const pki::Certificate& candidate, const pki::Certificate& trusted)
{
    return candidate.isCA && candidate.subject == trusted.subject && candidate.serial == trusted.serial &&
           candidate.spki != trusted.spki && candidate.authorityKeyId && !looksLikeRoot(candidate);
}

}  // namespace wiiu::tls
