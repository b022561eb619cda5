#include "hle/nssl/service.h"

#include <algorithm>

#include "common/log.h"
#include "hle/nssl/crl_check.h"
#include "hle/nsysnet/socket_table.h"

namespace wiiu::nssl {

namespace {

/// NSSLCreateContext's version argument (docs/abi.md).
enum RequestedVersion : std::int32_t { Auto = 0, Tls10 = 1, Ssl30 = 2 };

constexpr std::uint32_t kKnownOptions = tls::verify::All;

}  // namespace

Service::Service(Config config, std::shared_ptr<const certstore::CertStore> store, nsysnet::SocketTable& sockets,
                 guest::EmbeddingHooks& hooks)
    : config_(std::move(config)), store_(std::move(store)), sockets_(sockets), hooks_(hooks),
      contexts_(config_.maxContexts), connections_(config_.maxConnections), sessions_(config_.maxSessions)
{
    if (!store_)
        store_ = *certstore::CertStore::create({});
}

Service::~Service()
{
    teardown_.signal();
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(mutex_);
        open = connections_.clear();
        sessions_.clear();
        contexts_.clear();
    }
    teardown(std::move(open));
}

void Service::teardown(std::vector<std::shared_ptr<Connection>> connections)
{
    for (auto& c : connections) {
        c->interrupt();
        c->shutdown();
    }
}

NsslError Service::init()
{
    std::lock_guard lock(mutex_);
    ready_ = true;
    return NsslError::OK;
}

bool Service::ready() const
{
    std::lock_guard lock(mutex_);
    return ready_;
}

NsslError Service::finish()
{
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(mutex_);
        if (!ready_)
            return NsslError::LIB_NOT_READY;
        ready_ = false;
        open = connections_.clear();
        sessions_.clear();
        contexts_.clear();
        externalCerts_ = 0;
    }
    teardown(std::move(open));
    return NsslError::OK;
}

Result<std::shared_ptr<Context>> Service::contextFor(ContextHandle ctx)
{
    std::lock_guard lock(mutex_);
    if (!ready_)
        return fail(NsslError::LIB_NOT_READY);
    auto context = contexts_.find(ctx);
    if (!context)
        return fail(NsslError::INVALID_NSSL_CONTEXT);
    return context;
}

Result<std::shared_ptr<Connection>> Service::connectionFor(ConnectionHandle conn)
{
    std::lock_guard lock(mutex_);
    if (!ready_)
        return fail(NsslError::LIB_NOT_READY);
    auto connection = connections_.find(conn);
    if (!connection)
        return fail(NsslError::INVALID_NSSL_CONNECTION);
    return connection;
}

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

NsslError Service::destroyContext(ContextHandle ctx)
{
    std::vector<std::shared_ptr<Connection>> orphans;
    {
        std::lock_guard lock(mutex_);
        if (!ready_)
            return NsslError::LIB_NOT_READY;
        auto context = contexts_.erase(ctx);
        if (!context)
            return NsslError::INVALID_NSSL_CONTEXT;
        // Its connections go with it (docs/abi.md: chosen).
        std::vector<ConnectionHandle> handles;
        connections_.forEach([&](ConnectionHandle h, const std::shared_ptr<Connection>& c) {
            if (c->context() == context)
                handles.push_back(h);
        });
        for (ConnectionHandle h : handles)
            orphans.push_back(connections_.erase(h));
    }
    teardown(std::move(orphans));
    return NsslError::OK;
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
    context->addCa(entry->certDer);
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
        (*context)->addCa(entry->certDer);
        ++counts.added;
    }
    counts.missing = store_->missingInGroups(groupMask);
    if (counts.missing > 0)
        log::nssl().warn("NSSLAddServerPKIGroups({:#x}): {} certificates of those groups are missing from the "
                         "loaded store (dump your console's store with dump_certs)",
                         groupMask, counts.missing);
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

Result<ConnectionHandle> Service::createConnection(ContextHandle ctx, std::string host, std::uint32_t options,
                                               std::int32_t socketFd, bool blocking)
{
    auto context = contextFor(ctx);
    if (!context)
        return fail(context.error());
    auto socket = sockets_.find(socketFd);
    if (!socket || !socket->isStream())
        return fail(NsslError::INVALID_FD);
    if (options & ~kKnownOptions) {
        static std::once_flag once;
        std::call_once(once, [options] {
            log::nssl().warn("NSSLCreateConnection: unknown option bits {:#x} ignored", options & ~kKnownOptions);
        });
    }
    auto connection = std::make_shared<Connection>(
        *context, std::make_shared<SocketTransport>(std::move(socket)), std::move(host),
        options & kKnownOptions, blocking, ConnectionEnvironment{config_, hooks_, teardown_});
    std::lock_guard lock(mutex_);
    // NSSLFinish or NSSLDestroyContext may have run since the lookup: a connection inserted now
    // would outlive its context (the connection is destroyed unused when this returns).
    if (!ready_)
        return fail(NsslError::LIB_NOT_READY);
    if (contexts_.find(ctx) != *context)
        return fail(NsslError::INVALID_NSSL_CONTEXT);
    auto handle = connections_.insert(std::move(connection));
    if (!handle)
        return fail(NsslError::PROCESS_MAX_CONNECTIONS);
    return *handle;
}

NsslError Service::destroyConnection(ConnectionHandle conn)
{
    std::shared_ptr<Connection> connection;
    {
        std::lock_guard lock(mutex_);
        if (!ready_)
            return NsslError::LIB_NOT_READY;
        connection = connections_.erase(conn);
    }
    if (!connection)
        return NsslError::INVALID_NSSL_CONNECTION;
    connection->interrupt();
    return connection->shutdown();
}

NsslError Service::doHandshake(ConnectionHandle conn)
{
    auto connection = connectionFor(conn);
    if (!connection)
        return connection.error();
    return (*connection)->handshake();
}

Result<std::size_t> Service::read(ConnectionHandle conn, std::span<std::uint8_t> buffer)
{
    auto connection = connectionFor(conn);
    if (!connection)
        return fail(connection.error());
    return (*connection)->read(buffer);
}

Result<std::size_t> Service::write(ConnectionHandle conn, std::span<const std::uint8_t> data)
{
    auto connection = connectionFor(conn);
    if (!connection)
        return fail(connection.error());
    return (*connection)->write(data);
}

Result<std::size_t> Service::pending(ConnectionHandle conn)
{
    return onConnection(conn, [](Connection& c) { return c.pending(); });
}

Result<std::vector<pki::Bytes>> Service::peerChain(ConnectionHandle conn)
{
    return onConnection(conn, [](Connection& c) { return c.peerChain(); });
}

Result<pki::Bytes> Service::peerCertificate(ConnectionHandle conn)
{
    auto chain = peerChain(conn);
    if (!chain)
        return fail(chain.error());
    if (chain->empty())
        return fail(NsslError::NO_PEER_CERT);
    return std::move(chain->front());
}

Result<CipherInfo> Service::cipherInfo(ConnectionHandle conn)
{
    auto connection = connectionFor(conn);
    if (!connection)
        return fail(connection.error());
    auto cipher = (*connection)->cipher();
    if (!cipher)
        return fail(NsslError::NO_CIPHER);
    return std::move(*cipher);
}

Result<bool> Service::resumed(ConnectionHandle conn)
{
    return onConnection(conn, [](Connection& c) { return c.resumed(); });
}

Result<tls::TlsFailure> Service::failure(ConnectionHandle conn)
{
    return onConnection(conn, [](Connection& c) { return c.failure(); });
}

Result<std::string> Service::keyLogLine(ConnectionHandle conn)
{
    return onConnection(conn, [](Connection& c) { return c.keyLogLine(); });
}

Result<SessionHandle> Service::getSession(ConnectionHandle conn)
{
    auto found = connectionFor(conn);
    if (!found)
        return fail(found.error());
    Connection& connection = **found;
    auto parameters = connection.sessionParameters();
    if (!parameters)
        return fail(NsslError::NO_SESSION);  // no completed handshake, or the server gave no session ID
    std::vector<pki::Bytes> chain = connection.peerChain();

    auto session = std::make_shared<Session>();
    session->context = connection.context();
    session->parameters = std::move(*parameters);
    session->peerChain = std::move(chain);
    session->references = 1;

    std::lock_guard lock(mutex_);
    // NSSLFinish or NSSLDestroyConnection may have run since the lookup: a session handed out
    // now would outlive the library state it belongs to.
    if (!ready_)
        return fail(NsslError::LIB_NOT_READY);
    if (connections_.find(conn) != *found)
        return fail(NsslError::INVALID_NSSL_CONNECTION);
    // The same connection asked before and its own session still holds that handle: one more
    // reference to it (a freed handle may since hold another connection's session).
    const auto& obtained = connection.obtainedSession();
    if (auto existing = sessions_.find(obtained.handle); existing && existing == obtained.session.lock()) {
        ++existing->references;
        return obtained.handle;
    }
    auto handle = sessions_.insert(session);
    if (!handle)
        return fail(NsslError::RESOURCE_LIMIT);
    connection.rememberObtainedSession(*handle, session);
    return *handle;
}

NsslError Service::setSession(ConnectionHandle conn, SessionHandle session)
{
    auto connection = connectionFor(conn);
    if (!connection)
        return connection.error();
    std::shared_ptr<Session> s;
    {
        std::lock_guard lock(mutex_);
        s = sessions_.find(session);
    }
    if (!s || s->context.lock() != (*connection)->context())
        return NsslError::INVALID_NSSL_SESSION;  // freed, never issued, or of another context
    if (s->removed)
        return NsslError::NO_SESSION;
    return (*connection)->offerSession(std::move(s));
}

NsslError Service::freeSession(SessionHandle session)
{
    std::lock_guard lock(mutex_);
    if (!ready_)
        return NsslError::LIB_NOT_READY;
    auto s = sessions_.find(session);
    if (!s)
        return NsslError::INVALID_NSSL_SESSION;
    if (--s->references <= 0)
        sessions_.erase(session);
    return NsslError::OK;
}

NsslError Service::removeSession(SessionHandle session)
{
    std::lock_guard lock(mutex_);
    if (!ready_)
        return NsslError::LIB_NOT_READY;
    auto s = sessions_.find(session);
    if (!s)
        return NsslError::INVALID_NSSL_SESSION;
    s->removed = true;
    return NsslError::OK;
}

namespace {

NsslError exportErrorCode(certstore::ExportError e)
{
    switch (e) {
    case certstore::ExportError::UnknownId:
        return NsslError::INVALID_CERT_ID2;
    case certstore::ExportError::NoAccess:
        return NsslError::CERT_NO_ACCESS;
    case certstore::ExportError::NotExportable:
        return NsslError::CERT_NOT_EXPORTABLE;
    case certstore::ExportError::WrongType:
        return NsslError::INVALID_CERT_TYPE;
    case certstore::ExportError::WrongEncoding:
        return NsslError::INVALID_CERT_ENCODING;
    }
    return NsslError::CERT_STORE_ERROR;
}

}  // namespace

Result<std::span<const std::uint8_t>> Service::exportServerCertificate(std::int32_t certId)
{
    {
        std::lock_guard lock(mutex_);
        if (!ready_)
            return fail(NsslError::LIB_NOT_READY);
    }
    auto der = store_->exportServerCertificate(certId, config_.caller ? &*config_.caller : nullptr);
    if (!der)
        return fail(exportErrorCode(der.error()));
    return *der;
}

Result<certstore::ClientExport> Service::exportClientCertificate(std::int32_t certId)
{
    {
        std::lock_guard lock(mutex_);
        if (!ready_)
            return fail(NsslError::LIB_NOT_READY);
    }
    auto exported = store_->exportClientCertificate(certId, config_.caller ? &*config_.caller : nullptr);
    if (!exported)
        return fail(exportErrorCode(exported.error()));
    return *exported;
}

Service::Status Service::status()
{
    std::vector<std::pair<ConnectionHandle, std::shared_ptr<Connection>>> open;
    Status s;
    {
        std::lock_guard lock(mutex_);
        contexts_.forEach([&](ContextHandle h, const auto&) { s.contexts.push_back(static_cast<std::int32_t>(h)); });
        connections_.forEach([&](ConnectionHandle h, const auto& c) { open.emplace_back(h, c); });
        s.sessions = sessions_.size();
    }
    for (const auto& [handle, connection] : open)
        s.connections.push_back(connection->status(static_cast<std::int32_t>(handle)));
    return s;
}

}  // namespace wiiu::nssl
