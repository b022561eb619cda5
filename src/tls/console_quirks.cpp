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

std::string quirkNames(std::uint32_t quirks)
{
    std::string out;
    if (quirks & quirk::BareWildcardName) out = "bare-wildcard-name";
    if (quirks & quirk::ForgedCa) out += out.empty() ? "forged-ca" : "+forged-ca";
    return out;
}

std::string quirkExplanation(std::uint32_t quirks)
{
    std::string out;
    if (quirks & quirk::ForgedCa)
        out = "accepted only through the 5.5.5 forged-CA path (a CA copying a trusted CA's subject "
              "and serial with another key)";
    if (quirks & quirk::BareWildcardName)
        out += std::string(out.empty() ? "" : "; ") +
               "host name matched only through the bare-* rule (a leaf named \"*\")";
    return out;
}

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
