#include "support/bearssl_server.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/bearssl.h"
#include "platform/socket.h"
#include "tls/trust_store.h"

namespace wiiu::test {

namespace asio = boost::asio;
using boost::system::error_code;

// Sockets through Boost.Asio (non-blocking steps, never run) and waits through the platform
// layer's poll, so the server builds for Windows too.
struct BearSslServer::Impl {
    Options options;
    asio::io_context io;
    std::optional<asio::ip::tcp::acceptor> listener;
    platform::WakeSignal stopSignal;
    br_skey_decoder_context key{};
    unsigned issuerKeyType = BR_KEYTYPE_RSA;
    std::vector<br_x509_certificate> chain;
    std::shared_ptr<const tls::TrustStore> clientCAs;
    std::vector<unsigned char> cacheStore = std::vector<unsigned char>(16 * 1024);
    br_ssl_session_cache_lru cache{};

    // Per connection; heap-held because the engine state is large.
    struct Session {
        br_ssl_server_context sc{};
        br_x509_minimal_context xc{};
        unsigned char iobuf[BR_SSL_BUFSIZE_BIDI]{};
    };
};

namespace {

bool wouldBlock(const error_code& ec)
{
    return ec == asio::error::would_block || ec == asio::error::try_again || ec == asio::error::interrupted;
}

}  // namespace

std::unique_ptr<BearSslServer> BearSslServer::start(Options options, std::string* why)
{
    auto fail = [why](const char* text) {
        if (why) *why = text;
        return std::unique_ptr<BearSslServer>();
    };
    std::unique_ptr<BearSslServer> server(new BearSslServer());
    server->impl_ = std::make_unique<Impl>();
    Impl& im = *server->impl_;
    im.options = std::move(options);
    if (im.options.chain.empty()) return fail("no server certificate");

    br_skey_decoder_init(&im.key);
    br_skey_decoder_push(&im.key, im.options.key.data(), im.options.key.size());
    if (br_skey_decoder_key_type(&im.key) == 0) return fail("server key not decodable");
    br_x509_decoder_context dc;
    br_x509_decoder_init(&dc, nullptr, nullptr);
    br_x509_decoder_push(&dc, im.options.chain[0].data(), im.options.chain[0].size());
    if (!br_x509_decoder_get_pkey(&dc)) return fail("server certificate not decodable");
    im.issuerKeyType = br_x509_decoder_get_signer_key_type(&dc);
    for (auto& der : im.options.chain) im.chain.push_back({der.data(), der.size()});
    if (!im.options.clientCAs.empty()) {
        auto store = tls::TrustStore::fromDer(im.options.clientCAs);
        if (!store) return fail("client CA not decodable");
        im.clientCAs = *store;
    }
    br_ssl_session_cache_lru_init(&im.cache, im.cacheStore.data(), im.cacheStore.size());

    error_code ec;
    auto& listener = im.listener.emplace(im.io);
    listener.open(asio::ip::tcp::v4(), ec);
    if (!ec) listener.bind({asio::ip::address_v4::loopback(), 0}, ec);
    if (!ec) listener.listen(64, ec);
    if (!ec) listener.non_blocking(true, ec);
    if (ec) return fail("cannot listen on 127.0.0.1");
    server->port_ = listener.local_endpoint(ec).port();
    if (im.stopSignal.handle() == platform::invalidSocket) return fail("no stop signal");
    server->thread_ = std::thread([s = server.get()] { s->run(); });
    return server;
}

BearSslServer::~BearSslServer() { stop(); }

void BearSslServer::stop()
{
    if (thread_.joinable()) {
        impl_->stopSignal.signal();  // stays signalled: every later wait sees it
        thread_.join();
    }
    if (impl_ && impl_->listener) {
        error_code ignored;
        impl_->listener->close(ignored);
    }
}

bool BearSslServer::waitForConnections(std::size_t count, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return done_.size() >= count; });
}

std::vector<BearSslServer::Connection> BearSslServer::connections() const
{
    std::lock_guard lock(mutex_);
    return done_;
}

namespace {

// One connection's engine loop. Returns what the server saw.
class Serve {
public:
    Serve(BearSslServer::Impl& im, BearSslServer::Impl::Session& s, asio::ip::tcp::socket& socket)
        : im_(im), s_(s), eng_(&s.sc.eng), socket_(socket)
    {
        br_sha256_init(&hash_);
    }

    BearSslServer::Connection run();

private:
    bool setup();
    bool pollFor(bool wantRead, bool wantWrite, int timeoutMs);  // false when asked to stop
    /// One non-blocking send or receive: bytes moved, 0 when it would block, -1 when the
    /// connection is gone (a receive also when the client closed).
    long sendSome(const unsigned char* data, std::size_t len);
    long receiveSome(unsigned char* data, std::size_t len);
    void produce();
    void consume();
    void endConnection(bool reset);
    void sendFatalAlert();

    BearSslServer::Impl& im_;
    BearSslServer::Impl::Session& s_;
    br_ssl_engine_context* eng_;
    asio::ip::tcp::socket& socket_;
    br_sha256_context hash_{};
    BearSslServer::Connection c_;
    std::string echo_;
    std::size_t payloadSent_ = 0;
    std::size_t sinceBreath_ = 0;
    bool closing_ = false;
    bool finished_ = false;
};

bool Serve::setup()
{
    const auto& o = im_.options;
    const int type = br_skey_decoder_key_type(&im_.key);
    if (type == BR_KEYTYPE_RSA)
        br_ssl_server_init_full_rsa(&s_.sc, im_.chain.data(), im_.chain.size(),
                                    br_skey_decoder_get_rsa(&im_.key));
    else
        br_ssl_server_init_full_ec(&s_.sc, im_.chain.data(), im_.chain.size(), im_.issuerKeyType,
                                   br_skey_decoder_get_ec(&im_.key));
    br_ssl_engine_set_versions(eng_, o.minVersion, o.maxVersion);
    if (!o.suites.empty()) br_ssl_engine_set_suites(eng_, o.suites.data(), o.suites.size());
    if (o.sessionCache) br_ssl_server_set_cache(&s_.sc, &im_.cache.vtable);
    if (im_.clientCAs) {
        auto tas = im_.clientCAs->anchors();
        br_x509_minimal_init_full(&s_.xc, tas.data(), tas.size());
        br_ssl_engine_set_x509(eng_, &s_.xc.vtable);
        br_ssl_server_set_trust_anchor_names_alt(&s_.sc, tas.data(), tas.size());
    }
    br_ssl_engine_set_buffer(eng_, s_.iobuf, sizeof s_.iobuf, 1);
    return br_ssl_server_reset(&s_.sc) != 0;
}

bool Serve::pollFor(bool wantRead, bool wantWrite, int timeoutMs)
{
    platform::PollEntry p[2] = {{.socket = static_cast<platform::NativeSocket>(socket_.native_handle()),
                                 .read = wantRead, .write = wantWrite},
                                {.socket = im_.stopSignal.handle(), .read = true}};
    platform::poll(p, timeoutMs);
    return !p[1].readReady;
}

long Serve::sendSome(const unsigned char* data, std::size_t len)
{
    error_code ec;
    const std::size_t n = socket_.send(asio::buffer(data, len), 0, ec);  // Asio adds MSG_NOSIGNAL
    if (ec) return wouldBlock(ec) ? 0 : -1;
    return static_cast<long>(n);
}

long Serve::receiveSome(unsigned char* data, std::size_t len)
{
    error_code ec;
    const std::size_t n = socket_.receive(asio::buffer(data, len), 0, ec);
    if (ec) return wouldBlock(ec) ? 0 : -1;
    return n == 0 ? -1 : static_cast<long>(n);
}

void Serve::produce()
{
    const auto& o = im_.options;
    std::size_t len = 0;
    unsigned char* buf = br_ssl_engine_sendapp_buf(eng_, &len);
    std::size_t n = 0;
    switch (o.behavior) {
    case BearSslServer::Behavior::Echo:
        n = std::min(len, echo_.size());
        std::memcpy(buf, echo_.data(), n);
        echo_.erase(0, n);
        break;
    case BearSslServer::Behavior::Bulk:
        n = std::min(len, o.bulkBytes - c_.sent);
        for (std::size_t i = 0; i < n; ++i) buf[i] = BearSslServer::bulkByte(c_.sent + i);
        break;
    case BearSslServer::Behavior::SendThenCloseNotify:
    case BearSslServer::Behavior::SendThenFin:
    case BearSslServer::Behavior::SendThenReset:
    case BearSslServer::Behavior::SendThenFatalAlert:
        n = std::min(len, o.payload.size() - payloadSent_);
        std::memcpy(buf, o.payload.data() + payloadSent_, n);
        payloadSent_ += n;
        break;
    case BearSslServer::Behavior::Stall: break;
    }
    if (n == 0) return;
    c_.sent += n;
    br_ssl_engine_sendapp_ack(eng_, n);
    br_ssl_engine_flush(eng_, 0);
}

void Serve::consume()
{
    std::size_t len = 0;
    unsigned char* buf = br_ssl_engine_recvapp_buf(eng_, &len);
    if (im_.options.behavior == BearSslServer::Behavior::Echo) echo_.append(buf, buf + len);
    br_sha256_update(&hash_, buf, len);
    c_.received += len;
    sinceBreath_ += len;
    br_ssl_engine_recvapp_ack(eng_, len);
    if (im_.options.resetAfterReceived != 0 && c_.received >= im_.options.resetAfterReceived)
        endConnection(true);
}

void Serve::endConnection(bool reset)
{
    if (reset) {
        error_code ignored;
        socket_.set_option(asio::socket_base::linger(true, 0), ignored);
    }
    finished_ = true;
}

// BearSSL has no API to send an alert of our choosing on an established connection. The engine
// encrypts whatever sits in the application buffer as a record of type `record_type_out`
// (bearssl_ssl.h documents the field), so one record of type 21 (alert) carrying {fatal,
// internal_error} is a genuine encrypted fatal alert. The engine is dropped afterwards.
void Serve::sendFatalAlert()
{
    std::size_t len = 0;
    unsigned char* buf = br_ssl_engine_sendapp_buf(eng_, &len);
    if (buf == nullptr || len < 2) {
        endConnection(false);
        return;
    }
    const unsigned char previous = eng_->record_type_out;
    eng_->record_type_out = 21;
    buf[0] = 2;   // fatal
    buf[1] = 80;  // internal_error
    br_ssl_engine_sendapp_ack(eng_, 2);
    br_ssl_engine_flush(eng_, 0);
    eng_->record_type_out = previous;
    // Push the record out, then close without close_notify.
    for (int spins = 0; spins < 1000; ++spins) {
        if (!(br_ssl_engine_current_state(eng_) & BR_SSL_SENDREC)) break;
        std::size_t n = 0;
        unsigned char* rec = br_ssl_engine_sendrec_buf(eng_, &n);
        const long sent = sendSome(rec, n);
        if (sent > 0)
            br_ssl_engine_sendrec_ack(eng_, static_cast<std::size_t>(sent));
        else if (sent < 0)
            break;
        else if (!pollFor(false, true, 100))
            break;
    }
    endConnection(false);
}

BearSslServer::Connection Serve::run()
{
    using B = BearSslServer::Behavior;
    const auto& o = im_.options;
    if (!setup()) {
        c_.error = br_ssl_engine_last_error(eng_);
        return c_;
    }
    if (o.behavior == B::Stall) {
        while (pollFor(false, false, 1000)) {}
        return c_;
    }
    while (!finished_) {
        const unsigned st = br_ssl_engine_current_state(eng_);
        if (st & BR_SSL_CLOSED) {
            c_.error = br_ssl_engine_last_error(eng_);
            c_.cleanClose = c_.error == BR_ERR_OK;
            break;
        }
        bool progress = false;
        if (st & BR_SSL_SENDREC) {
            std::size_t len = 0;
            unsigned char* buf = br_ssl_engine_sendrec_buf(eng_, &len);
            const long n = sendSome(buf, len);
            if (n > 0) {
                br_ssl_engine_sendrec_ack(eng_, static_cast<std::size_t>(n));
                progress = true;
            } else if (n < 0) {
                c_.error = BR_ERR_IO;
                break;
            }
        }
        if (!c_.handshakeOk && (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP))) {
            c_.handshakeOk = true;
            c_.version = br_ssl_engine_get_version(eng_);
            br_ssl_session_parameters sp;
            br_ssl_engine_get_session_parameters(eng_, &sp);
            c_.suite = sp.cipher_suite;
            if (const char* sni = br_ssl_engine_get_server_name(eng_)) c_.sni = sni;
        }
        const bool throttled = o.slowReader && sinceBreath_ >= 64 * 1024;
        if (throttled) {  // the slow reader: let the client's buffers fill up
            sinceBreath_ = 0;
            if (!pollFor(false, false, 1)) break;
            progress = true;  // the unread data is still there: loop, do not wait for I/O
        }
        if ((st & BR_SSL_RECVAPP) && !throttled) {
            consume();
            progress = true;
            if (finished_) break;
        }
        if (c_.handshakeOk && !closing_ && (st & BR_SSL_SENDAPP)) {
            const std::size_t before = c_.sent;
            produce();
            progress |= c_.sent != before;
            const bool payloadDone = payloadSent_ == o.payload.size();
            const bool sendRecDrained = !(br_ssl_engine_current_state(eng_) & BR_SSL_SENDREC);
            switch (o.behavior) {
            case B::SendThenCloseNotify:
                if (payloadDone) br_ssl_engine_close(eng_), closing_ = true;
                break;
            case B::SendThenFin:
            case B::SendThenReset:
                if (payloadDone && sendRecDrained) endConnection(o.behavior == B::SendThenReset);
                break;
            case B::SendThenFatalAlert:
                if (payloadDone && sendRecDrained) sendFatalAlert();
                break;
            case B::Bulk:
                if (c_.sent == o.bulkBytes && c_.received == o.bulkBytes)
                    br_ssl_engine_close(eng_), closing_ = true;
                break;
            default: break;
            }
            if (finished_) break;
        }
        if ((st & BR_SSL_RECVREC) && !throttled) {
            std::size_t len = 0;
            unsigned char* buf = br_ssl_engine_recvrec_buf(eng_, &len);
            const long n = receiveSome(buf, len);
            if (n > 0) {
                br_ssl_engine_recvrec_ack(eng_, static_cast<std::size_t>(n));
                progress = true;
            } else if (n < 0) {
                c_.error = BR_ERR_IO;  // the client went away without close_notify
                break;
            }
        }
        if (!progress) {
            const unsigned now = br_ssl_engine_current_state(eng_);
            if (!pollFor(now & BR_SSL_RECVREC, now & BR_SSL_SENDREC, 1000)) break;
        }
    }
    br_sha256_out(&hash_, c_.receivedSha256.data());
    return c_;
}

}  // namespace

void BearSslServer::run()
{
    Impl& im = *impl_;
    for (;;) {
        platform::PollEntry p[2] = {{.socket = static_cast<platform::NativeSocket>(im.listener->native_handle()),
                                     .read = true},
                                    {.socket = im.stopSignal.handle(), .read = true}};
        platform::poll(p, -1);
        if (p[1].readReady) return;
        if (!p[0].readReady) continue;
        asio::ip::tcp::socket socket(im.io);
        error_code ec;
        im.listener->accept(socket, ec);
        if (ec) continue;
        socket.non_blocking(true, ec);
        socket.set_option(asio::ip::tcp::no_delay(true), ec);
        if (im.options.receiveBuffer > 0)
            socket.set_option(asio::socket_base::receive_buffer_size(im.options.receiveBuffer), ec);
        if (im.options.answerDelay.count() > 0)
            std::this_thread::sleep_for(im.options.answerDelay);
        auto session = std::make_unique<Impl::Session>();
        Connection c = Serve(im, *session, socket).run();
        socket.close(ec);
        {
            std::lock_guard lock(mutex_);
            done_.push_back(std::move(c));
        }
        changed_.notify_all();
    }
}

}  // namespace wiiu::test
