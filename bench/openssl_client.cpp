#include "openssl_client.h"

#include <unistd.h>

#include <openssl/ssl.h>

#include "common.h"

namespace wiiu::bench {

OpenSslClientContext::OpenSslClientContext(const std::string& caPem) : ctx_(SSL_CTX_new(TLS_client_method()))
{
    SSL_CTX_set_min_proto_version(ctx_, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx_, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx_, SSL_OP_NO_TICKET);
    SSL_CTX_load_verify_locations(ctx_, caPem.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
}

OpenSslClientContext::~OpenSslClientContext() { SSL_CTX_free(ctx_); }

std::unique_ptr<OpenSslClient> OpenSslClient::connect(const OpenSslClientContext& ctx, std::uint16_t port,
                                                      SSL_SESSION* resume)
{
    const int fd = tcpConnect(port);
    if (fd < 0)
        return nullptr;
    std::unique_ptr<OpenSslClient> c(new OpenSslClient);
    c->fd_ = fd;
    c->ssl_ = SSL_new(ctx.get());
    SSL_set_fd(c->ssl_, fd);
    SSL_set_tlsext_host_name(c->ssl_, "localhost");
    SSL_set1_host(c->ssl_, "localhost");
    if (resume)
        SSL_set_session(c->ssl_, resume);
    if (SSL_connect(c->ssl_) != 1)
        return nullptr;
    return c;
}

OpenSslClient::~OpenSslClient()
{
    if (ssl_)
        SSL_free(ssl_);
    if (fd_ >= 0)
        ::close(fd_);
}

bool OpenSslClient::write(std::span<const std::uint8_t> data)
{
    while (!data.empty()) {
        const int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
        if (n <= 0)
            return false;
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return true;
}

std::size_t OpenSslClient::read(std::span<std::uint8_t> buffer)
{
    const int n = SSL_read(ssl_, buffer.data(), static_cast<int>(buffer.size()));
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

void OpenSslClient::close()
{
    if (SSL_shutdown(ssl_) == 0)
        SSL_shutdown(ssl_);  // wait for the server's close_notify
    SSL_free(ssl_);
    ssl_ = nullptr;
    ::close(fd_);
    fd_ = -1;
}

SSL_SESSION* OpenSslClient::session() const { return SSL_get1_session(ssl_); }
bool OpenSslClient::resumed() const { return SSL_session_reused(ssl_) == 1; }

}  // namespace wiiu::bench
