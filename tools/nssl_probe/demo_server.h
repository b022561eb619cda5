// The demo's TLS server: BearSSL on its own thread, 127.0.0.1 on a free port, serving one
// connection at a time. It answers an HTTP request with a short page, keeps a session cache
// (so reconnects resume) and can require a client certificate from given CAs. A test peer, not
// part of the module: it uses BearSSL and Boost.Asio directly, as any server would.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "demo_pki.h"

namespace wiiu::probe {

class DemoServer {
public:
    struct Options {
        std::vector<std::vector<std::uint8_t>> chain;  ///< leaf first
        const DemoKey* key = nullptr;      ///< the leaf's key
        const DemoCert* clientCa = nullptr;  ///< non-null: require a client certificate it issued
        std::string name;                  ///< for the page and log lines
    };

    /// Listens and starts serving; throws std::runtime_error when it cannot.
    explicit DemoServer(Options options);
    ~DemoServer();
    DemoServer(const DemoServer&) = delete;
    DemoServer& operator=(const DemoServer&) = delete;

    std::uint16_t port() const { return port_; }
    /// Connections whose handshake completed.
    int handshakes() const { return handshakes_; }

    struct State;  // BearSSL contexts, kept across connections (the session cache)

private:
    void run();
    void serve(boost::asio::ip::tcp::socket& socket);

    Options options_;
    std::unique_ptr<State> state_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_{io_};
    std::atomic<bool> stopping_{false};  ///< the next connection accepted is the destructor's wake-up
    std::uint16_t port_ = 0;
    std::atomic<int> handshakes_{0};
    std::thread thread_;
};

}  // namespace wiiu::probe
