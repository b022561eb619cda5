// The nlibcurl bridge translates: context handles and std types in, the NSSL service's host-side
// calls (service_bridge.cpp) underneath, NSSL codes out. No verification logic lives here.
#include <wiiu_nssl/curl_bridge.h>

#include "hle/guest/caller.h"
#include "hle/nssl/connection.h"
#include "hle/nssl/service.h"
#include <wiiu_nssl/process.h>
#include "hle/process_state.h"

namespace wiiu::curl_bridge {

namespace {

tls::ClientIdentity::Hash engineHash(SignatureHash hash)
{
    using H = tls::ClientIdentity::Hash;
    switch (hash) {
    case SignatureHash::Md5Sha1: return H::Md5Sha1;
    case SignatureHash::Sha1: return H::Sha1;
    case SignatureHash::Sha224: return H::Sha224;
    case SignatureHash::Sha256: return H::Sha256;
    case SignatureHash::Sha384: return H::Sha384;
    case SignatureHash::Sha512: return H::Sha512;
    }
    return H::Sha256;
}

ClientCertificate clientCertificate(const std::shared_ptr<const tls::ClientIdentity>& identity, bool exportKey)
{
    ClientCertificate c;
    c.chain.assign(identity->chain().begin(), identity->chain().end());
    c.keyType = identity->isRsa() ? ClientCertificate::KeyType::Rsa : ClientCertificate::KeyType::Ec;
    c.sign = [identity](SignatureHash hash, std::span<const std::uint8_t> digest) {
        return identity->sign(engineHash(hash), digest);
    };
    if (exportKey)
        c.privateKeyDer.assign(identity->keyDer().begin(), identity->keyDer().end());
    return c;
}

}  // namespace

std::int32_t describeContext(Process& process, std::int32_t context, ContextDescription& out, DescribeOptions options)
{
    const guest::HostCallerScope hostCaller;
    auto view = process.state()->nssl().describeContext(nssl::ContextHandle{context});
    if (!view)
        return nssl::code(view.error());
    const nssl::ContextSnapshot& snap = view->snapshot;
    ContextDescription d;
    for (nssl::ContextCa& ca : view->cas) {
        const auto origin = ca.certId == -1 ? TrustedCa::Origin::External : TrustedCa::Origin::Internal;
        d.trustedCas.push_back({std::move(ca.der), origin, ca.certId});
    }
    for (pki::Bytes& der : view->extraCas)
        d.trustedCas.push_back({std::move(der), TrustedCa::Origin::Extra, -1});
    if (snap.identity)
        d.client = clientCertificate(snap.identity, options.exportPrivateKey);
    for (const pki::Crl& crl : *snap.crls)
        d.crls.push_back(crl.der);
    d.flags = snap.flags;
    d.mode = view->mode;
    d.minVersion = static_cast<std::uint16_t>(snap.minVersion);
    d.maxVersion = static_cast<std::uint16_t>(snap.maxVersion);
    d.acceptAnyCertificate = process.state()->nssl().config().verifyProfile == nssl::VerifyProfile::AcceptAny;
    out = std::move(d);
    return nssl::code(nssl::NsslError::OK);
}

Verdict verifyPeer(Process& process, std::int32_t context, std::string_view host, std::span<const Bytes> chain,
                   std::uint32_t options)
{
    const guest::HostCallerScope hostCaller;  // its now() comes from curl's worker thread
    auto judged = process.state()->nssl().verifyPeerChain(nssl::ContextHandle{context}, std::string(host), options, chain);
    if (!judged)
        return {nssl::code(judged.error()), tls::FailureReason::NoFailure, std::string(nssl::resultName(judged.error()))};
    if (!judged->failure) {
        Verdict accepted;
        accepted.quirks = judged->quirks;
        return accepted;
    }
    // The code a failed verification gives NSSLDoHandshake (Connection::drive).
    const nssl::NsslError code = nssl::toNsslError(tls::TlsStatus::HandshakeFailed);
    return {nssl::code(code), judged->failure.reason, std::move(judged->failure.text)};
}

}  // namespace wiiu::curl_bridge
