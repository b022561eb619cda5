// The TLS engine of one connection: a BearSSL client driven as a non-blocking state machine over
// a Transport. Every step moves bytes between the engine and the transport until it has to
// wait, then says which way it is blocked (WantRead / WantWrite); waiting is the caller's job.
//
// Memory: one heap block per connection (this object: br_ssl_client_context, the X.509 wrapper
// and a full-duplex I/O buffer of BR_SSL_BUFSIZE_BIDI), plus the peer chain DER while it is kept,
// plus the outbox only while records wait in it.
// Secrets (master secret, buffers) are wiped when the object is freed; nothing secret is logged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bearssl.h"
#include <wiiu_nssl/expected.h>
#include "tls/client_identity.h"
#include <wiiu_nssl/tls_failure.h>
#include "tls/transport.h"
#include "tls/trust_store.h"
#include "tls/x509_verifier.h"

namespace wiiu::tls {

enum class TlsStatus {
    Ok,
    WantRead,         ///< blocked until the transport is readable
    WantWrite,        ///< blocked until the transport is writable (records are waiting to go out)
    ZeroReturn,       ///< the peer closed cleanly (close_notify)
    IoError,          ///< transport error, reset, EOF without close_notify, or broken stream
    HandshakeFailed,  ///< verification or negotiation failed; see failure()
    Closed,           ///< we closed the connection
};

std::string_view tlsStatusName(TlsStatus status);

/// Parameters of an established session, kept to offer it again (resumption). A value type;
/// the master secret is wiped whenever a copy is destroyed.
class SessionParameters {
public:
    SessionParameters() = default;
    explicit SessionParameters(const br_ssl_session_parameters& raw) : raw_(raw) {}
    SessionParameters(const SessionParameters&) = default;
    SessionParameters& operator=(const SessionParameters&) = default;
    ~SessionParameters();

    const br_ssl_session_parameters& raw() const { return raw_; }
    std::span<const std::uint8_t> sessionId() const { return {raw_.session_id, raw_.session_id_len}; }
    std::uint16_t version() const { return raw_.version; }
    std::uint16_t cipherSuite() const { return raw_.cipher_suite; }

private:
    br_ssl_session_parameters raw_{};
};

struct ClientConfig {
    unsigned minVersion = BR_TLS10;  ///< clamped to TLS 1.0 (BearSSL cannot speak SSL 3.0)
    unsigned maxVersion = BR_TLS12;  ///< clamped to TLS 1.2 (BearSSL has no TLS 1.3)
    std::vector<std::uint16_t> suites;  ///< offer order; empty = defaultCipherSuites()
    std::shared_ptr<const TrustStore> trust;
    std::shared_ptr<const ClientIdentity> identity;  ///< optional client certificate + key
    std::string hostName;          ///< used for SNI (if sendSni) and the name check (verify bit)
    bool sendSni = true;           ///< never for an IP literal, which is checked as iPAddress
    std::uint32_t verifyFlags = verify::All;  ///< 0x1 chain, 0x2 host name, 0x4 dates
    pki::UnixTime now = 0;                    ///< the emulated clock
    int minRsaBits = 1024;
    std::optional<SessionParameters> resume;  ///< offer this session
    ChainCheck extraCheck;                    ///< e.g. CRLs; runs after the normal checks pass
    std::optional<Firmware> console;          ///< verify with this firmware's quirks; nullopt = plain X.509
};

/// The policy of the X.509 verifier a client with `config` hands BearSSL; tls/chain_verify.h runs
/// the same verifier on a chain outside a handshake. BadConfig for a host name BearSSL cannot carry.
Expected<VerifyPolicy, TlsFailure> verifyPolicyFor(const ClientConfig& config);

class TlsClient {
public:
    /// Validates the configuration and prepares the engine; no I/O happens yet.
    static Expected<std::unique_ptr<TlsClient>, TlsFailure> create(
        ClientConfig config, std::shared_ptr<Transport> transport);
    ~TlsClient();
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    /// Runs or continues the handshake. Ok once established (all our records sent).
    TlsStatus handshake();
    /// Copies decrypted bytes; Ok with got >= 1 (or 0 for an empty buffer). Handshakes first.
    TlsStatus read(std::span<std::uint8_t> buffer, std::size_t& got);
    /// Encrypts and sends; `accepted` is what the engine took (Ok with a partial count when the
    /// transport filled up). Records already built are flushed before new data is taken, so a
    /// call can return WantWrite with accepted == 0. Handshakes first.
    TlsStatus write(std::span<const std::uint8_t> data, std::size_t& accepted);
    /// Sends close_notify and waits for the peer's (best effort: Ok also when the peer just
    /// drops the connection afterwards). Repeat on WantRead / WantWrite.
    TlsStatus close();

    /// Decrypted bytes buffered and not yet read.
    std::size_t pending() const;
    /// Encrypted bytes built but not yet accepted by the transport (a waiter may also want
    /// writability while it waits to read).
    bool hasPendingOutput() const;

    bool established() const { return established_; }
    /// Why the connection failed (reason None while it has not).
    const TlsFailure& failure() const { return failure_; }

    // Available once established.
    std::uint16_t version() const { return version_; }
    std::uint16_t cipherSuite() const { return session_.cipherSuite(); }
    std::string_view cipherSuiteName() const;
    bool resumed() const { return resumed_; }
    /// The session to offer on a later connection; nullopt without an established session ID.
    std::optional<SessionParameters> session() const;
    /// The client random of the handshake whose keys are in use: it changes with each completed
    /// renegotiation. Empty before the first handshake completes and while one is under way.
    std::span<const std::uint8_t> clientRandom() const;
    /// "CLIENT_RANDOM <client random hex> <master secret hex>" (SSLKEYLOGFILE) of those keys,
    /// "" when clientRandom() is empty.
    std::string keyLogLine() const;

    /// The peer chain as sent, leaf first; kept even when verification failed. Empty on a
    /// resumed connection (no certificate is sent then).
    std::span<const pki::Bytes> peerChain() const { return verifier_.chain(); }
    /// The console quirks (quirk:: bits) the accepted peer chain relied on; 0 if none.
    std::uint32_t quirksUsed() const { return verifier_.quirksUsed(); }

private:
    enum class Io { Progress, Blocked, Failed };

    explicit TlsClient(std::shared_ptr<Transport> transport);
    br_ssl_engine_context* eng() { return &cc_.eng; }
    const br_ssl_engine_context* eng() const { return &cc_.eng; }

    Expected<void, TlsFailure> setup(ClientConfig& config);
    /// Our records wait to go out: in the outbox or in the engine.
    bool outputWaiting(unsigned state) const { return !outbox_.empty() || (state & BR_SSL_SENDREC); }
    /// Moves the records the engine builds without needing input into the outbox (the engine
    /// holds one record at a time and builds the next once that one is taken), up to kOutboxLimit.
    void gatherRecords();
    /// Gathers, then one send of everything waiting.
    Io sendRecords();
    Io receiveRecords();
    /// Feeds the engine's record buffer: from the bytes read ahead, or one receive from the
    /// transport straight into it (acked when data came; `bytes` counts what the engine took).
    IoResult receiveIntoEngine();
    std::size_t feedAhead(unsigned char* buf, std::size_t len);
    bool salvageAlert();
    TlsStatus finishClosed();
    void sendRefusalAlert();
    TlsStatus failIo(const IoResult& result, bool sending);
    TlsStatus terminate(TlsStatus status);
    void onEstablished();

    std::shared_ptr<Transport> transport_;
    std::shared_ptr<const ClientIdentity> identity_;  // the engine links to its key
    std::optional<TlsStatus> terminal_;
    bool established_ = false;
    bool closeRequested_ = false;
    bool resumed_ = false;
    std::uint16_t version_ = 0;
    SessionParameters session_;
    unsigned char offeredId_[32]{};
    std::size_t offeredIdLen_ = 0;
    std::string hostName_;  // for log lines only
    TlsFailure failure_;
    X509Verifier verifier_;
    br_ssl_client_context cc_{};
    static constexpr std::size_t kInputSize = BR_SSL_BUFSIZE_INPUT;  // iobuf_ = input, then output
    static constexpr std::size_t kReadAhead = 5;                     // one record header
    static constexpr unsigned char kApplicationData = 23;            // TLS record type
    static constexpr std::size_t kOutboxLimit = 4 * BR_SSL_BUFSIZE_OUTPUT;  // a 64 KiB write's records
    std::span<unsigned char> ahead_;  // received, not yet given to the engine (in iobuf_'s input half)
    // Records taken from the engine, sent as one write: a flight sent record by record leaves as
    // small segments that Nagle holds back until the peer's (delayed) ACK. Freed once sent.
    std::vector<unsigned char> outbox_;
    std::size_t outboxSent_ = 0;  // the front of outbox_ already sent
    unsigned char iobuf_[BR_SSL_BUFSIZE_BIDI];  // not zeroed: BearSSL writes before it reads
};

}  // namespace wiiu::tls
