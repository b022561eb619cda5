// The NSSL service of one guest process: library state, handle lookups and connections. Its
// contexts live in service_contexts.cpp, its sessions and store exports in service_sessions.cpp.
#include "hle/nssl/service.h"

#include "common/log.h"

namespace wiiu::nssl {

namespace {

constexpr std::uint32_t kKnownOptions = tls::verify::All;

}  // namespace

Service::Service(Config config, std::shared_ptr<const certstore::CertStore> store, SocketSource& sockets,
                 guest::EmbeddingHooks& hooks)
    : config_(std::move(config)), store_(std::move(store)), sockets_(sockets), hooks_(hooks),
      contexts_(config_.maxContexts), connections_(config_.maxConnections), sessions_(config_.maxSessions)
{
    if (!store_)
        store_ = *certstore::CertStore::create({});
}

Service::~Service()
{
    shutdown();
}

void Service::shutdown()
{
    teardown_.signal();  // first: a call that wakes from now on sees the abort
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(mutex_);
        ready_ = false;
        open = connections_.clear();
        sessions_.clear();
        contexts_.clear();
        externalCerts_ = 0;
        for (auto& c : open)
            c->rememberObtainedSession({}, nullptr);  // obtained_ is service-locked
    }
    for (auto& c : open)
        c->close();
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
            return NsslError::OK;  // nothing to finish: decaf's nsysnet answers OK here too
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

Result<ConnectionHandle> Service::createConnection(ContextHandle ctx, std::string host, std::uint32_t options,
                                               std::int32_t socketFd, bool blocking)
{
    auto context = contextFor(ctx);
    if (!context)
        return fail(context.error());
    auto transport = sockets_.open(socketFd);
    if (!transport)
        return fail(NsslError::INVALID_FD);
    if (options & ~kKnownOptions) {
        static std::once_flag once;
        std::call_once(once, [options] {
            log::nssl().warn("NSSLCreateConnection: unknown option bits {:#x} ignored", options & ~kKnownOptions);
        });
    }
    auto connection = std::make_shared<Connection>(
        *context, std::move(transport), std::move(host),
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

Result<std::uint32_t> Service::quirksUsed(ConnectionHandle conn)
{
    return onConnection(conn, [](Connection& c) { return c.quirksUsed(); });
}

Result<std::string> Service::keyLogLine(ConnectionHandle conn)
{
    return onConnection(conn, [](Connection& c) { return c.keyLogLine(); });
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
