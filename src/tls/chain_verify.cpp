#include "tls/chain_verify.h"

#include <memory>

namespace wiiu::tls {

ChainVerdict verifyChain(VerifyPolicy policy, std::span<const pki::Bytes> chain)
{
    // On the heap: the verifier embeds BearSSL's X.509 context and a key buffer (several KiB).
    auto verifier = std::make_unique<X509Verifier>();
    const std::string name = policy.hostName;
    verifier->setPolicy(std::move(policy));
    br_x509_minimal_init_full(&verifier->minimal(), nullptr, 0);  // as br_ssl_client_init_full does
    const br_x509_class** vt = verifier->vtable();
    (*vt)->start_chain(vt, name.empty() ? nullptr : name.c_str());
    for (const pki::Bytes& der : chain) {
        (*vt)->start_cert(vt, static_cast<std::uint32_t>(der.size()));
        (*vt)->append(vt, der.data(), der.size());
        (*vt)->end_cert(vt);
    }
    const unsigned err = (*vt)->end_chain(vt);
    if (err == BR_ERR_OK)
        return {{}, verifier->quirksUsed()};
    TlsFailure failure = verifier->failure();
    if (!failure)  // every refusal of the verifier says why; keep BearSSL's word if one did not
        failure = failureFromBearSsl(static_cast<int>(err));
    return {failure, 0};
}

}  // namespace wiiu::tls
