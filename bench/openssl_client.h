// The second baseline: an OpenSSL 3 client in-process (SSL_read / SSL_write, blocking socket),
// TLS 1.2, verifying the chain and the host name like the other two, no session tickets
// (resumption by session ID, as BearSSL does).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct ssl_session_st SSL_SESSION;

namespace wiiu::bench {

class OpenSslClientContext {
public:
    explicit OpenSslClientContext(const std::string& caPem);
    ~OpenSslClientContext();
    OpenSslClientContext(const OpenSslClientContext&) = delete;
    OpenSslClientContext& operator=(const OpenSslClientContext&) = delete;
    SSL_CTX* get() const { return ctx_; }

private:
    SSL_CTX* ctx_;
};

class OpenSslClient {
public:
    /// Connects and handshakes, offering `resume` when given. Nothing on failure.
    static std::unique_ptr<OpenSslClient> connect(const OpenSslClientContext& ctx, std::uint16_t port,
                                                  SSL_SESSION* resume = nullptr);
    ~OpenSslClient();
    OpenSslClient(const OpenSslClient&) = delete;
    OpenSslClient& operator=(const OpenSslClient&) = delete;

    bool write(std::span<const std::uint8_t> data);
    std::size_t read(std::span<std::uint8_t> buffer);  ///< 0 on close or error
    void close();                                       ///< close_notify both ways, then the socket
    SSL_SESSION* session() const;                       ///< a new reference (SSL_SESSION_free it)
    bool resumed() const;

private:
    OpenSslClient() = default;
    SSL* ssl_ = nullptr;
    int fd_ = -1;
};

}  // namespace wiiu::bench
