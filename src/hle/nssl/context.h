// An NSSL context: what NSSLCreateContext returns. It gathers the trust the guest configures
// (internal and external CAs), at most one client certificate, the nn_nets2 flags, mode and CRLs,
// and the TLS version range. Connections take a snapshot of it when their handshake starts.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "tls/client_identity.h"
#include "tls/trust_store.h"
#include "pki/crl.h"
#include "pki/x509.h"
#include "common/module_lock.h"

namespace wiiu::nssl {

/// What a connection needs from its context, fixed when its handshake starts.
struct ContextSnapshot {
    unsigned minVersion = 0;
    unsigned maxVersion = 0;
    std::shared_ptr<const tls::TrustStore> trust;
    std::shared_ptr<const tls::ClientIdentity> identity;
    std::uint32_t flags = 0;
    std::shared_ptr<const std::vector<pki::Crl>> crls;
    std::shared_ptr<const std::vector<pki::Certificate>> caCertificates;  ///< parsed, for CRL checks
};

/// A CA the guest put on a context, and where from (the nlibcurl bridge reports it).
struct ContextCa {
    pki::Bytes der;
    std::int32_t certId = -1;  ///< the certificate store's ID; -1 for external DER
};

class Context {
public:
    Context(unsigned minVersion, unsigned maxVersion, std::vector<pki::Bytes> overlayCas);

    /// Adds a CA (DER, already checked to decode as an anchor), from the store when `certId` is
    /// not -1. The same certificate twice is kept once. Returns false if it was already there.
    bool addCa(pki::Bytes der, std::int32_t certId = -1);
    /// The guest's CAs in the order added, and Config::extraTrustedCas (fixed at creation).
    std::vector<ContextCa> cas() const;
    const std::vector<pki::Bytes>& overlayCas() const { return overlay_; }

    bool hasClientIdentity() const;
    void setClientIdentity(std::shared_ptr<const tls::ClientIdentity> identity);

    std::uint32_t flags() const;
    /// ORs `flags` in (set) or clears them, in one step under the context's lock.
    void changeFlags(std::uint32_t flags, bool set);
    std::int32_t mode() const;
    void setMode(std::int32_t mode);
    void addCrl(pki::Crl crl);

    /// The trust store (guest CAs + the configured overlay) and everything else a handshake
    /// needs. The trust store is rebuilt only when the CA set changed since the last snapshot.
    ContextSnapshot snapshot();

private:
    mutable ModuleMutex mutex_;
    unsigned minVersion_;
    unsigned maxVersion_;
    std::vector<ContextCa> cas_;
    const std::vector<pki::Bytes> overlay_;
    std::shared_ptr<const tls::TrustStore> trust_;  ///< cache; null when stale
    std::shared_ptr<const std::vector<pki::Certificate>> parsedCas_;
    std::shared_ptr<const tls::ClientIdentity> identity_;
    std::uint32_t flags_ = 0;
    std::int32_t mode_ = 0;
    std::shared_ptr<const std::vector<pki::Crl>> crls_ = std::make_shared<std::vector<pki::Crl>>();
};

}  // namespace wiiu::nssl
