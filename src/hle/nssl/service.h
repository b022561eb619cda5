// The NSSL service of one guest process: contexts, connections and sessions behind the console's
// integer handles, with the console's limits. Host types only: the exports translate guest
// arguments into these calls, and an emulator's own HLE of nlibcurl can call them directly.
// Thread-safe: guest threads of the process call in concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <wiiu_nssl/cert_store.h>
#include <wiiu_nssl/expected.h>
#include <wiiu_nssl/hooks.h>
#include <wiiu_nssl/nssl_config.h>
#include "hle/nssl/connection.h"
#include "hle/nssl/context.h"
#include "hle/nssl/errors.h"
#include "hle/nssl/handle_table.h"
#include "hle/nssl/handles.h"
#include "hle/nssl/session.h"
#include "hle/guest/interrupt.h"
#include "common/module_lock.h"
#include "tls/chain_verify.h"

namespace wiiu::nssl {

/// NSSLAddServerPKIGroups' two counts.
struct GroupCounts {
    std::int32_t added = 0;    ///< certificates of those groups now on the context
    std::int32_t missing = 0;  ///< certificates of those groups the loaded store lacks
    std::int32_t denied = 0;   ///< certificates the caller may not use (Config::caller)
};

/// Certificate type / key type numbers the API takes (docs/abi.md).
inline constexpr std::int32_t kCertTypeDer = 0;
inline constexpr std::int32_t kKeyTypeDer = 0;

class Service {
public:
    /// `sockets`: where NSSLCreateConnection finds the guest socket it names (the module's
    /// nsysnet table, or the emulator's sockets); outlives the service.
    Service(Config config, std::shared_ptr<const certstore::CertStore> store, SocketSource& sockets,
            guest::EmbeddingHooks& hooks);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    const Config& config() const { return config_; }

    NsslError init();
    bool ready() const;
    /// Tears down every context, connection and session; later calls get LIB_NOT_READY.
    NsslError finish();
    /// The process ends (Process::shutdown; also the destructor): like finish(), but bounded and
    /// without waiting through the hooks. Wakes every blocked call and frees every connection's
    /// engine (secrets wiped) even while a suspended call still holds the connection; close_notify
    /// goes out only if the socket takes it at once. Idempotent; later calls get LIB_NOT_READY.
    void shutdown();

    // Contexts
    Result<ContextHandle> createContext(std::int32_t version);
    NsslError destroyContext(ContextHandle ctx);
    NsslError setClientPki(ContextHandle ctx, std::int32_t certId);
    NsslError setClientPkiExternal(ContextHandle ctx, std::span<const std::uint8_t> cert, std::int32_t certType,
                                   std::span<const std::uint8_t> key, std::int32_t keyType);
    NsslError addServerPki(ContextHandle ctx, std::int32_t certId);
    NsslError addServerPkiExternal(ContextHandle ctx, std::span<const std::uint8_t> cert, std::int32_t certType);
    Result<GroupCounts> addServerPkiGroups(ContextHandle ctx, std::uint32_t groupMask);

    // nn_nets2 context extensions
    NsslError addCrlExternal(ContextHandle ctx, std::span<const std::uint8_t> crl, std::int32_t type);
    NsslError setContextFlags(ContextHandle ctx, std::uint32_t flags);
    NsslError clearContextFlags(ContextHandle ctx, std::uint32_t flags);
    Result<std::uint32_t> contextFlags(ContextHandle ctx);
    NsslError setContextMode(ContextHandle ctx, std::int32_t mode);
    Result<std::int32_t> contextMode(ContextHandle ctx);

    // Connections
    Result<ConnectionHandle> createConnection(ContextHandle ctx, std::string host, std::uint32_t options,
                                          std::int32_t socketFd, bool blocking);
    NsslError destroyConnection(ConnectionHandle conn);
    NsslError doHandshake(ConnectionHandle conn);
    Result<std::size_t> read(ConnectionHandle conn, std::span<std::uint8_t> buffer);
    Result<std::size_t> write(ConnectionHandle conn, std::span<const std::uint8_t> data);
    Result<std::size_t> pending(ConnectionHandle conn);
    /// DER of the peer's leaf certificate.
    Result<pki::Bytes> peerCertificate(ConnectionHandle conn);
    Result<CipherInfo> cipherInfo(ConnectionHandle conn);
    /// Host-side only: whether the connection resumed a session, and why it failed.
    Result<bool> resumed(ConnectionHandle conn);
    Result<tls::TlsFailure> failure(ConnectionHandle conn);
    /// The console quirks (tls::quirk bits) the connection's accepted peer chain relied on.
    Result<std::uint32_t> quirksUsed(ConnectionHandle conn);
    Result<std::vector<pki::Bytes>> peerChain(ConnectionHandle conn);
    Result<std::string> keyLogLine(ConnectionHandle conn);

    // Sessions
    Result<SessionHandle> getSession(ConnectionHandle conn);
    NsslError setSession(ConnectionHandle conn, SessionHandle session);
    NsslError freeSession(SessionHandle session);
    NsslError removeSession(SessionHandle session);

    // The console's certificate store
    Result<std::span<const std::uint8_t>> exportServerCertificate(std::int32_t certId);
    Result<certstore::ClientExport> exportClientCertificate(std::int32_t certId);

    // Host side, for an emulator serving nlibcurl with a host TLS library (<wiiu_nssl/curl_bridge.h>).
    /// A context as one copy: its CAs, Config's extra CAs, and what a handshake would use.
    struct ContextView {
        std::vector<ContextCa> cas;
        std::vector<pki::Bytes> extraCas;
        ContextSnapshot snapshot;
        std::int32_t mode = 0;
    };
    Result<ContextView> describeContext(ContextHandle ctx);
    /// What NSSLDoHandshake on a connection of `ctx` to `host` with verify `options` would
    /// conclude of `chain` (leaf first) at the emulated clock: reason None to accept it.
    Result<tls::ChainVerdict> verifyPeerChain(ContextHandle ctx, std::string host, std::uint32_t options,
                                            std::span<const pki::Bytes> chain);

    /// Host-side view for tools and debugging (<wiiu_nssl/inspection.h>).
    using Status = ServiceStatus;
    Status status();

private:
    /// Whether the configured caller may use an internal certificate (always, with none set).
    bool permitted(const certstore::Entry& entry) const;
    /// The live object behind a handle, or LIB_NOT_READY / INVALID_NSSL_CONTEXT|CONNECTION.
    Result<std::shared_ptr<Context>> contextFor(ContextHandle ctx);
    Result<std::shared_ptr<Connection>> connectionFor(ConnectionHandle conn);
    /// The same for a session, with mutex_ already held.
    Result<std::shared_ptr<Session>> sessionLocked(SessionHandle session) const;
    /// `f(connection)`'s value, or the handle's error.
    template <class F>
    auto onConnection(ConnectionHandle conn, F&& f) -> Result<std::invoke_result_t<F, Connection&>>
    {
        auto connection = connectionFor(conn);
        if (!connection)
            return fail(connection.error());
        return f(**connection);
    }
    /// Destroys connections outside the service lock (they may wait briefly for close_notify).
    static void teardown(std::vector<std::shared_ptr<Connection>> connections);
    NsslError countExternal();
    NsslError changeContextFlags(ContextHandle ctx, std::uint32_t flags, bool set);

    Config config_;
    std::shared_ptr<const certstore::CertStore> store_;
    SocketSource& sockets_;
    guest::EmbeddingHooks& hooks_;
    guest::Interrupt teardown_;  ///< signalled by the destructor: wakes every blocked call

    mutable ModuleMutex mutex_;
    bool ready_ = false;
    HandleTable<ContextHandle, Context> contexts_;
    HandleTable<ConnectionHandle, Connection> connections_;
    HandleTable<SessionHandle, Session> sessions_;
    int externalCerts_ = 0;
    // Groups whose missing certificates were reported: a game adds its groups to every context
    // it makes, so each group's warning is given once per process, later ones at debug level.
    std::atomic<std::uint32_t> reportedGroups_{0};
};

}  // namespace wiiu::nssl
