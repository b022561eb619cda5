#include "hle/nssl/connection.h"

#include "common/log.h"
#include "hle/nssl/handshake_config.h"

namespace wiiu::nssl {

namespace {

using Clock = std::chrono::steady_clock;

/// "60 s", or "1500 ms" when not whole seconds.
std::string durationText(std::chrono::milliseconds d)
{
    return d.count() % 1000 == 0 ? fmt::format("{} s", d.count() / 1000) : fmt::format("{} ms", d.count());
}

}  // namespace

NsslError toNsslError(tls::TlsStatus status)
{
    switch (status) {
    case tls::TlsStatus::Ok:
        return NsslError::OK;
    case tls::TlsStatus::WantRead:
        return NsslError::WANT_READ;
    case tls::TlsStatus::WantWrite:
        return NsslError::WANT_WRITE;
    case tls::TlsStatus::ZeroReturn:
        return NsslError::ZERO_RETURN;
    case tls::TlsStatus::IoError:
        return NsslError::IO_ERROR;
    case tls::TlsStatus::HandshakeFailed:
        return NsslError::HANDSHAKE_ERROR;
    case tls::TlsStatus::Closed:
        break;
    }
    return NsslError::ZERO_RETURN;  // we closed it ourselves: no more data will come
}

Connection::Connection(std::shared_ptr<Context> context, std::shared_ptr<SocketTransport> transport, std::string host,
                       std::uint32_t options, bool blocking, ConnectionEnvironment env)
    : context_(std::move(context)), transport_(std::move(transport)), host_(std::move(host)), options_(options),
      blocking_(blocking), env_(env),
      tap_(debug::ConnectionTap::create({env.config.pcapPath, env.config.keyLogPath, env.config.chainDumpDir}, host_))
{
}

void Connection::tapHandshake()
{
    if (!tap_ || !tls_)
        return;
    const bool established = tls_->established();
    if (!established && !tls_->failure())
        return;  // still under way (a timed-out wait may be retried)
    std::vector<pki::Bytes> chain;
    if (tls_->resumed() && offered_) {
        chain = offered_->peerChain;
    } else {
        auto sent = tls_->peerChain();
        chain.assign(sent.begin(), sent.end());
    }
    tap_->handshakeEnded(established, transport_->waitItem(false, false).fd, chain);
    tapKeys();
}

void Connection::tapKeys()
{
    // After every transfer, not per record: a renegotiation completes inside a read or write.
    const auto random = tls_->clientRandom();
    if (!random.empty() && !tap_->keysLogged(random))
        tap_->logKeys(random, tls_->keyLogLine());
}

NsslError Connection::failIo(std::string text)
{
    failure_ = {tls::FailureReason::Io, BR_ERR_IO, -1, std::move(text)};
    return fail(NsslError::IO_ERROR, fmt::format("{} (Io)", failure_.text));
}

NsslError Connection::fail(NsslError code, std::string reason)
{
    lastErrorCode_ = code;
    lastError_ = fmt::format("{}: {}", resultName(code), reason);
    log::nssl().warn("connection to '{}': {}", host_, lastError_);
    return code;
}

NsslError Connection::offerSession(std::shared_ptr<Session> session)
{
    Lock lock(mutex_);
    if (tls_)
        return NsslError::INVALID_STATE;  // the handshake has started: too late to offer one
    offered_ = std::move(session);
    return NsslError::OK;
}

NsslError Connection::ensureEngine(Lock& lock)
{
    if (tls_)
        return NsslError::OK;
    // The clock is an embedding hook: read with the connection unlocked (no hook under a lock).
    lock.unlock();
    const auto now = env_.hooks.now();
    lock.lock();
    if (tls_)
        return NsslError::OK;  // another guest thread started the handshake meanwhile
    if (closed_)
        return failIo("the process ended");
    tls::ClientConfig config = handshakeConfig(context_->snapshot(), env_.config, host_, options_, now);
    if (offered_ && !offered_->removed)
        config.resume = offered_->parameters;

    auto created = tls::TlsClient::create(std::move(config), transport_);
    if (!created) {
        failure_ = created.error();
        return fail(NsslError::HANDSHAKE_ERROR, failure_.text);
    }
    tls_ = std::move(*created);
    return NsslError::OK;
}

NsslError Connection::waitLinkUp(Lock& lock)
{
    for (;;) {
        switch (transport_->link()) {
        case SocketTransport::Link::Connected:
            return NsslError::OK;
        case SocketTransport::Link::NotConnected:
            return failIo("the socket is not connected");
        case SocketTransport::Link::Failed:
            return failIo("the socket's TCP connect failed");
        case SocketTransport::Link::Closed:
            return failIo("the socket was closed");
        case SocketTransport::Link::Connecting:
            break;
        }
        // A TCP connect still in progress counts as WANT_WRITE (docs/abi.md).
        if (nonBlocking())
            return NsslError::WANT_WRITE;
        if (NsslError e = waitFor(lock, tls::TlsStatus::WantWrite); e != NsslError::OK)
            return e;
    }
}

NsslError Connection::waitFor(Lock& lock, tls::TlsStatus blockedOn)
{
    const bool wantRead = blockedOn == tls::TlsStatus::WantRead;
    const bool wantWrite = blockedOn == tls::TlsStatus::WantWrite || (tls_ && tls_->hasPendingOutput());
    guest::Deadline deadline;
    if (env_.config.blockingTimeout.count() > 0)
        deadline = Clock::now() + env_.config.blockingTimeout;
    guest::WaitItem target = transport_->waitItem(wantRead, wantWrite);
    lock.unlock();  // another guest thread may use the connection meanwhile
    const guest::WaitResult waited = guest::waitFor(
        env_.hooks, {&target, 1}, {&transport_->closeSignal(), &interrupt_, &env_.teardown}, deadline);
    lock.lock();
    if (waited == guest::WaitResult::Aborted)
        return failIo("aborted: the socket, connection or library was closed meanwhile");
    if (waited == guest::WaitResult::TimedOut)
        return failIo(fmt::format("timed out after {} waiting for the peer", durationText(env_.config.blockingTimeout)));
    return NsslError::OK;
}

template <class F>
NsslError Connection::drive(Lock& lock, F&& step)
{
    for (;;) {
        if (!tls_)
            return failIo("the process ended");  // close() ran while this call waited
        const tls::TlsStatus status = step();
        if (status == tls::TlsStatus::Ok)
            return NsslError::OK;
        if (status == tls::TlsStatus::WantRead || status == tls::TlsStatus::WantWrite) {
            if (nonBlocking())
                return toNsslError(status);
            if (NsslError e = waitFor(lock, status); e != NsslError::OK)
                return e;
            continue;
        }
        const NsslError code = toNsslError(status);
        if (status == tls::TlsStatus::ZeroReturn)
            return code;  // an orderly close is no failure worth a warning
        failure_ = tls_->failure();
        return fail(code, failure_ ? fmt::format("{} ({})", failure_.text, tls::failureReasonName(failure_.reason))
                                   : std::string(tls::tlsStatusName(status)));
    }
}

NsslError Connection::handshakeLocked(Lock& lock)
{
    if (tls_ && tls_->established())
        return NsslError::OK;  // every read and write passes here: keep it one test
    if (closed_)
        return failIo("the process ended");
    if (NsslError e = waitLinkUp(lock); e != NsslError::OK)
        return e;
    if (NsslError e = ensureEngine(lock); e != NsslError::OK)
        return e;
    const NsslError e = drive(lock, [&] { return tls_->handshake(); });
    tapHandshake();
    return e;
}

NsslError Connection::handshake()
{
    Lock lock(mutex_);
    return handshakeLocked(lock);
}

Result<std::size_t> Connection::read(std::span<std::uint8_t> buffer)
{
    std::size_t got = 0;
    Lock lock(mutex_);
    if (NsslError e = handshakeLocked(lock); e != NsslError::OK)
        return wiiu::fail(e);
    const NsslError e = drive(lock, [&] { return tls_->read(buffer, got); });
    bytesRead_ += got;
    if (tap_) {
        tap_->read(buffer.first(got));
        tapKeys();
    }
    if (e != NsslError::OK)
        return wiiu::fail(e);
    return got;
}

Result<std::size_t> Connection::write(std::span<const std::uint8_t> data)
{
    std::size_t written = 0;
    Lock lock(mutex_);
    if (NsslError e = handshakeLocked(lock); e != NsslError::OK)
        return wiiu::fail(e);
    // Blocking: everything goes out. Non-blocking: as much as the engine takes now, reported
    // honestly; WANT_* only when nothing at all was taken.
    const NsslError e = drive(lock, [&] {
        std::size_t accepted = 0;
        const tls::TlsStatus status = tls_->write(data.subspan(written), accepted);
        if (tap_)
            tap_->wrote(data.subspan(written, accepted));
        written += accepted;
        bytesWritten_ += accepted;
        if (status == tls::TlsStatus::Ok && written < data.size() && !nonBlocking())
            return tls::TlsStatus::WantWrite;  // keep going: a blocking write sends it all
        if ((status == tls::TlsStatus::WantRead || status == tls::TlsStatus::WantWrite) && written > 0 && nonBlocking())
            return tls::TlsStatus::Ok;  // a partial count is the honest answer
        return status;
    });
    if (tap_)
        tapKeys();
    if (e != NsslError::OK)
        return wiiu::fail(e);
    return written;
}

std::size_t Connection::pending() const
{
    Lock lock(mutex_);
    return tls_ ? tls_->pending() : 0;
}

bool Connection::established() const
{
    Lock lock(mutex_);
    return tls_ && tls_->established();
}

bool Connection::resumed() const
{
    Lock lock(mutex_);
    return tls_ && tls_->resumed();
}

std::optional<CipherInfo> Connection::cipher() const
{
    Lock lock(mutex_);
    if (!tls_ || !tls_->established())
        return std::nullopt;
    return CipherInfo{tls_->cipherSuite(), tls_->version(), std::string(tls_->cipherSuiteName())};
}

std::optional<tls::SessionParameters> Connection::sessionParameters() const
{
    Lock lock(mutex_);
    if (!tls_ || !tls_->established())
        return std::nullopt;
    return tls_->session();
}

std::vector<pki::Bytes> Connection::peerChain() const
{
    Lock lock(mutex_);
    if (!tls_)
        return {};
    if (tls_->resumed() && offered_)
        return offered_->peerChain;
    auto chain = tls_->peerChain();
    return {chain.begin(), chain.end()};
}

tls::TlsFailure Connection::failure() const
{
    Lock lock(mutex_);
    return failure_;
}

std::uint32_t Connection::quirksUsed() const
{
    Lock lock(mutex_);
    return tls_ ? tls_->quirksUsed() : 0;
}

std::string Connection::keyLogLine() const
{
    Lock lock(mutex_);
    return tls_ ? tls_->keyLogLine() : std::string();
}

NsslError Connection::shutdown()
{
    Lock lock(mutex_);
    const bool shut = transport_->shutForWriting();
    if (tls_ && tls_->established() && !shut) {
        // Best effort and bounded: our close_notify goes out; the peer's answer is not awaited
        // beyond what arrives at once (a console does not hang on a silent server here either).
        for (int round = 0; round < 4; ++round) {
            const tls::TlsStatus status = tls_->close();
            if (status != tls::TlsStatus::WantWrite)
                break;
            guest::WaitItem item = transport_->waitItem(false, true);
            lock.unlock();  // no hook under a lock: wait() may switch to a fiber that uses this connection
            guest::waitFor(env_.hooks, {&item, 1}, {&env_.teardown}, Clock::now() + std::chrono::milliseconds(250));
            lock.lock();
            if (!tls_)
                break;  // the connection was destroyed meanwhile
        }
    }
    return shut ? NsslError::SSL_SHUTDOWN_ERROR : NsslError::OK;
}

void Connection::close()
{
    interrupt_.signal();
    Lock lock(mutex_);  // never held across a wait, so this is bounded
    closed_ = true;
    if (tls_ && tls_->established() && !transport_->shutForWriting())
        tls_->close();  // one non-blocking attempt: a full socket buffer loses the alert, not time
    tls_.reset();
    tap_.reset();
    offered_.reset();
    context_.reset();
}

ConnectionStatus Connection::status(std::int32_t handle) const
{
    ConnectionStatus s;
    {
        Lock lock(mutex_);
        s.handle = handle;
        s.host = host_;
        s.bytesRead = bytesRead_;
        s.bytesWritten = bytesWritten_;
        s.lastErrorCode = lastErrorCode_;
        s.lastError = lastError_;
        s.failureReason = failure_.reason;
        s.failureText = failure_.text;
        if (closed_) {
            s.state = "closed";
        } else if (!tls_) {
            s.state = "created";
        } else if (tls_->established()) {
            s.state = "established";
            s.version = tls_->version();
            s.suite = std::string(tls_->cipherSuiteName());
            s.resumed = tls_->resumed();
        } else {
            s.state = failure_ ? "failed" : "handshaking";
        }
    }
    s.quirksUsed = quirksUsed();
    s.peerChain = peerChain();
    return s;
}

}  // namespace wiiu::nssl
