#include "demo_server.h"

#include <stdexcept>

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

namespace asio = boost::asio;

int recvCallback(void* ctx, unsigned char* buf, std::size_t len)
{
    auto& socket = *static_cast<asio::ip::tcp::socket*>(ctx);
    // A silent client must not hold the demo up: every receive waits at most 5 s.
    platform::PollEntry readable{.socket = static_cast<platform::NativeSocket>(socket.native_handle()), .read = true};
    if (platform::poll({&readable, 1}, 5000) == 0)
        return -1;
    boost::system::error_code ec;
    const std::size_t n = socket.receive(asio::buffer(buf, len), 0, ec);
    return ec || n == 0 ? -1 : static_cast<int>(n);  // EOF or error
}

int sendCallback(void* ctx, const unsigned char* buf, std::size_t len)
{
    auto& socket = *static_cast<asio::ip::tcp::socket*>(ctx);
    boost::system::error_code ec;
    const std::size_t n = socket.send(asio::buffer(buf, len), 0, ec);  // Asio adds MSG_NOSIGNAL
    return ec || n == 0 ? -1 : static_cast<int>(n);
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

    boost::system::error_code ec;
    acceptor_.open(asio::ip::tcp::v4(), ec);
    if (!ec)
        acceptor_.bind({asio::ip::address_v4::loopback(), 0}, ec);
    if (!ec)
        acceptor_.listen(8, ec);
    if (!ec)
        acceptor_.non_blocking(true, ec);  // run() accepts only what poll said is there
    if (!ec)
        port_ = acceptor_.local_endpoint(ec).port();
    if (ec)
        throw std::runtime_error("demo server: cannot listen on 127.0.0.1: " + ec.message());
    thread_ = std::thread([this] { run(); });
}

DemoServer::~DemoServer()
{
    stop_.signal();
    if (thread_.joinable())
        thread_.join();
}

void DemoServer::run()
{
    for (;;) {
        platform::PollEntry fds[2] = {
            {.socket = static_cast<platform::NativeSocket>(acceptor_.native_handle()), .read = true},
            {.socket = stop_.handle(), .read = true}};
        platform::poll(fds, -1);
        if (fds[1].readReady || fds[1].failed)
            return;
        if (!fds[0].readReady)
            continue;
        asio::ip::tcp::socket socket(io_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec)
            continue;
        socket.non_blocking(false, ec);  // blocking I/O; recvCallback bounds each receive
        serve(socket);
    }
}

void DemoServer::serve(asio::ip::tcp::socket& socket)
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
    br_sslio_init(&e->io, &e->sc.eng, recvCallback, &socket, sendCallback, &socket);

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
