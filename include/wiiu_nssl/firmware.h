// The console firmware whose certificate verification is emulated, and the quirks a firmware has
// (docs/abi.md "Console verification quirks"; facts from PretendoNetwork/SSSL's README):
//  - a leaf whose name is a bare "*" matches any host name (every firmware);
//  - from 5.5.5, a CA in the presented chain that copies a trusted CA's subject and serial with
//    another key is accepted unchecked, and its own key verifies the certificate below it;
//  - a certificate of the presented chain that looks like a root (authority key id equal to its
//    subject key id) is ignored.
// The rules themselves are applied by the TLS engine (src/tls/console_quirks.h).
#pragma once

#include <wiiu_nssl/language.h>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include <wiiu_nssl/expected.h>

namespace wiiu::tls {
/// A Wii U system version, e.g. 5.5.6 (the region letter is not part of it).
struct Firmware {
    int major = 5;
    int minor = 5;
    int micro = 6;

    /// The last firmware Nintendo released, the default of nssl::Config.
    static constexpr Firmware latest() { return {5, 5, 6}; }
    /// The first firmware with the forged-CA path (March 2021).
    static constexpr Firmware forgedCaPath() { return {5, 5, 5}; }

    /// "X.Y.Z" with 1.0.0 <= version <= latest(); anything else gets a reason.
    static Expected<Firmware, std::string> parse(std::string_view text);
    std::string text() const;

    friend constexpr auto operator<=>(const Firmware&, const Firmware&) = default;
};

/// Which quirk a successful verification relied on (bits; 0 = none, plain X.509 accepted it).
namespace quirk {
inline constexpr std::uint32_t BareWildcardName = 0x1;
inline constexpr std::uint32_t ForgedCa = 0x2;
inline constexpr std::uint32_t RootInChainIgnored = 0x4;  ///< the chain as sent fails without it
}  // namespace quirk

/// The names joined by '+' ("bare-wildcard-name", "forged-ca", "root-in-chain-ignored"), or ""
/// for none.
std::string quirkNames(std::uint32_t quirks);
/// One sentence per quirk for operators ("accepted only through the 5.5.5 forged-CA path").
std::string quirkExplanation(std::uint32_t quirks);

/// True when `firmware` has the forged-CA path (5.5.5 and later).
bool hasForgedCaPath(const Firmware& firmware);

}  // namespace wiiu::tls
