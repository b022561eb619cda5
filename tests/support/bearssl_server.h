// An in-process BearSSL TLS server on its own thread, for tests that need precise control of
// the peer: the certificate chain it sends, client certificate demands, versions, suites, the
// session cache, and how it ends a connection (close_notify, plain FIN, reset, or stalling).
// Connections are served one at a time, each with a non-blocking engine loop.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pki/types.h"

namespace wiiu::test {

class BearSslServer {
public:
    enum class Behavior {
        Echo,                 ///< echo application data until the client closes
        SendThenCloseNotify,  ///< send `payload`, then close_notify
        SendThenFin,          ///< send `payload`, then close the TCP socket without close_notify
        SendThenReset,        ///< send `payload`, then reset the TCP connection
        Stall,                ///< accept, never answer (until stopped)
        Bulk,                 ///< send `bulkBytes` of bulkByte() while receiving as many
        SendThenFatalAlert,   ///< send `payload`, then an encrypted fatal alert (internal_error),
                              ///< then close the TCP socket
    };

    struct Options {
        std::vector<pki::Bytes> chain;  ///< DER, leaf first
        pki::Bytes key;                 ///< DER private key (PKCS#1, PKCS#8, SEC1)
        unsigned minVersion = 0x0301;
        unsigned maxVersion = 0x0303;
        std::vector<std::uint16_t> suites;  ///< empty: BearSSL's full server profile
        bool sessionCache = true;
        std::vector<pki::Bytes> clientCAs;  ///< non-empty: require a client certificate from these
        Behavior behavior = Behavior::Echo;
        std::string payload;
        std::size_t bulkBytes = 0;
        bool slowReader = false;  ///< Bulk: pause after every 64 KiB read
        int receiveBuffer = 0;    ///< SO_RCVBUF of the accepted socket (0 = default)
        /// Any behaviour: reset the TCP connection once this many application bytes have been
        /// received (0 = never). A peer that dies while the client is writing.
        std::size_t resetAfterReceived = 0;
        /// Wait this long after accepting before serving: a non-blocking client's first read then
        /// surely finds nothing, whatever the load on the machine.
        std::chrono::milliseconds answerDelay{0};
    };

    /// What the server saw on one connection.
    struct Connection {
        bool handshakeOk = false;
        int error = 0;  ///< br_ssl_engine_last_error at the end
        std::string sni;
        std::uint16_t version = 0;
        std::uint16_t suite = 0;
        std::size_t received = 0;
        std::array<std::uint8_t, 32> receivedSha256{};
        std::size_t sent = 0;
        bool cleanClose = false;  ///< the client's close_notify arrived
    };

    /// Byte `i` of the Bulk stream (both directions use the same pattern).
    static std::uint8_t bulkByte(std::size_t i)
    {
        return static_cast<std::uint8_t>((i * 131 + (i >> 9)) & 0xff);
    }

    static std::unique_ptr<BearSslServer> start(Options options, std::string* why = nullptr);
    ~BearSslServer();
    BearSslServer(const BearSslServer&) = delete;
    BearSslServer& operator=(const BearSslServer&) = delete;

    std::uint16_t port() const { return port_; }
    /// Waits until `count` connections have ended; false on timeout.
    bool waitForConnections(std::size_t count,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10));
    std::vector<Connection> connections() const;
    void stop();

    struct Impl;

private:
    BearSslServer() = default;
    void run();

    std::unique_ptr<Impl> impl_;
    std::uint16_t port_ = 0;  // the listener and the stop signal are in Impl
    std::thread thread_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Connection> done_;
};

}  // namespace wiiu::test
