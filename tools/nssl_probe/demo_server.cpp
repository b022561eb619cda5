#include "demo_server.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pki/x509.h"

namespace wiiu::probe {

struct DemoServer::State {
    std::vector<br_x509_certificate> chain;
    br_ssl_session_cache_lru cache{};
    unsigned char cacheStore[16 * 1024]{};
    // Client authentication: the CA as a trust anchor.
    pki::Bytes caSubject;
    br_x509_trust_anchor anchor{};
};

namespace {

int recvCallback(void* ctx, unsigned char* buf, std::size_t len)
{
    const int fd = *static_cast<int*>(ctx);
    for (;;) {
        const ssize_t n = ::recv(fd, buf, len, 0);
        if (n > 0)
            return static_cast<int>(n);
        if (n < 0 && errno == EINTR)
            continue;
        return -1;  // EOF, error or the receive timeout
    }
}

int sendCallback(void* ctx, const unsigned char* buf, std::size_t len)
{
    const int fd = *static_cast<int*>(ctx);
    for (;;) {
        const ssize_t n = ::send(fd, buf, len, MSG_NOSIGNAL);
        if (n > 0)
            return static_cast<int>(n);
        if (n < 0 && errno == EINTR)
            continue;
        return -1;
    }
}

}  // namespace

DemoServer::DemoServer(Options options) : options_(std::move(options)), state_(std::make_unique<State>())
{
    for (auto& der : options_.chain)
        state_->chain.push_back({der.data(), der.size()});
    br_ssl_session_cache_lru_init(&state_->cache, state_->cacheStore, sizeof state_->cacheStore);
    if (options_.clientCa) {
        auto ca = pki::parseCertificate(options_.clientCa->der);
        if (!ca)
            throw std::runtime_error("demo server: client CA does not parse");
        state_->caSubject = ca->subject;
        const DemoKey& key = *options_.clientCa->key;
        state_->anchor.dn = {state_->caSubject.data(), state_->caSubject.size()};
        state_->anchor.flags = BR_X509_TA_CA;
        state_->anchor.pkey.key_type = BR_KEYTYPE_EC;
        state_->anchor.pkey.key.ec = {key.pk.curve, key.pk.q, key.pk.qlen};
    }

    listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (listenFd_ < 0 || ::bind(listenFd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
        ::listen(listenFd_, 8) != 0 || ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&sa), &len) != 0 ||
        ::pipe2(wake_, O_CLOEXEC) != 0) {
        const std::string why = std::strerror(errno);
        if (listenFd_ >= 0)
            ::close(listenFd_);
        throw std::runtime_error("demo server: cannot listen on 127.0.0.1: " + why);
    }
    port_ = ntohs(sa.sin_port);
    thread_ = std::thread([this] { run(); });
}

DemoServer::~DemoServer()
{
    const char stop = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_[1], &stop, 1);
    if (thread_.joinable())
        thread_.join();
    ::close(listenFd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
}

void DemoServer::run()
{
    for (;;) {
        pollfd fds[2] = {{listenFd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0 && errno != EINTR)
            return;
        if (fds[1].revents)
            return;
        if (!(fds[0].revents & POLLIN))
            continue;
        const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        // A silent client must not hold the demo up: every receive waits at most 5 s.
        timeval tv{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        serve(fd);
        ::close(fd);
    }
}

void DemoServer::serve(int fd)
{
    // The engine contexts are large; keep them off the thread's stack.
    struct Engine {
        br_ssl_server_context sc;
        br_x509_minimal_context xc;
        br_sslio_context io;
        unsigned char buf[BR_SSL_BUFSIZE_BIDI];
    };
    auto e = std::make_unique<Engine>();
    const DemoKey& key = *options_.key;
    br_ssl_server_init_full_ec(&e->sc, state_->chain.data(), state_->chain.size(), BR_KEYTYPE_EC, &key.sk);
    br_ssl_server_set_cache(&e->sc, &state_->cache.vtable);
    if (options_.clientCa) {
        br_x509_minimal_init_full(&e->xc, &state_->anchor, 1);
        br_ssl_engine_set_x509(&e->sc.eng, &e->xc.vtable);
        br_ssl_server_set_trust_anchor_names_alt(&e->sc, &state_->anchor, 1);
        br_ssl_engine_set_default_ecdsa(&e->sc.eng);
        br_ssl_engine_set_default_rsavrfy(&e->sc.eng);
    }
    br_ssl_engine_set_buffer(&e->sc.eng, e->buf, sizeof e->buf, 1);
    if (!br_ssl_server_reset(&e->sc))
        return;
    int sock = fd;
    br_sslio_init(&e->io, &e->sc.eng, recvCallback, &sock, sendCallback, &sock);

    // Read the request up to its blank line (or whatever comes before the client stops).
    std::string request;
    unsigned char chunk[1024];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384) {
        const int n = br_sslio_read(&e->io, chunk, sizeof chunk);
        if (n <= 0)
            break;
        request.append(reinterpret_cast<const char*>(chunk), static_cast<std::size_t>(n));
    }
    if (br_ssl_engine_current_state(&e->sc.eng) == BR_SSL_CLOSED && br_ssl_engine_last_error(&e->sc.eng) != 0)
        return;  // the handshake (or the connection) failed
    ++handshakes_;
    if (request.empty())
        return;  // a handshake-only reconnect
    const std::string body = fmt::format("Hello from {}! You asked for: {}\n", options_.name,
                                         request.substr(0, request.find("\r\n")));
    const std::string reply = fmt::format("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n"
                                          "Connection: close\r\n\r\n{}",
                                          body.size(), body);
    br_sslio_write_all(&e->io, reply.data(), reply.size());
    br_sslio_close(&e->io);  // close_notify: the client's read ends with ZERO_RETURN
}

}  // namespace wiiu::probe
