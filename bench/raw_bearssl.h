// The baseline: a plain BearSSL client (br_ssl_client_init_full + br_x509_minimal) on a
// blocking socket, driven by its own engine loop, with one heap block per connection the way
// a careful C program would hold it (client context, X.509 context, full-duplex buffer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/bearssl.h"

namespace wiiu::bench {

/// Trust anchors decoded from DER CA certificates (owned).
class RawTrustAnchors {
public:
    explicit RawTrustAnchors(const std::vector<std::vector<std::uint8_t>>& caDers);
    ~RawTrustAnchors();
    RawTrustAnchors(const RawTrustAnchors&) = delete;
    RawTrustAnchors& operator=(const RawTrustAnchors&) = delete;
    const br_x509_trust_anchor* data() const { return anchors_.data(); }
    std::size_t size() const { return anchors_.size(); }

private:
    std::vector<br_x509_trust_anchor> anchors_;
    std::vector<std::unique_ptr<std::vector<unsigned char>>> storage_;
};

class RawBearSslClient {
public:
    /// Connects to 127.0.0.1:port and handshakes (offering `resume` when given). Nothing on failure.
    static std::unique_ptr<RawBearSslClient> connect(const RawTrustAnchors& tas, std::uint16_t port,
                                                     const br_ssl_session_parameters* resume = nullptr);
    ~RawBearSslClient();
    RawBearSslClient(const RawBearSslClient&) = delete;
    RawBearSslClient& operator=(const RawBearSslClient&) = delete;

    bool write(std::span<const std::uint8_t> data);  ///< all of it, then flush
    /// Up to buffer.size() bytes (at least one); 0 on close or error.
    std::size_t read(std::span<std::uint8_t> buffer);
    /// close_notify both ways, then the socket.
    void close();

    br_ssl_session_parameters session() const;
    /// True when the server accepted the offered session.
    bool resumed() const { return resumed_; }

private:
    RawBearSslClient() = default;
    /// Runs the engine until one of `states` is reached; false when it closed or failed.
    bool pump(unsigned states);

    br_ssl_client_context cc_;
    br_x509_minimal_context xc_;
    unsigned char iobuf_[BR_SSL_BUFSIZE_BIDI];
    int fd_ = -1;
    bool resumed_ = false;
    bool ioFailed_ = false;  ///< the socket failed: the engine cannot go on
};

}  // namespace wiiu::bench
