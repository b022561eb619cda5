#include "support/bearssl_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/bearssl.h"
#include "tls/trust_store.h"

namespace wiiu::test {

struct BearSslServer::Impl {
    Options options;
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

bool setNonBlocking(int fd)
{
    int flags = ::fcntl(fd, F_GETFL, 0);
    return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
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

    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, 64) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0) ::close(fd);
        return fail("cannot listen on 127.0.0.1");
    }
    server->listenFd_ = fd;
    server->port_ = ntohs(addr.sin_port);
    if (::pipe2(server->wakeFd_, O_CLOEXEC | O_NONBLOCK) != 0) return fail("pipe");
    server->thread_ = std::thread([s = server.get()] { s->run(); });
    return server;
}

BearSslServer::~BearSslServer() { stop(); }

void BearSslServer::stop()
{
    if (thread_.joinable()) {
        char c = 'x';
        [[maybe_unused]] auto n = ::write(wakeFd_[1], &c, 1);
        thread_.join();
    }
    for (int* fd : {&listenFd_, &wakeFd_[0], &wakeFd_[1]})
        if (*fd >= 0) ::close(*fd), *fd = -1;
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
    Serve(BearSslServer::Impl& im, BearSslServer::Impl::Session& s, int fd, int wake)
        : im_(im), s_(s), eng_(&s.sc.eng), fd_(fd), wake_(wake)
    {
        br_sha256_init(&hash_);
    }

    BearSslServer::Connection run();

private:
    bool setup();
    bool pollFor(bool wantRead, bool wantWrite, int timeoutMs);  // false when asked to stop
    void produce();
    void consume();
    void endConnection(bool reset);
    void sendFatalAlert();

    BearSslServer::Impl& im_;
    BearSslServer::Impl::Session& s_;
    br_ssl_engine_context* eng_;
    int fd_;
    int wake_;
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
    pollfd p[2] = {{fd_, static_cast<short>((wantRead ? POLLIN : 0) | (wantWrite ? POLLOUT : 0)), 0},
                   {wake_, POLLIN, 0}};
    int r = ::poll(p, 2, timeoutMs);
    return !(r > 0 && (p[1].revents & POLLIN));
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
        linger l{1, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
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
        const ssize_t sent = ::send(fd_, rec, n, MSG_NOSIGNAL);
        if (sent > 0)
            br_ssl_engine_sendrec_ack(eng_, static_cast<std::size_t>(sent));
        else if (sent < 0 && errno != EAGAIN && errno != EINTR)
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
            ssize_t n = ::send(fd_, buf, len, MSG_NOSIGNAL);
            if (n > 0) {
                br_ssl_engine_sendrec_ack(eng_, static_cast<std::size_t>(n));
                progress = true;
            } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
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
            ssize_t n = ::recv(fd_, buf, len, 0);
            if (n > 0) {
                br_ssl_engine_recvrec_ack(eng_, static_cast<std::size_t>(n));
                progress = true;
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
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
    for (;;) {
        pollfd p[2] = {{listenFd_, POLLIN, 0}, {wakeFd_[0], POLLIN, 0}};
        if (::poll(p, 2, -1) < 0 && errno != EINTR) return;
        if (p[1].revents & POLLIN) return;
        if (!(p[0].revents & POLLIN)) continue;
        int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        setNonBlocking(fd);
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (impl_->options.receiveBuffer > 0)
            ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &impl_->options.receiveBuffer, sizeof(int));
        auto session = std::make_unique<Impl::Session>();
        Connection c = Serve(*impl_, *session, fd, wakeFd_[0]).run();
        ::close(fd);
        {
            std::lock_guard lock(mutex_);
            done_.push_back(std::move(c));
        }
        changed_.notify_all();
    }
}

}  // namespace wiiu::test
