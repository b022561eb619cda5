#include "hle/nssl/crl_check.h"

#include "tls/revocation.h"

namespace wiiu::nssl {

tls::ChainCheck makeCrlCheck(const ContextSnapshot& snapshot, pki::UnixTime now)
{
    if ((snapshot.flags & context_flag::All) == 0)
        return {};
    // A CRL may be signed by one of the context's CAs as well as by a certificate of the chain.
    return tls::revocationCheck({snapshot.crls, snapshot.caCertificates,
                                 (snapshot.flags & context_flag::RequireCrl) != 0, now});
}

}  // namespace wiiu::nssl
