// The X.509 wrapper the TLS engine hands to BearSSL: it buffers the peer chain as sent, keeps
// the DER (even when verification fails), and decides once, in end_chain, by the verify bits.
//
// How each combination of bits is verified (all through br_x509_minimal, never by hand):
//  - Chain (0x1): the buffered chain is run through br_x509_minimal against the trust store.
//    BearSSL always checks validity dates at the time it is given, so:
//      - with Dates (0x4) that time is the emulated clock;
//      - without Dates the dates are ignored, not relaxed: we validate at an instant inside the
//        validity window of every certificate (windows read by the PKI layer). Since BearSSL
//        ignores certificates after the one a trust anchor issued, we try the intersection of
//        the windows of the whole chain first, then of ever shorter prefixes; the first pass
//        that does not fail on dates decides. When no common instant exists (an old leaf under a
//        re-issued CA), each certificate is verified at an instant of its own window, against
//        the trust store or else against the next certificate as its issuer (CA flag checked;
//        path length and issuer key usage are only enforced by the one-instant passes).
//  - HostName (0x2) without Chain: the leaf alone is run through br_x509_minimal with a
//    direct-trust anchor made from the leaf itself (same DN, same key), which BearSSL accepts
//    without a signature and still name-checks (SAN dNSName, else CN).
//  - Dates (0x4) without Chain: the leaf's window is compared with the clock (PKI layer), and
//    the same direct-trust pass runs at the clock.
//  - Neither Chain nor HostName nor Dates: the leaf's public key is extracted with
//    br_x509_decoder and accepted for any usage.
//  - The host name checked is the configured one, whatever name BearSSL passes to start_chain;
//    so "SNI without name check" and "name check without SNI" both work.
//  - A host name that is an IP literal is checked against the leaf's iPAddress entries instead
//    (BearSSL knows only dNSName): the passes above run as if HostName were not set, then the
//    address must be among the entries (RFC 6125).
//  - With a console firmware in the policy, the console's quirks apply (tls/console_quirks.h,
//    x509_quirks.cpp): each is tried only after plain verification refused, so quirksUsed()
//    says which one an acceptance relied on.
//  - After the checks pass, the optional extra chain check (CRLs) sees the whole chain.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/bearssl.h"
#include "tls/console_quirks.h"
#include <wiiu_nssl/tls_failure.h>
#include "tls/trust_store.h"
#include "pki/types.h"

namespace wiiu::tls {

/// What to verify. The values are NSSL's connection option bits on purpose (docs/abi.md
/// "Verification and errors"), so the NSSL service passes the guest's options through as they are.
namespace verify {
inline constexpr std::uint32_t Chain = 0x1;
inline constexpr std::uint32_t HostName = 0x2;
inline constexpr std::uint32_t Dates = 0x4;
inline constexpr std::uint32_t All = Chain | HostName | Dates;
}  // namespace verify

/// Extra check on a chain that passed the normal ones (the CRL feature): the chain as the peer
/// sent it, leaf first. Return FailureReason::NoFailure to accept.
using ChainCheck = std::function<FailureReason(std::span<const pki::Bytes> chainDer)>;

struct VerifyPolicy {
    std::uint32_t flags = verify::All;
    std::string hostName;                     ///< checked when flags has HostName (or an IP literal)
    pki::UnixTime now = 0;                    ///< the emulated clock, used when flags has Dates
    int minRsaBytes = 128;                    ///< 128 = RSA-1024, the console era's size
    std::shared_ptr<const TrustStore> trust;  ///< used when flags has Chain
    ChainCheck extraCheck;                    ///< optional
    /// Verify as a console of this firmware does (its quirks, tls/console_quirks.h); nullopt =
    /// plain X.509, the "strict" setting.
    std::optional<Firmware> console;
};

class X509Verifier {
public:
    X509Verifier() = default;
    X509Verifier(const X509Verifier&) = delete;
    X509Verifier& operator=(const X509Verifier&) = delete;

    void setPolicy(VerifyPolicy policy) { policy_ = std::move(policy); }

    /// What to pass to br_ssl_engine_set_x509.
    const br_x509_class** vtable() { return &hook_.vtable; }
    /// Storage br_ssl_client_init_full initialises; reused for the verification passes.
    br_x509_minimal_context& minimal() { return minimal_; }

    /// The chain as last received (leaf first), kept whatever the verdict; of a chain over the
    /// size cap, the certificates that fit under it.
    std::span<const pki::Bytes> chain() const { return chain_; }
    /// True once the peer sent a Certificate message on this connection.
    bool chainReceived() const { return chainReceived_; }
    /// Why the last chain was refused; reason None when it was accepted.
    const TlsFailure& failure() const { return failure_; }
    /// The console quirks (quirk:: bits) the last accepted chain relied on; 0 when plain X.509
    /// accepted it, or when it was refused.
    std::uint32_t quirksUsed() const { return failure_ ? 0 : quirks_; }

    struct Window;  ///< a certificate's validity (internal)

private:
    struct Hook {  // BearSSL calls us with a pointer to the vtable pointer: it must come first
        const br_x509_class* vtable;
        X509Verifier* self;
    };

    static X509Verifier& from(const br_x509_class** ctx);
    static void cbStartChain(const br_x509_class** ctx, const char* serverName);
    static void cbStartCert(const br_x509_class** ctx, std::uint32_t length);
    static void cbAppend(const br_x509_class** ctx, const unsigned char* buf, std::size_t len);
    static void cbEndCert(const br_x509_class** ctx);
    static unsigned cbEndChain(const br_x509_class** ctx);
    static const br_x509_pkey* cbGetPkey(const br_x509_class* const* ctx, unsigned* usages);
    static const br_x509_class kVtable;

    unsigned decide();
    unsigned refuse(unsigned error, FailureReason reason, std::string text);
    unsigned refuseBearSsl(unsigned error);
    unsigned runMinimal(const br_x509_trust_anchor* anchors, std::size_t count,
                        std::span<const pki::Bytes> certs, const char* name, pki::UnixTime at,
                        bool keepLeafKey);
    using Anchors = std::span<const br_x509_trust_anchor>;
    unsigned runChain(Anchors anchors, std::span<const pki::Bytes> certs, const char* name);
    unsigned runChainWithoutDates(Anchors anchors, std::span<const pki::Bytes> certs, const char* name);
    unsigned runChainLinkByLink(Anchors anchors, std::span<const pki::Bytes> certs, const char* name,
                                std::span<const Window> windows);
    unsigned runConsoleChain(const char* name);                      // x509_quirks.cpp
    /// Plain, then the bare-wildcard and forged-CA rules over `certs`; sets quirks_.
    unsigned runConsoleRules(std::span<const pki::Bytes> certs, const char* name);
    unsigned runForgedCa(std::span<const pki::Bytes> certs, const char* name, bool star);
    Anchors trustAnchors() const;
    bool leafHasBareWildcard() const;
    FailureReason classifyDates(pki::UnixTime at) const;
    bool keepKey(const br_x509_pkey& key, unsigned usages);

    Hook hook_{&kVtable, this};
    VerifyPolicy policy_;
    br_x509_minimal_context minimal_{};
    std::vector<pki::Bytes> chain_;
    std::size_t chainBytes_ = 0;  ///< of the certificates kept
    // As the peer announced them, kept or not; sized to fit the padding before TlsFailure.
    std::uint32_t sentBytes_ = 0;
    std::uint16_t sentCerts_ = 0;  ///< saturates
    bool overflow_ = false;
    bool chainReceived_ = false;
    TlsFailure failure_;
    std::uint32_t quirks_ = 0;
    br_x509_pkey key_{};
    unsigned usages_ = 0;
    unsigned char keyBuf_[BR_X509_BUFSIZE_KEY]{};
};

}  // namespace wiiu::tls
