// The NSSL service's contexts: creation and the certificates, CRLs and flags a guest puts on
// them (NSSLCreateContext, NSSLSetClientPKI*, NSSLAddServerPKI*, nn_nets2's context calls).
#include "hle/nssl/service.h"

#include "common/log.h"
#include "hle/nssl/crl_check.h"

namespace wiiu::nssl {

namespace {

/// NSSLCreateContext's version argument (docs/abi.md).
enum RequestedVersion : std::int32_t { Auto = 0, Tls10 = 1, Ssl30 = 2 };

}  // namespace

Result<ContextHandle> Service::createContext(std::int32_t version)
{
    std::lock_guard lock(mutex_);
    if (!ready_)
        return fail(NsslError::LIB_NOT_READY);
    if (version != Auto && version != Tls10 && version != Ssl30)
        return fail(NsslError::INVALID_ARG);
    unsigned maxVersion = BR_TLS12;
    if (config_.versionPolicy == VersionPolicy::Faithful) {
        maxVersion = BR_TLS10;
        if (version == Ssl30) {
            static std::once_flag once;
            std::call_once(once, [] {
                log::nssl().warn("a context asked for SSL 3.0, which BearSSL cannot speak: offering TLS 1.0");
            });
        }
    }
    auto handle = contexts_.insert(std::make_shared<Context>(BR_TLS10, maxVersion, config_.extraTrustedCas));
    if (!handle)
        return fail(NsslError::PROCESS_MAX_CONTEXTS);
    return *handle;
}

bool Service::permitted(const certstore::Entry& entry) const
{
    if (!config_.caller || entry.permissions.allows(*config_.caller))
        return true;
    log::nssl().warn("certificate {} ({}) refused: its permission list does not name title {:016x}, process {}",
                     entry.id, entry.name, config_.caller->titleId, config_.caller->processId);
    return false;
}

NsslError Service::setClientPki(ContextHandle ctx, std::int32_t certId)
{
    auto found = contextFor(ctx);
    if (!found)
        return found.error();
    Context* context = found->get();
    const certstore::Entry* entry = store_->find(certId);
    if (!entry || entry->kind != certstore::Kind::Client || !entry->hasKey())
        return NsslError::INVALID_CERT_ID;
    if (!permitted(*entry))
        return NsslError::CERT_NO_ACCESS;
    if (context->hasClientIdentity())
        return NsslError::CERT_LIMIT;
    auto identity = tls::ClientIdentity::create({entry->certDer}, entry->keyDer.view());
    if (!identity) {
        log::nssl().warn("client certificate {} from the store cannot be used: {}", certId, identity.error());
        return NsslError::CERT_STORE_ERROR;
    }
    context->setClientIdentity(std::move(*identity));
    return NsslError::OK;
}

NsslError Service::setClientPkiExternal(ContextHandle ctx, std::span<const std::uint8_t> cert, std::int32_t certType,
                                        std::span<const std::uint8_t> key, std::int32_t keyType)
{
    auto found = contextFor(ctx);
    if (!found)
        return found.error();
    Context* context = found->get();
    if (cert.empty() || key.empty())
        return NsslError::INVALID_ARG;
    if (certType != kCertTypeDer)
        return NsslError::INVALID_CERT_TYPE;
    if (keyType != kKeyTypeDer)
        return NsslError::INVALID_KEY_TYPE;
    if (cert.size() > config_.maxCertSize)
        return NsslError::CERT_SIZE_LIMIT;
    if (key.size() > config_.maxKeySize)
        return NsslError::PRIVATE_KEY_SIZE_LIMIT;
    auto parsed = pki::parseCertificate(cert);
    if (!parsed) {
        log::nssl().warn("NSSLSetClientPKIExternal: certificate refused: {} at byte {}", parsed.error().what,
                         parsed.error().offset);
        return NsslError::INVALID_CERT;
    }
    auto matches = pki::privateKeyMatches(key, *parsed);
    if (!matches || !*matches) {
        log::nssl().warn("NSSLSetClientPKIExternal: private key {}",
                         matches ? "does not match the certificate" : "cannot be decoded: " + matches.error().what);
        return NsslError::INVALID_PRIVATE_KEY;
    }
    if (context->hasClientIdentity())
        return NsslError::CERT_LIMIT;
    auto identity = tls::ClientIdentity::create({pki::Bytes(cert.begin(), cert.end())}, key);
    if (!identity) {
        log::nssl().warn("NSSLSetClientPKIExternal: {}", identity.error());
        return NsslError::INVALID_PRIVATE_KEY;
    }
    context->setClientIdentity(std::move(*identity));
    return NsslError::OK;
}

NsslError Service::addServerPki(ContextHandle ctx, std::int32_t certId)
{
    auto found = contextFor(ctx);
    if (!found)
        return found.error();
    Context* context = found->get();
    const certstore::Entry* entry = store_->find(certId);
    if (!entry || entry->kind != certstore::Kind::ServerCa)
        return NsslError::INVALID_CERT_ID;
    if (!permitted(*entry))
        return NsslError::CERT_NO_ACCESS;
    context->addCa(entry->certDer, entry->id);
    return NsslError::OK;
}

NsslError Service::countExternal()
{
    std::lock_guard lock(mutex_);
    if (externalCerts_ >= config_.maxExternalCerts)
        return NsslError::PROCESS_MAX_EXT_CERTS;
    ++externalCerts_;
    return NsslError::OK;
}

NsslError Service::addServerPkiExternal(ContextHandle ctx, std::span<const std::uint8_t> cert, std::int32_t certType)
{
    auto found = contextFor(ctx);
    if (!found)
        return found.error();
    Context* context = found->get();
    if (cert.empty())
        return NsslError::INVALID_ARG;
    if (certType != kCertTypeDer)
        return NsslError::INVALID_CERT_TYPE;
    if (cert.size() > config_.maxCertSize)
        return NsslError::CERT_SIZE_LIMIT;
    if (auto ok = tls::TrustStore::check(cert); !ok) {
        log::nssl().warn("NSSLAddServerPKIExternal: not a usable DER X.509 certificate: {}", ok.error());
        return NsslError::INVALID_CERT;
    }
    if (NsslError e = countExternal(); e != NsslError::OK)
        return e;
    context->addCa(pki::Bytes(cert.begin(), cert.end()));
    return NsslError::OK;
}

Result<GroupCounts> Service::addServerPkiGroups(ContextHandle ctx, std::uint32_t groupMask)
{
    auto context = contextFor(ctx);
    if (!context)
        return fail(context.error());
    GroupCounts counts;
    for (const certstore::Entry* entry : store_->inGroups(groupMask)) {
        if (entry->kind != certstore::Kind::ServerCa)
            continue;
        if (!permitted(*entry)) {
            ++counts.denied;
            continue;
        }
        (*context)->addCa(entry->certDer, entry->id);
        ++counts.added;
    }
    counts.missing = store_->missingInGroups(groupMask);
    if (counts.missing > 0) {
        const bool fresh = (groupMask & ~reportedGroups_.fetch_or(groupMask)) != 0;
        log::nssl().log(fresh ? spdlog::level::warn : spdlog::level::debug,
                        "NSSLAddServerPKIGroups({:#x}): {} certificates of those groups are missing from the "
                        "loaded store (dump your console's store with dump_certs)",
                        groupMask, counts.missing);
    }
    return counts;
}

NsslError Service::addCrlExternal(ContextHandle ctx, std::span<const std::uint8_t> crl, std::int32_t type)
{
    auto found = contextFor(ctx);
    if (!found)
        return found.error();
    Context* context = found->get();
    if (crl.empty())
        return NsslError::INVALID_ARG;
    if (type != kCertTypeDer)
        return NsslError::INVALID_CERT_TYPE;
    auto parsed = pki::parseCrl(crl);
    if (!parsed) {
        log::nssl().warn("NSSLAddCRLExternal: malformed CRL: {} at byte {}", parsed.error().what, parsed.error().offset);
        return NsslError::INVALID_ARG;
    }
    if (NsslError e = countExternal(); e != NsslError::OK)
        return e;
    context->addCrl(std::move(*parsed));
    return NsslError::OK;
}

NsslError Service::changeContextFlags(ContextHandle ctx, std::uint32_t flags, bool set)
{
    auto context = contextFor(ctx);
    if (!context)
        return context.error();
    if (flags & ~context_flag::All)
        return NsslError::INVALID_ARG;
    (*context)->changeFlags(flags, set);
    return NsslError::OK;
}

NsslError Service::setContextFlags(ContextHandle ctx, std::uint32_t flags)
{
    return changeContextFlags(ctx, flags, true);
}

NsslError Service::clearContextFlags(ContextHandle ctx, std::uint32_t flags)
{
    return changeContextFlags(ctx, flags, false);
}

Result<std::uint32_t> Service::contextFlags(ContextHandle ctx)
{
    auto context = contextFor(ctx);
    if (!context)
        return fail(context.error());
    return (*context)->flags();
}

NsslError Service::setContextMode(ContextHandle ctx, std::int32_t mode)
{
    auto found = contextFor(ctx);
    if (!found)
        return found.error();
    Context* context = found->get();
    if (context->mode() != mode)
        log::nssl().info("NSSLContextSetMode(ctx {}, mode {}): stored; its meaning on the console is unknown",
                         static_cast<std::int32_t>(ctx), mode);
    context->setMode(mode);
    return NsslError::OK;
}

Result<std::int32_t> Service::contextMode(ContextHandle ctx)
{
    auto context = contextFor(ctx);
    if (!context)
        return fail(context.error());
    return (*context)->mode();
}

}  // namespace wiiu::nssl
