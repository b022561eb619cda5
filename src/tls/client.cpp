#include "tls/client.h"

#include <algorithm>
#include <cstring>
#include <new>

#include <fmt/format.h>

#include "common/log.h"
#include "common/secure_wipe.h"
#include "tls/cipher_suites.h"
#include "tls/host_name.h"

namespace wiiu::tls {

namespace {

std::string hex(const unsigned char* p, std::size_t n)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s(n * 2, '0');
    for (std::size_t i = 0; i < n; ++i) {
        s[2 * i] = kDigits[p[i] >> 4];
        s[2 * i + 1] = kDigits[p[i] & 15];
    }
    return s;
}

/// The fatal alert that tells a server why we refused its certificate, as other clients send
/// (the console's own choice is unknown: docs/abi.md).
unsigned char alertFor(FailureReason reason)
{
    switch (reason) {
    case FailureReason::Untrusted:
    case FailureReason::NotCA: return 48;  // unknown_ca
    case FailureReason::Expired: return 45;  // certificate_expired
    case FailureReason::Revoked: return 44;  // certificate_revoked
    case FailureReason::UnsupportedKey:
    case FailureReason::UnsupportedAlgorithm: return 43;  // unsupported_certificate
    case FailureReason::CrlMissing: return 46;  // certificate_unknown
    default: return 42;  // bad_certificate: not yet valid, wrong name, bad signature, malformed
    }
}

TlsFailure configError(std::string text)
{
    return TlsFailure{FailureReason::BadConfig, 0, -1, std::move(text)};
}

/// br_ssl_client_init_full's work, done once per process. It picks the fastest implementation
/// of each primitive (AES-NI, PCLMUL, SSE2 ChaCha20, i62 RSA, m31 curves) by asking the CPU,
/// and CPUID traps to the hypervisor in a VM: a few percent of every full handshake. In 0.6 the
/// function only zeroes the contexts and stores pointers to static tables and vtables, so a
/// copy of its result is the same as running it again.
struct EngineDefaults {
    br_ssl_client_context client;
    br_x509_minimal_context x509;
};

const EngineDefaults& engineDefaults()
{
    static const EngineDefaults defaults = [] {
        EngineDefaults d;
        br_ssl_client_init_full(&d.client, &d.x509, nullptr, 0);
        return d;
    }();
    return defaults;
}

}  // namespace

std::string_view tlsStatusName(TlsStatus status)
{
    switch (status) {
    case TlsStatus::Ok: return "Ok";
    case TlsStatus::WantRead: return "WantRead";
    case TlsStatus::WantWrite: return "WantWrite";
    case TlsStatus::ZeroReturn: return "ZeroReturn";
    case TlsStatus::IoError: return "IoError";
    case TlsStatus::HandshakeFailed: return "HandshakeFailed";
    case TlsStatus::Closed: return "Closed";
    }
    return "?";
}

SessionParameters::~SessionParameters() { secureWipe(&raw_, sizeof raw_); }

TlsClient::TlsClient(std::shared_ptr<Transport> transport) : transport_(std::move(transport)) {}

TlsClient::~TlsClient()
{
    secureWipe(&cc_, sizeof cc_);
    secureWipe(iobuf_, sizeof iobuf_);
}

Expected<VerifyPolicy, TlsFailure> verifyPolicyFor(const ClientConfig& config)
{
    if (config.hostName.size() > 255) return fail(configError("host name longer than 255 bytes"));
    if (config.hostName.find('\0') != std::string::npos)
        return fail(configError("host name contains a NUL byte"));
    VerifyPolicy policy;
    policy.flags = config.verifyFlags & verify::All;
    policy.hostName = config.hostName;
    policy.now = config.now;
    policy.minRsaBytes = std::max(1, (config.minRsaBits + 7) / 8);
    policy.trust = config.trust;
    policy.extraCheck = config.extraCheck;
    policy.console = config.console;
    return policy;
}

Expected<std::unique_ptr<TlsClient>, TlsFailure> TlsClient::create(
    ClientConfig config, std::shared_ptr<Transport> transport)
{
    try {
        if (!transport) return fail(configError("no transport"));
        std::unique_ptr<TlsClient> client(new (std::nothrow) TlsClient(std::move(transport)));
        if (!client) return fail(TlsFailure{FailureReason::Internal, 0, -1, "out of memory"});
        if (auto ok = client->setup(config); !ok) return fail(ok.error());
        return client;
    } catch (...) {  // allocation failure while copying the configuration
        return fail(TlsFailure{FailureReason::Internal, 0, -1, "out of memory"});
    }
}

Expected<void, TlsFailure> TlsClient::setup(ClientConfig& config)
{
    unsigned minV = std::max(config.minVersion, unsigned{BR_TLS10});
    unsigned maxV = std::min(config.maxVersion, unsigned{BR_TLS12});
    if (config.minVersion < BR_TLS10)
        log::nssl().debug("TLS minimum version {:#06x} raised to TLS 1.0", config.minVersion);
    if (minV > maxV)
        return fail(configError(fmt::format("no usable protocol version in [{:#06x}, {:#06x}]",
                                            config.minVersion, config.maxVersion)));

    std::vector<std::uint16_t> suites;
    if (config.suites.empty()) {
        auto d = defaultCipherSuites();
        suites.assign(d.begin(), d.end());
    } else {
        for (std::uint16_t s : config.suites)
            if (isSupportedCipherSuite(s)) suites.push_back(s);
        if (suites.empty()) return fail(configError("none of the requested cipher suites is supported"));
    }
    auto policy = verifyPolicyFor(config);
    if (!policy) return fail(policy.error());
    hostName_ = config.hostName;
    verifier_.setPolicy(std::move(*policy));

    cc_ = engineDefaults().client;
    verifier_.minimal() = engineDefaults().x509;
    br_ssl_engine_set_versions(eng(), minV, maxV);
    br_ssl_engine_set_suites(eng(), suites.data(), suites.size());
    br_ssl_engine_set_x509(eng(), verifier_.vtable());
    if (config.identity) {
        identity_ = std::move(config.identity);
        identity_->install(cc_);
    }
    // The two halves by hand: BearSSL 0.6's br_ssl_engine_set_buffer(.., bidi = 1) starts the
    // output half 240 bytes inside the input half (at the output size rather than the input
    // size), so an incoming record over 16,464 bytes (CBC with a large MAC or padding) could
    // overwrite a record waiting to go out.
    br_ssl_engine_set_buffers_bidi(eng(), iobuf_, kInputSize, iobuf_ + kInputSize, BR_SSL_BUFSIZE_OUTPUT);

    const bool resume = config.resume && !config.resume->sessionId().empty();
    if (resume) {
        br_ssl_engine_set_session_parameters(eng(), &config.resume->raw());
        offeredIdLen_ = config.resume->sessionId().size();
        std::memcpy(offeredId_, config.resume->sessionId().data(), offeredIdLen_);
    }
    // SNI never carries an address (RFC 6066, 3).
    const bool sendSni = config.sendSni && !config.hostName.empty() && !ipLiteral(config.hostName);
    const char* sni = sendSni ? config.hostName.c_str() : nullptr;
    if (!br_ssl_client_reset(&cc_, sni, resume ? 1 : 0))
        return fail(failureFromBearSsl(br_ssl_engine_last_error(eng())));
    return {};
}

void TlsClient::gatherRecords()
{
    while (br_ssl_engine_current_state(eng()) & BR_SSL_SENDREC) {
        std::size_t len = 0;
        unsigned char* buf = br_ssl_engine_sendrec_buf(eng(), &len);
        if (outbox_.size() - outboxSent_ + len > kOutboxLimit) return;
        try {
            outbox_.insert(outbox_.end(), buf, buf + len);
        } catch (const std::bad_alloc&) {
            return;  // sendRecords sends from the engine's buffer, a record at a time
        }
        br_ssl_engine_sendrec_ack(eng(), len);  // the engine may build its next record now
    }
}

TlsClient::Io TlsClient::sendRecords()
{
    gatherRecords();
    std::size_t len = 0;
    const unsigned char* buf = nullptr;
    if (outbox_.empty()) {
        buf = br_ssl_engine_sendrec_buf(eng(), &len);
    } else {
        buf = outbox_.data() + outboxSent_;
        len = outbox_.size() - outboxSent_;
    }
    IoResult r = transport_->send({buf, len});
    if (r.status == IoStatus::Ok && r.bytes > 0) {
        const std::size_t sent = std::min(r.bytes, len);
        if (outbox_.empty()) {
            br_ssl_engine_sendrec_ack(eng(), sent);
        } else if ((outboxSent_ += sent) == outbox_.size()) {
            outbox_ = {};  // the memory too: an idle connection keeps none
            outboxSent_ = 0;
        }
        return Io::Progress;
    }
    if (r.status == IoStatus::WouldBlock || r.status == IoStatus::Ok) return Io::Blocked;
    outbox_ = {};  // the transport is broken: nothing waiting can go out any more
    outboxSent_ = 0;
    // A peer that refuses us usually sends an alert and hangs up: read what it left behind,
    // so the failure names the alert rather than a broken pipe.
    if (salvageAlert()) return Io::Progress;  // the engine is closed now; the caller sees it
    failIo(r, true);
    return Io::Failed;
}

IoResult TlsClient::receiveIntoEngine()
{
    std::size_t len = 0;
    unsigned char* buf = br_ssl_engine_recvrec_buf(eng(), &len);
    if (!buf || len == 0) return IoResult::ok(0);
    if (!ahead_.empty()) return IoResult::ok(feedAhead(buf, len));
    // Inside an application-data record, read up to one record header past what the engine
    // asked for: the next record's header then comes with this record's body, one receive per
    // record instead of two. Never more, so the bytes kept back are never a whole record: a
    // guest that waits for the socket to be readable before NSSLRead is not left waiting on
    // data we hold. Not in handshake or alert records (the record type is byte 0 of the
    // buffer): after a close_notify, what follows stays in the socket for the guest.
    const bool applicationData = buf > iobuf_ && iobuf_[0] == kApplicationData;
    const std::size_t room =
        applicationData ? std::min(kReadAhead, static_cast<std::size_t>(iobuf_ + kInputSize - (buf + len))) : 0;
    IoResult r = transport_->receive({buf, len + room});
    if (r.status == IoStatus::Ok && r.bytes > len) {
        ahead_ = {buf + len, r.bytes - len};
        r.bytes = len;
    }
    if (r.status == IoStatus::Ok && r.bytes > 0) br_ssl_engine_recvrec_ack(eng(), r.bytes);
    return r;
}

std::size_t TlsClient::feedAhead(unsigned char* buf, std::size_t len)
{
    // The engine asks for the bytes right after the last ones it took, or starts its buffer
    // again (offset 0 for the next record, 5 for the next chunk of an unencrypted one): then the
    // bytes read ahead (at most a header) move there. Were they ever not to fit, the clamp drops
    // bytes and the engine fails the record; it never writes past the input half.
    if (ahead_.data() != buf) {
        const auto space = static_cast<std::size_t>(iobuf_ + kInputSize - buf);
        ahead_ = ahead_.first(std::min(ahead_.size(), space));
        std::memmove(buf, ahead_.data(), ahead_.size());
    }
    const std::size_t n = std::min(ahead_.size(), len);
    ahead_ = {buf + n, ahead_.size() - n};
    br_ssl_engine_recvrec_ack(eng(), n);
    return n;
}

bool TlsClient::salvageAlert()
{
    for (int i = 0; i < 64; ++i) {
        const unsigned st = br_ssl_engine_current_state(eng());
        if (st & BR_SSL_CLOSED) return br_ssl_engine_last_error(eng()) != BR_ERR_OK;
        if (!(st & BR_SSL_RECVREC)) return false;
        const IoResult r = receiveIntoEngine();
        if (r.status != IoStatus::Ok || r.bytes == 0) return false;
    }
    return false;
}

TlsClient::Io TlsClient::receiveRecords()
{
    const IoResult r = receiveIntoEngine();
    if (r.status == IoStatus::Ok && r.bytes > 0) return Io::Progress;
    if (r.status == IoStatus::WouldBlock) return Io::Blocked;
    failIo(r, false);
    return Io::Failed;
}

TlsStatus TlsClient::terminate(TlsStatus status)
{
    terminal_ = status;
    if (failure_)
        log::nssl().warn("TLS {} {}: {} — {}", hostName_.empty() ? "(no host)" : hostName_,
                         established_ ? "connection failed" : "handshake failed",
                         failureReasonName(failure_.reason), failure_.text);
    return status;
}

TlsStatus TlsClient::failIo(const IoResult& result, bool sending)
{
    failure_.reason = FailureReason::Io;
    failure_.bearsslError = BR_ERR_IO;
    failure_.alert = -1;
    const std::string_view way = sending ? "sending" : "receiving";
    if (result.status == IoStatus::Closed)
        failure_.text = sending ? "transport closed while sending" : "closed without close_notify";
    else if (result.status == IoStatus::Reset)
        failure_.text = fmt::format("connection reset by the peer while {}", way);
    else if (!result.name.empty())  // the transport's own name for it (nsysnet: "SO_EHOSTUNREACH")
        failure_.text = fmt::format("transport error while {} ({})", way, result.name);
    else
        failure_.text = fmt::format("transport error while {} (code {})", way, result.code);
    return terminate(TlsStatus::IoError);
}

TlsStatus TlsClient::finishClosed()
{
    const int err = br_ssl_engine_last_error(eng());
    if (err == BR_ERR_OK)
        return terminate(closeRequested_ ? TlsStatus::Closed : TlsStatus::ZeroReturn);
    // The wrapper's verdict is more precise than the X.509 code the engine stored.
    if (!established_ && verifier_.failure()) {
        failure_ = verifier_.failure();
        sendRefusalAlert();
    } else {
        failure_ = failureFromBearSsl(err);
    }
    return terminate(established_ ? TlsStatus::IoError : TlsStatus::HandshakeFailed);
}

void TlsClient::sendRefusalAlert()
{
    // BearSSL closes without a word when the X.509 verifier refuses; the server's operator reads
    // why in their log only if we say it. The alert goes in the clear (no ChangeCipherSpec yet),
    // in a record of the version the ServerHello chose; one try, the connection is over anyway.
    const unsigned version = br_ssl_engine_get_version(eng());
    const unsigned char record[] = {21, static_cast<unsigned char>(version >> 8), static_cast<unsigned char>(version),
                                    0, 2, 2 /* fatal */, alertFor(failure_.reason)};
    const IoResult sent = transport_->send(record);
    log::nssl().debug("TLS {}: alert {} sent for the refused certificate ({} of 7 bytes)", hostName_, record[6],
                      sent.status == IoStatus::Ok ? sent.bytes : 0);
}

void TlsClient::onEstablished()
{
    established_ = true;
    version_ = br_ssl_engine_get_version(eng());
    br_ssl_session_parameters raw;
    br_ssl_engine_get_session_parameters(eng(), &raw);
    session_ = SessionParameters(raw);
    secureWipe(&raw, sizeof raw);
    resumed_ = offeredIdLen_ > 0 && offeredIdLen_ == session_.sessionId().size() &&
               std::memcmp(offeredId_, session_.sessionId().data(), offeredIdLen_) == 0 &&
               !verifier_.chainReceived();
    log::nssl().debug("TLS {} established: {} {}{}", hostName_, protocolVersionName(version_),
                      cipherSuiteName(), resumed_ ? " (resumed)" : "");
}

TlsStatus TlsClient::handshake()
{
    if (terminal_) return *terminal_;
    if (established_) return TlsStatus::Ok;
    for (;;) {
        const unsigned st = br_ssl_engine_current_state(eng());
        if (outputWaiting(st)) {  // the whole flight, then one send
            Io r = sendRecords();
            if (r == Io::Progress) continue;
            return r == Io::Blocked ? TlsStatus::WantWrite : *terminal_;
        }
        if (st & BR_SSL_CLOSED) return finishClosed();
        if (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP)) {
            onEstablished();
            return TlsStatus::Ok;
        }
        if (st & BR_SSL_RECVREC) {
            Io r = receiveRecords();
            if (r == Io::Progress) continue;
            return r == Io::Blocked ? TlsStatus::WantRead : *terminal_;
        }
        failure_ = {FailureReason::Internal, 0, -1, "TLS engine stalled"};
        return terminate(TlsStatus::IoError);
    }
}

TlsStatus TlsClient::read(std::span<std::uint8_t> buffer, std::size_t& got)
{
    got = 0;
    if (terminal_) return *terminal_;
    if (!established_) {
        if (TlsStatus s = handshake(); s != TlsStatus::Ok) return s;
    }
    if (buffer.empty()) return TlsStatus::Ok;
    for (;;) {
        const unsigned st = br_ssl_engine_current_state(eng());
        if (st & BR_SSL_RECVAPP) {
            std::size_t len = 0;
            unsigned char* data = br_ssl_engine_recvapp_buf(eng(), &len);
            got = std::min(len, buffer.size());
            std::memcpy(buffer.data(), data, got);
            br_ssl_engine_recvapp_ack(eng(), got);
            return TlsStatus::Ok;
        }
        // Pending output goes first (the peer may wait for it; a closed engine may have
        // answered a close_notify); input is tried even when the output is stuck, so a peer
        // that writes before it reads cannot deadlock us.
        bool sendBlocked = false;
        if (outputWaiting(st)) {
            Io r = sendRecords();
            if (r == Io::Progress) continue;
            if (r == Io::Failed) return *terminal_;
            sendBlocked = true;
        }
        if (st & BR_SSL_CLOSED) return sendBlocked ? TlsStatus::WantWrite : finishClosed();
        if (st & BR_SSL_RECVREC) {
            Io r = receiveRecords();
            if (r == Io::Progress) continue;
            if (r == Io::Failed) return *terminal_;
        }
        return sendBlocked ? TlsStatus::WantWrite : TlsStatus::WantRead;
    }
}

TlsStatus TlsClient::write(std::span<const std::uint8_t> data, std::size_t& accepted)
{
    accepted = 0;
    if (terminal_) return *terminal_;
    if (!established_) {
        if (TlsStatus s = handshake(); s != TlsStatus::Ok) return s;
    }
    // Records left from an earlier call go out before new data is taken. The records of this
    // call's data are gathered and leave together once it is all taken (or the outbox is full).
    for (;;) {
        unsigned st = br_ssl_engine_current_state(eng());
        const bool gathering = accepted > 0 && accepted < data.size();
        if (gathering) {
            gatherRecords();
            st = br_ssl_engine_current_state(eng());
        }
        // The engine takes more data once its record is in the outbox (never while it holds one).
        if (outputWaiting(st) && !(gathering && (st & BR_SSL_SENDAPP))) {
            Io r = sendRecords();
            if (r == Io::Progress) continue;
            if (r == Io::Failed) return *terminal_;
            return accepted > 0 ? TlsStatus::Ok : TlsStatus::WantWrite;
        }
        if (st & BR_SSL_CLOSED) return finishClosed();
        if (accepted == data.size()) return TlsStatus::Ok;
        if (st & BR_SSL_SENDAPP) {
            std::size_t len = 0;
            unsigned char* buf = br_ssl_engine_sendapp_buf(eng(), &len);
            const std::size_t n = std::min(len, data.size() - accepted);
            std::memcpy(buf, data.data() + accepted, n);
            br_ssl_engine_sendapp_ack(eng(), n);
            accepted += n;
            br_ssl_engine_flush(eng(), 0);  // seal the record now: the caller may wait on a reply
            continue;
        }
        if (st & BR_SSL_RECVREC) {  // e.g. a renegotiation must read before we may send
            Io r = receiveRecords();
            if (r == Io::Progress) continue;
            if (r == Io::Failed) return *terminal_;
            return accepted > 0 ? TlsStatus::Ok : TlsStatus::WantRead;
        }
        return accepted > 0 ? TlsStatus::Ok : TlsStatus::WantWrite;
    }
}

TlsStatus TlsClient::close()
{
    if (terminal_) {
        if (*terminal_ == TlsStatus::Closed || *terminal_ == TlsStatus::ZeroReturn)
            return TlsStatus::Ok;
        return *terminal_;
    }
    if (!established_) {  // nothing to say to a peer we never finished meeting
        closeRequested_ = true;
        terminal_ = TlsStatus::Closed;
        return TlsStatus::Ok;
    }
    if (!closeRequested_) {
        closeRequested_ = true;
        br_ssl_engine_close(eng());
    }
    for (;;) {
        const unsigned st = br_ssl_engine_current_state(eng());
        if (outputWaiting(st)) {  // our close_notify, even when the engine is done
            Io r = sendRecords();
            if (r == Io::Progress) continue;
            if (r == Io::Failed) return *terminal_;
            return TlsStatus::WantWrite;
        }
        if (st & BR_SSL_CLOSED) {
            TlsStatus s = finishClosed();
            return s == TlsStatus::Closed ? TlsStatus::Ok : s;
        }
        if (st & BR_SSL_RECVAPP) {  // late application data: nobody will read it now
            std::size_t len = 0;
            br_ssl_engine_recvapp_buf(eng(), &len);
            br_ssl_engine_recvapp_ack(eng(), len);
            continue;
        }
        if (st & BR_SSL_RECVREC) {
            const IoResult r = receiveIntoEngine();
            if (r.status == IoStatus::Ok && r.bytes > 0) continue;
            if (r.status == IoStatus::WouldBlock) return TlsStatus::WantRead;
            // Our close_notify is out; a peer that hangs up instead of answering is fine.
            terminal_ = TlsStatus::Closed;
            return TlsStatus::Ok;
        }
        terminal_ = TlsStatus::Closed;
        return TlsStatus::Ok;
    }
}

std::size_t TlsClient::pending() const
{
    if (terminal_) return 0;
    std::size_t len = 0;
    br_ssl_engine_recvapp_buf(eng(), &len);
    return len;
}

bool TlsClient::hasPendingOutput() const
{
    if (terminal_) return false;
    if (!outbox_.empty()) return true;
    std::size_t len = 0;
    br_ssl_engine_sendrec_buf(eng(), &len);
    return len > 0;
}

std::string_view TlsClient::cipherSuiteName() const
{
    return established_ ? tls::cipherSuiteName(session_.cipherSuite()) : std::string_view{};
}

std::optional<SessionParameters> TlsClient::session() const
{
    if (!established_ || session_.sessionId().empty()) return std::nullopt;
    return session_;
}

std::span<const std::uint8_t> TlsClient::clientRandom() const
{
    // BearSSL clears application_data when a handshake starts, before the new ClientHello, and
    // sets it once that handshake is done: in between random and master secret disagree.
    if (!established_ || cc_.eng.application_data == 0) return {};
    return cc_.eng.client_random;
}

std::string TlsClient::keyLogLine() const
{
    const auto random = clientRandom();
    if (random.empty()) return {};
    // The engine's session, not session_: a renegotiation replaces the master secret.
    const auto& master = cc_.eng.session.master_secret;
    return "CLIENT_RANDOM " + hex(random.data(), random.size()) + " " + hex(master, sizeof master);
}

}  // namespace wiiu::tls
