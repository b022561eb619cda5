#include "tls/x509_verifier.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "pki/x509.h"
#include "tls/host_name.h"

namespace wiiu::tls {

namespace {

// A peer cannot make us buffer without bound: real chains are a few KiB (docs/abi.md, chosen).
constexpr std::size_t kMaxChainCerts = 16;
constexpr std::size_t kMaxChainBytes = 64 * 1024;

}  // namespace

struct X509Verifier::Window {
    pki::UnixTime notBefore = std::numeric_limits<pki::UnixTime>::min();
    pki::UnixTime notAfter = std::numeric_limits<pki::UnixTime>::max();
    bool known = false;
};

namespace {

using Window = X509Verifier::Window;

Window windowOf(const pki::Bytes& der)
{
    Window w;
    // A certificate the PKI layer refuses leaves its window open; BearSSL remains the judge.
    if (auto cert = pki::parseCertificate(der)) {
        w.notBefore = cert->notBefore;
        w.notAfter = cert->notAfter;
        w.known = true;
    }
    return w;
}

void setMinimalTime(br_x509_minimal_context& ctx, pki::UnixTime t)
{
    // BearSSL counts days from 0000-01-01 (proleptic Gregorian); 1970-01-01 is day 719528.
    pki::UnixTime days = t / 86400;
    pki::UnixTime secs = t % 86400;
    if (secs < 0) secs += 86400, days -= 1;
    days += 719528;
    days = std::clamp<pki::UnixTime>(days, 0, std::numeric_limits<std::uint32_t>::max());
    br_x509_minimal_set_time(&ctx, static_cast<std::uint32_t>(days),
                             static_cast<std::uint32_t>(secs));
}

}  // namespace

const br_x509_class X509Verifier::kVtable = {
    sizeof(Hook),  // BearSSL never allocates it; informational
    &X509Verifier::cbStartChain,
    &X509Verifier::cbStartCert,
    &X509Verifier::cbAppend,
    &X509Verifier::cbEndCert,
    &X509Verifier::cbEndChain,
    &X509Verifier::cbGetPkey,
};

X509Verifier& X509Verifier::from(const br_x509_class** ctx)
{
    // ctx points at Hook::vtable, the first member of a standard-layout struct.
    return *reinterpret_cast<Hook*>(ctx)->self;
}

void X509Verifier::cbStartChain(const br_x509_class** ctx, const char* /*serverName*/)
{
    // The engine's name is the SNI one; the name we check comes from the policy instead.
    X509Verifier& self = from(ctx);
    self.chain_.clear();
    self.chainBytes_ = 0;
    self.sentCerts_ = 0;
    self.sentBytes_ = 0;
    self.overflow_ = false;
    self.chainReceived_ = true;
    self.failure_ = {};
    self.quirks_ = 0;
    self.usages_ = 0;
}

void X509Verifier::cbStartCert(const br_x509_class** ctx, std::uint32_t length)
{
    X509Verifier& self = from(ctx);
    // Counted past the cap too (saturating), so the refusal can say what was sent.
    if (self.sentCerts_ < UINT16_MAX) ++self.sentCerts_;
    self.sentBytes_ = length > UINT32_MAX - self.sentBytes_ ? UINT32_MAX : self.sentBytes_ + length;
    if (self.overflow_ || self.chain_.size() >= kMaxChainCerts ||
        self.chainBytes_ + length > kMaxChainBytes) {
        self.overflow_ = true;
        return;
    }
    try {
        self.chain_.emplace_back().reserve(length);
    } catch (...) {  // nothing may unwind through BearSSL's C frames
        self.overflow_ = true;
    }
}

void X509Verifier::cbAppend(const br_x509_class** ctx, const unsigned char* buf, std::size_t len)
{
    X509Verifier& self = from(ctx);
    if (self.overflow_ || self.chain_.empty()) return;
    try {
        self.chain_.back().insert(self.chain_.back().end(), buf, buf + len);
        self.chainBytes_ += len;
    } catch (...) {
        self.overflow_ = true;
    }
}

void X509Verifier::cbEndCert(const br_x509_class** /*ctx*/) {}

unsigned X509Verifier::cbEndChain(const br_x509_class** ctx)
{
    X509Verifier& self = from(ctx);
    try {
        return self.decide();
    } catch (...) {  // an allocation or the extra check threw: refuse, never unwind into C
        return self.refuse(BR_ERR_X509_LIMIT_EXCEEDED, FailureReason::Internal,
                           "internal error while verifying the chain");
    }
}

const br_x509_pkey* X509Verifier::cbGetPkey(const br_x509_class* const* ctx, unsigned* usages)
{
    auto& self = from(const_cast<const br_x509_class**>(ctx));
    if (usages) *usages = self.usages_;
    return self.usages_ ? &self.key_ : nullptr;
}

unsigned X509Verifier::refuse(unsigned error, FailureReason reason, std::string text)
{
    failure_.reason = reason;
    failure_.bearsslError = static_cast<int>(error);
    failure_.text = std::move(text);
    usages_ = 0;
    return error;
}

unsigned X509Verifier::refuseBearSsl(unsigned error)
{
    TlsFailure f = failureFromBearSsl(static_cast<int>(error));
    if (error == BR_ERR_X509_EXPIRED && (policy_.flags & verify::Dates)) {
        f.reason = classifyDates(policy_.now);
        f.text = f.reason == FailureReason::NotYetValid
                     ? "a certificate is not yet valid (BR_ERR_X509_EXPIRED)"
                     : "a certificate has expired (BR_ERR_X509_EXPIRED)";
    }
    return refuse(error, f.reason, std::move(f.text));
}

FailureReason X509Verifier::classifyDates(pki::UnixTime at) const
{
    // The first certificate, leaf first, whose window excludes `at` says which way it failed.
    for (const auto& der : chain_) {
        Window w = windowOf(der);
        if (!w.known) continue;
        if (at < w.notBefore) return FailureReason::NotYetValid;
        if (at > w.notAfter) return FailureReason::Expired;
    }
    return FailureReason::Expired;
}

unsigned X509Verifier::runMinimal(const br_x509_trust_anchor* anchors, std::size_t count,
                                  std::span<const pki::Bytes> certs, const char* name,
                                  pki::UnixTime at, bool keepLeafKey)
{
    br_x509_minimal_init_full(&minimal_, anchors, count);
    // init_full wires the portable i31 RSA and ECDSA code; use the fastest this build has
    // (i62 / ec_all_m31 on x86-64), as br_ssl_client_init_full does for the engine's own
    // checks: i31 made each chain signature ~1.5x dearer (bench/, docs/performance.md).
    br_x509_minimal_set_rsa(&minimal_, br_rsa_pkcs1_vrfy_get_default());
    br_x509_minimal_set_ecdsa(&minimal_, br_ec_get_default(), br_ecdsa_vrfy_asn1_get_default());
    br_x509_minimal_set_minrsa(&minimal_, policy_.minRsaBytes);
    setMinimalTime(minimal_, at);
    const br_x509_class** x = &minimal_.vtable;
    (*x)->start_chain(x, name);
    for (const auto& der : certs) {
        (*x)->start_cert(x, static_cast<std::uint32_t>(der.size()));
        (*x)->append(x, der.data(), der.size());
        (*x)->end_cert(x);
    }
    unsigned err = (*x)->end_chain(x);
    if (err != BR_ERR_OK || !keepLeafKey) return err;
    unsigned usages = 0;
    const br_x509_pkey* pk = (*x)->get_pkey(x, &usages);
    if (!pk || !keepKey(*pk, usages))
        return BR_ERR_X509_UNSUPPORTED;
    return BR_ERR_OK;
}

X509Verifier::Anchors X509Verifier::trustAnchors() const
{
    return policy_.trust ? policy_.trust->anchors() : Anchors{};
}

unsigned X509Verifier::runChain(Anchors anchors, std::span<const pki::Bytes> certs, const char* name)
{
    if (policy_.flags & verify::Dates)
        return runMinimal(anchors.data(), anchors.size(), certs, name, policy_.now, true);
    return runChainWithoutDates(anchors, certs, name);
}

unsigned X509Verifier::runChainWithoutDates(Anchors anchors, std::span<const pki::Bytes> certs,
                                            const char* name)
{
    std::vector<Window> windows;
    windows.reserve(certs.size());
    for (const auto& der : certs) windows.push_back(windowOf(der));

    std::optional<pki::UnixTime> lastTried;
    unsigned err = BR_ERR_X509_EXPIRED;
    for (std::size_t k = certs.size(); k >= 1; --k) {
        pki::UnixTime lo = std::numeric_limits<pki::UnixTime>::min();
        pki::UnixTime hi = std::numeric_limits<pki::UnixTime>::max();
        for (std::size_t i = 0; i < k; ++i) {
            lo = std::max(lo, windows[i].notBefore);
            hi = std::min(hi, windows[i].notAfter);
        }
        if (lo > hi) continue;
        // Any instant of [lo, hi] will do; prefer the clock when it lies inside (no window known
        // at all), otherwise the middle of the intersection.
        pki::UnixTime at = (policy_.now >= lo && policy_.now <= hi) ? policy_.now
                                                                     : lo / 2 + hi / 2;
        if (lastTried && *lastTried == at) continue;
        lastTried = at;
        err = runMinimal(anchors.data(), anchors.size(), certs, name, at, true);
        if (err != BR_ERR_X509_EXPIRED) return err;
    }
    return runChainLinkByLink(anchors, certs, name, windows);
}

unsigned X509Verifier::runChainLinkByLink(Anchors anchors, std::span<const pki::Bytes> certs,
                                          const char* name, std::span<const Window> windows)
{
    // No single instant fits: verify each certificate at a time of its own, against the trust
    // store first and otherwise against the next certificate as its issuer. Path-length and
    // issuer key-usage constraints are not enforced on this path (BearSSL only enforces them
    // within one pass); the CA flag of every issuer used is.
    for (std::size_t i = 0; i < certs.size(); ++i) {
        const Window& w = windows[i];
        const pki::UnixTime at = w.known ? w.notBefore / 2 + w.notAfter / 2 : policy_.now;
        const char* certName = i == 0 ? name : nullptr;
        std::span<const pki::Bytes> one(&certs[i], 1);
        unsigned err = runMinimal(anchors.data(), anchors.size(), one, certName, at, i == 0);
        if (err == BR_ERR_OK) return BR_ERR_OK;  // reached a trust anchor
        if (err != BR_ERR_X509_NOT_TRUSTED) return err;
        if (i + 1 == certs.size()) return err;
        auto issuer = OwnedAnchor::decode(certs[i + 1]);
        if (!issuer) return BR_ERR_X509_NOT_TRUSTED;
        if (!issuer->isCA()) return BR_ERR_X509_NOT_CA;
        const br_x509_trust_anchor link = issuer->anchor(BR_X509_TA_CA);
        err = runMinimal(&link, 1, one, certName, at, i == 0);
        if (err != BR_ERR_OK) return err;
    }
    return BR_ERR_X509_NOT_TRUSTED;
}

bool X509Verifier::keepKey(const br_x509_pkey& key, unsigned usages)
{
    // Copied: the key BearSSL hands out lives in a context we reuse.
    key_ = {};
    key_.key_type = key.key_type;
    if (key.key_type == BR_KEYTYPE_RSA) {
        if (key.key.rsa.nlen + key.key.rsa.elen > sizeof keyBuf_) return false;
        std::memcpy(keyBuf_, key.key.rsa.n, key.key.rsa.nlen);
        std::memcpy(keyBuf_ + key.key.rsa.nlen, key.key.rsa.e, key.key.rsa.elen);
        key_.key.rsa = {keyBuf_, key.key.rsa.nlen, keyBuf_ + key.key.rsa.nlen, key.key.rsa.elen};
    } else if (key.key_type == BR_KEYTYPE_EC) {
        if (key.key.ec.qlen > sizeof keyBuf_) return false;
        std::memcpy(keyBuf_, key.key.ec.q, key.key.ec.qlen);
        key_.key.ec = {key.key.ec.curve, keyBuf_, key.key.ec.qlen};
    } else {
        return false;
    }
    usages_ = usages;
    return true;
}

unsigned X509Verifier::decide()
{
    if (overflow_ && (sentCerts_ > kMaxChainCerts || sentBytes_ > kMaxChainBytes))
        return refuse(BR_ERR_X509_LIMIT_EXCEEDED, FailureReason::ChainTooLarge,
                      fmt::format("the peer sent {} certificates ({} bytes), more than the {} "
                                  "certificates / {} bytes accepted; the first {} are kept",
                                  sentCerts_, sentBytes_, kMaxChainCerts, kMaxChainBytes,
                                  chain_.size()));
    if (overflow_)
        return refuse(BR_ERR_X509_LIMIT_EXCEEDED, FailureReason::Internal,
                      "out of memory while buffering the peer chain");
    if (chain_.empty())
        return refuse(BR_ERR_X509_EMPTY_CHAIN, FailureReason::NoCertificate,
                      "peer sent no certificate");

    std::uint32_t flags = policy_.flags;
    // BearSSL matches names against dNSName only: an IP literal is matched against the leaf's
    // iPAddress entries once the passes below, run without a name, have accepted the chain.
    std::optional<pki::Bytes> address;
    if (flags & verify::HostName) address = ipLiteral(policy_.hostName);
    if (address) flags &= ~verify::HostName;
    const char* name = nullptr;
    if (flags & verify::HostName) {
        if (policy_.hostName.empty())
            return refuse(BR_ERR_X509_BAD_SERVER_NAME, FailureReason::NameMismatch,
                          "host name check requested without a host name");
        name = policy_.hostName.c_str();
    }

    unsigned err = BR_ERR_OK;
    if (flags & verify::Chain) {
        err = policy_.console ? runConsoleChain(name) : runChain(trustAnchors(), chain_, name);
    } else if (flags & (verify::HostName | verify::Dates)) {
        // Direct trust in the leaf itself: no signature checked, name and key still processed.
        auto self = OwnedAnchor::decode(chain_.front());
        if (!self)
            return refuse(BR_ERR_X509_INVALID_VALUE, FailureReason::Malformed, self.error());
        const Window leaf = windowOf(chain_.front());
        pki::UnixTime at = policy_.now;
        if (flags & verify::Dates) {
            if (leaf.known && at < leaf.notBefore)
                return refuse(BR_ERR_X509_EXPIRED, FailureReason::NotYetValid,
                              "the certificate is not yet valid (BR_ERR_X509_EXPIRED)");
            if (leaf.known && at > leaf.notAfter)
                return refuse(BR_ERR_X509_EXPIRED, FailureReason::Expired,
                              "the certificate has expired (BR_ERR_X509_EXPIRED)");
        } else if (leaf.known) {
            at = leaf.notBefore / 2 + leaf.notAfter / 2;
        }
        const br_x509_trust_anchor direct = self->anchor(0);
        err = runMinimal(&direct, 1, chain_, name, at, true);
        if (err == BR_ERR_X509_BAD_SERVER_NAME && policy_.console && leafHasBareWildcard() &&
            runMinimal(&direct, 1, chain_, nullptr, at, true) == BR_ERR_OK) {
            err = BR_ERR_OK;
            quirks_ = quirk::BareWildcardName;
        }
    } else {
        br_x509_decoder_context dc;
        br_x509_decoder_init(&dc, nullptr, nullptr);
        br_x509_decoder_push(&dc, chain_.front().data(), chain_.front().size());
        const br_x509_pkey* pk = br_x509_decoder_get_pkey(&dc);
        if (!pk) return refuseBearSsl(static_cast<unsigned>(br_x509_decoder_last_error(&dc)));
        if (!keepKey(*pk, BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN))
            return refuse(BR_ERR_X509_UNSUPPORTED, FailureReason::UnsupportedKey,
                          "unsupported public key in the peer certificate");
    }
    if (err != BR_ERR_OK) return refuseBearSsl(err);
    if (address) {
        auto leaf = pki::parseCertificate(chain_.front());
        if (!leaf)
            return refuse(BR_ERR_X509_NOT_TRUSTED, FailureReason::Malformed,
                          "the certificate's iPAddress entries cannot be read: " + leaf.error().what);
        const auto& ips = leaf->ipAddresses;
        if (std::find(ips.begin(), ips.end(), *address) == ips.end())
            return refuse(BR_ERR_X509_NOT_TRUSTED, FailureReason::NameMismatch,
                          fmt::format("{} is not among the certificate's iPAddress entries",
                                      policy_.hostName));
    }

    if (policy_.extraCheck) {
        FailureReason extra = policy_.extraCheck(chain_);
        if (extra != FailureReason::NoFailure)
            return refuse(BR_ERR_X509_NOT_TRUSTED, extra,
                          fmt::format("refused by the extra chain check ({})",
                                      failureReasonName(extra)));
    }
    return BR_ERR_OK;
}

}  // namespace wiiu::tls
