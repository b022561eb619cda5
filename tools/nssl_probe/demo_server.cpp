#include "demo_server.h"

#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

namespace wiiu::probe {

struct DemoServer::State {
    std::vector<br_x509_certificate> chain;
    br_ssl_session_cache_lru cache{};
    unsigned char cacheStore[16 * 1024]{};
    // Client authentication: the CA as a trust anchor.
    std::vector<std::uint8_t> caSubject;
    br_x509_trust_anchor anchor{};
};

namespace {

namespace asio = boost::asio;

// A silent client must not hold the demo up: every receive waits at most this long.
constexpr auto kReceiveTimeout = std::chrono::seconds(5);

int recvCallback(void* ctx, unsigned char* buf, std::size_t len)
{
    auto& socket = *static_cast<asio::ip::tcp::socket*>(ctx);
    auto& io = static_cast<asio::io_context&>(socket.get_executor().context());
    // Asio's blocking calls take no timeout: the receive is asynchronous, run for at most the
    // timeout on this (the server's) thread, and cancelled if it has not completed by then.
    bool done = false;
    boost::system::error_code ec;
    std::size_t n = 0;
    socket.async_receive(asio::buffer(buf, len), [&](const boost::system::error_code& e, std::size_t got) {
        done = true;
        ec = e;
        n = got;
    });
    io.restart();
    io.run_for(kReceiveTimeout);
    if (!done) {
        socket.cancel();
        io.run();  // the cancelled handler
        return -1;
    }
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
        const DemoCert& ca = *options_.clientCa;
        const DemoKey& key = *ca.key;
        state_->caSubject = ca.subject;
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
        port_ = acceptor_.local_endpoint(ec).port();
    if (ec)
        throw std::runtime_error("demo server: cannot listen on 127.0.0.1: " + ec.message());
    thread_ = std::thread([this] { run(); });
}

DemoServer::~DemoServer()
{
    // run() waits in a blocking accept, which nothing portable interrupts from another thread:
    // it is woken by a connection of its own, which it recognises by the flag. A connection to
    // a listening socket on the loopback interface does not fail.
    stopping_ = true;
    asio::io_context io;
    asio::ip::tcp::socket wake(io);
    boost::system::error_code ec;
    wake.connect({asio::ip::address_v4::loopback(), port_}, ec);
    if (thread_.joinable())
        thread_.join();
}

void DemoServer::run()
{
    for (;;) {
        asio::ip::tcp::socket socket(io_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (stopping_)
            return;
        if (!ec)
            serve(socket);  // blocking sends; recvCallback bounds each receive
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
