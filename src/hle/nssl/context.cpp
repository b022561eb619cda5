#include "hle/nssl/context.h"

#include <algorithm>

#include "common/log.h"

namespace wiiu::nssl {

Context::Context(unsigned minVersion, unsigned maxVersion, std::vector<pki::Bytes> overlayCas)
    : minVersion_(minVersion), maxVersion_(maxVersion), overlay_(std::move(overlayCas))
{
}

bool Context::addCa(pki::Bytes der, std::int32_t certId)
{
    std::lock_guard lock(mutex_);
    if (std::any_of(cas_.begin(), cas_.end(), [&](const ContextCa& ca) { return ca.der == der; }))
        return false;
    cas_.push_back({std::move(der), certId});
    trust_.reset();
    return true;
}

std::vector<ContextCa> Context::cas() const
{
    std::lock_guard lock(mutex_);
    return cas_;
}

bool Context::hasClientIdentity() const
{
    std::lock_guard lock(mutex_);
    return identity_ != nullptr;
}

void Context::setClientIdentity(std::shared_ptr<const tls::ClientIdentity> identity)
{
    std::lock_guard lock(mutex_);
    identity_ = std::move(identity);
}

std::uint32_t Context::flags() const
{
    std::lock_guard lock(mutex_);
    return flags_;
}

void Context::changeFlags(std::uint32_t flags, bool set)
{
    std::lock_guard lock(mutex_);
    flags_ = set ? (flags_ | flags) : (flags_ & ~flags);
}

std::int32_t Context::mode() const
{
    std::lock_guard lock(mutex_);
    return mode_;
}

void Context::setMode(std::int32_t mode)
{
    std::lock_guard lock(mutex_);
    mode_ = mode;
}

void Context::addCrl(pki::Crl crl)
{
    std::lock_guard lock(mutex_);
    // Copy-on-write: connections hold the previous list while they verify.
    auto next = std::make_shared<std::vector<pki::Crl>>(*crls_);
    next->push_back(std::move(crl));
    crls_ = std::move(next);
}

ContextSnapshot Context::snapshot()
{
    std::lock_guard lock(mutex_);
    if (!trust_) {
        std::vector<pki::Bytes> all;
        all.reserve(cas_.size() + overlay_.size());
        for (const ContextCa& ca : cas_)
            all.push_back(ca.der);
        all.insert(all.end(), overlay_.begin(), overlay_.end());
        // Every certificate was checked when it was added, so building cannot fail; should it,
        // the connection gets an empty store and fails verification rather than trusting more.
        auto built = tls::TrustStore::fromDer(all);
        if (built) {
            trust_ = std::move(*built);
        } else {
            log::nssl().error("context trust store: certificate {} refused: {}", built.error().index,
                              built.error().reason);
            trust_ = *tls::TrustStore::fromDer({});
        }
        auto parsed = std::make_shared<std::vector<pki::Certificate>>();
        for (const auto& der : all)
            if (auto cert = pki::parseCertificate(der))
                parsed->push_back(std::move(*cert));
        parsedCas_ = std::move(parsed);
    }
    return ContextSnapshot{minVersion_, maxVersion_, trust_, identity_, flags_, crls_, parsedCas_};
}

}  // namespace wiiu::nssl
