// An NSSL connection: a TLS client on a guest socket (NSSLCreateConnection). It runs the
// handshake, reads and writes, in blocking or non-blocking mode, over the one non-blocking core:
// take a step; when the engine is blocked, either report WANT_READ / WANT_WRITE (non-blocking)
// or wait through the embedding hooks and step again (blocking).
//
// Thread safety: every public call may come from any guest thread. The engine is locked only
// while a step runs, never while a blocking call waits, so one thread can block in NSSLRead while
// another writes on the same connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hle/guest/wait.h"
#include <wiiu_nssl/inspection.h>
#include <wiiu_nssl/nssl_config.h>
#include "hle/nssl/context.h"
#include "hle/nssl/debug/connection_tap.h"
#include "hle/nssl/errors.h"
#include "hle/nssl/handles.h"
#include "hle/nssl/session.h"
#include "hle/nssl/socket_transport.h"
#include "tls/client.h"
#include "common/module_lock.h"

namespace wiiu::nssl {

/// What a connection needs from its process.
struct ConnectionEnvironment {
    const Config& config;
    guest::EmbeddingHooks& hooks;
    const guest::Interrupt& teardown;  ///< signalled when the process ends or NSSLFinish runs
};

/// The negotiated cipher: NSSLGetCipherInfo's answer.
struct CipherInfo {
    std::uint16_t suite = 0;    ///< IANA id
    std::uint16_t version = 0;  ///< 0x0301..0x0303
    std::string name;           ///< IANA name
};

class Connection {
public:
    Connection(std::shared_ptr<Context> context, std::shared_ptr<SocketTransport> transport, std::string host,
               std::uint32_t options, bool blocking, ConnectionEnvironment env);

    NsslError handshake();
    /// Decrypted bytes into `buffer` (handshaking first): how many, or why none.
    Result<std::size_t> read(std::span<std::uint8_t> buffer);
    /// Blocking: all of `data` or the error; non-blocking: what the engine took now.
    Result<std::size_t> write(std::span<const std::uint8_t> data);
    std::size_t pending() const;

    /// Offers `session` for resumption; only before the handshake starts.
    NsslError offerSession(std::shared_ptr<Session> session);
    /// The established session, to cache (nothing before the handshake completes).
    std::optional<tls::SessionParameters> sessionParameters() const;
    /// The session NSSLGetSession gave out for this connection and its handle. The handle alone
    /// is not enough: once freed it may be handed to another connection's session.
    struct ObtainedSession {
        SessionHandle handle{-1};
        std::weak_ptr<Session> session;
    };
    const ObtainedSession& obtainedSession() const { return obtained_; }
    void rememberObtainedSession(SessionHandle handle, const std::shared_ptr<Session>& session)
    {
        obtained_ = {handle, session};
    }

    /// Sends close_notify if established (bounded wait). SSL_SHUTDOWN_ERROR when the transport
    /// was already shut down; OK otherwise.
    NsslError shutdown();
    /// Wakes a call blocked on this connection (it returns IO_ERROR); used by destroy.
    void interrupt() { interrupt_.signal(); }
    /// The process ends: wakes blocked calls, sends close_notify only if the socket takes it now
    /// (no wait), and frees the engine, the debug outputs, the offered session and the context
    /// (secrets wiped) although a suspended call may still hold this object. Every later call
    /// fails with IO_ERROR.
    void close();

    bool established() const;
    bool resumed() const;
    /// The negotiated cipher; nothing before the handshake completes.
    std::optional<CipherInfo> cipher() const;
    /// The peer chain, leaf first: as received, or (resumed) as seen at the session's full handshake.
    std::vector<pki::Bytes> peerChain() const;
    tls::TlsFailure failure() const;
    /// The console quirks (tls::quirk bits) the accepted peer chain relied on; 0 if none.
    std::uint32_t quirksUsed() const;
    std::string keyLogLine() const;
    const std::shared_ptr<Context>& context() const { return context_; }
    const std::string& host() const { return host_; }

    ConnectionStatus status(std::int32_t handle) const;

private:
    using Lock = std::unique_lock<ModuleMutex>;
    NsslError ensureEngine(Lock& lock);
    NsslError handshakeLocked(Lock& lock);
    NsslError waitLinkUp(Lock& lock);
    /// Runs `step` until it completes, fails, or (non-blocking) must wait. The lock is released
    /// while waiting.
    template <class F>
    NsslError drive(Lock& lock, F&& step);
    NsslError waitFor(Lock& lock, tls::TlsStatus blockedOn);
    NsslError fail(NsslError code, std::string reason);
    /// IO_ERROR with `text` kept as the connection's failure (reason Io): timeouts, aborts, a dead socket.
    NsslError failIo(std::string text);
    bool nonBlocking() const { return !blocking_ || transport_->guestNonBlocking(); }
    /// Feeds the debug outputs once the handshake has ended (no-op without a tap).
    void tapHandshake();
    /// Key-logs the handshake now in use if it is new (a renegotiation); needs a tap.
    void tapKeys();

    mutable ModuleMutex mutex_;
    bool closed_ = false;  ///< close() ran: no engine will be made again
    std::shared_ptr<Context> context_;
    std::shared_ptr<SocketTransport> transport_;
    std::string host_;
    std::uint32_t options_;
    bool blocking_;
    ConnectionEnvironment env_;
    guest::Interrupt interrupt_;

    std::unique_ptr<tls::TlsClient> tls_;
    std::shared_ptr<Session> offered_;
    ObtainedSession obtained_;  ///< service-locked
    tls::TlsFailure failure_;
    NsslError lastErrorCode_ = NsslError::OK;
    std::string lastError_;
    std::atomic<std::uint64_t> bytesRead_{0};
    std::atomic<std::uint64_t> bytesWritten_{0};
    std::unique_ptr<debug::ConnectionTap> tap_;  ///< debug outputs (Config); null when all are off
};

/// The TLS status a blocked or finished step maps to, as a console code.
NsslError toNsslError(tls::TlsStatus status);

}  // namespace wiiu::nssl
