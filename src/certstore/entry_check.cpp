#include "certstore/entry_check.h"

#include <string>

namespace wiiu::certstore {

Expected<pki::Certificate, LoadError> checkEntry(const Entry& entry, std::string_view certName,
                                                 std::string_view keyName)
{
    auto cert = pki::parseCertificate(entry.certDer);
    if (!cert)
        return fail(LoadError{std::string(certName) + ": not a DER X.509 certificate (" + cert.error().what +
                              " at byte " + std::to_string(cert.error().offset) + ")"});
    if (!entry.hasKey()) return std::move(*cert);

    auto matches = pki::privateKeyMatches(entry.keyDer.view(), *cert);
    if (!matches)
        return fail(LoadError{std::string(keyName) + ": not a DER private key (" + matches.error().what + " at byte " +
                              std::to_string(matches.error().offset) + ")"});
    if (!*matches)
        return fail(LoadError{std::string(keyName) + ": private key does not match the certificate " +
                              std::string(certName)});
    return std::move(*cert);
}

}  // namespace wiiu::certstore
