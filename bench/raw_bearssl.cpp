#include "raw_bearssl.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "common.h"

namespace wiiu::bench {

namespace {

void appendTo(void* ctx, const void* buf, std::size_t len)
{
    auto* v = static_cast<std::vector<unsigned char>*>(ctx);
    v->insert(v->end(), static_cast<const unsigned char*>(buf), static_cast<const unsigned char*>(buf) + len);
}

unsigned char* keep(std::vector<std::unique_ptr<std::vector<unsigned char>>>& storage, const unsigned char* p,
                    std::size_t n)
{
    storage.push_back(std::make_unique<std::vector<unsigned char>>(p, p + n));
    return storage.back()->data();
}

}  // namespace

RawTrustAnchors::RawTrustAnchors(const std::vector<std::vector<std::uint8_t>>& caDers)
{
    for (const auto& der : caDers) {
        auto dn = std::make_unique<std::vector<unsigned char>>();
        br_x509_decoder_context dc;
        br_x509_decoder_init(&dc, appendTo, dn.get());
        br_x509_decoder_push(&dc, der.data(), der.size());
        const br_x509_pkey* pk = br_x509_decoder_get_pkey(&dc);
        if (!pk || br_x509_decoder_last_error(&dc) != 0)
            continue;
        br_x509_trust_anchor ta{};
        ta.dn.data = dn->data();
        ta.dn.len = dn->size();
        ta.flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
        ta.pkey.key_type = pk->key_type;
        if (pk->key_type == BR_KEYTYPE_RSA) {
            ta.pkey.key.rsa.n = keep(storage_, pk->key.rsa.n, pk->key.rsa.nlen);
            ta.pkey.key.rsa.nlen = pk->key.rsa.nlen;
            ta.pkey.key.rsa.e = keep(storage_, pk->key.rsa.e, pk->key.rsa.elen);
            ta.pkey.key.rsa.elen = pk->key.rsa.elen;
        } else {
            ta.pkey.key.ec.curve = pk->key.ec.curve;
            ta.pkey.key.ec.q = keep(storage_, pk->key.ec.q, pk->key.ec.qlen);
            ta.pkey.key.ec.qlen = pk->key.ec.qlen;
        }
        storage_.push_back(std::move(dn));
        anchors_.push_back(ta);
    }
}

RawTrustAnchors::~RawTrustAnchors() = default;

std::unique_ptr<RawBearSslClient> RawBearSslClient::connect(const RawTrustAnchors& tas, std::uint16_t port,
                                                            const br_ssl_session_parameters* resume)
{
    const int fd = tcpConnect(port);
    if (fd < 0)
        return nullptr;
    std::unique_ptr<RawBearSslClient> c(new RawBearSslClient);
    c->fd_ = fd;
    br_ssl_client_init_full(&c->cc_, &c->xc_, tas.data(), tas.size());
    br_ssl_engine_set_buffer(&c->cc_.eng, c->iobuf_, sizeof c->iobuf_, 1);
    if (resume)
        br_ssl_engine_set_session_parameters(&c->cc_.eng, resume);
    if (!br_ssl_client_reset(&c->cc_, "localhost", resume ? 1 : 0))
        return nullptr;
    if (!c->pump(BR_SSL_SENDAPP))
        return nullptr;
    if (resume) {
        br_ssl_session_parameters now;
        br_ssl_engine_get_session_parameters(&c->cc_.eng, &now);
        c->resumed_ = now.session_id_len == resume->session_id_len &&
                      std::memcmp(now.session_id, resume->session_id, now.session_id_len) == 0 &&
                      std::memcmp(now.master_secret, resume->master_secret, sizeof now.master_secret) == 0;
    }
    return c;
}

RawBearSslClient::~RawBearSslClient()
{
    if (fd_ >= 0)
        ::close(fd_);
}

bool RawBearSslClient::pump(unsigned states)
{
    br_ssl_engine_context* eng = &cc_.eng;
    while (!ioFailed_) {
        const unsigned st = br_ssl_engine_current_state(eng);
        if (st & BR_SSL_CLOSED)
            return false;
        if (st & BR_SSL_SENDREC) {
            std::size_t len;
            unsigned char* buf = br_ssl_engine_sendrec_buf(eng, &len);
            const ssize_t n = ::send(fd_, buf, len, MSG_NOSIGNAL);
            if (n <= 0) {
                if (n < 0 && errno == EINTR)
                    continue;
                ioFailed_ = true;
                return false;
            }
            br_ssl_engine_sendrec_ack(eng, static_cast<std::size_t>(n));
            continue;
        }
        if (st & states)
            return true;
        if (st & BR_SSL_RECVREC) {
            std::size_t len;
            unsigned char* buf = br_ssl_engine_recvrec_buf(eng, &len);
            const ssize_t n = ::recv(fd_, buf, len, 0);
            if (n <= 0) {
                if (n < 0 && errno == EINTR)
                    continue;
                ioFailed_ = true;
                return false;
            }
            br_ssl_engine_recvrec_ack(eng, static_cast<std::size_t>(n));
            continue;
        }
        br_ssl_engine_flush(eng, 0);  // nothing to send nor room to read: push a partial record
    }
    return false;
}

bool RawBearSslClient::write(std::span<const std::uint8_t> data)
{
    br_ssl_engine_context* eng = &cc_.eng;
    while (!data.empty()) {
        if (!pump(BR_SSL_SENDAPP))
            return false;
        std::size_t room;
        unsigned char* buf = br_ssl_engine_sendapp_buf(eng, &room);
        const std::size_t n = room < data.size() ? room : data.size();
        std::memcpy(buf, data.data(), n);
        br_ssl_engine_sendapp_ack(eng, n);
        data = data.subspan(n);
    }
    br_ssl_engine_flush(eng, 0);
    // Hand every built record to the socket (SENDAPP is reported once they are all out).
    return pump(BR_SSL_SENDAPP | BR_SSL_RECVAPP);
}

std::size_t RawBearSslClient::read(std::span<std::uint8_t> buffer)
{
    br_ssl_engine_context* eng = &cc_.eng;
    if (!pump(BR_SSL_RECVAPP))
        return 0;
    std::size_t avail;
    unsigned char* buf = br_ssl_engine_recvapp_buf(eng, &avail);
    const std::size_t n = avail < buffer.size() ? avail : buffer.size();
    std::memcpy(buffer.data(), buf, n);
    br_ssl_engine_recvapp_ack(eng, n);
    return n;
}

void RawBearSslClient::close()
{
    br_ssl_engine_context* eng = &cc_.eng;
    br_ssl_engine_close(eng);
    while (pump(0)) {
    }
    ::close(fd_);
    fd_ = -1;
}

br_ssl_session_parameters RawBearSslClient::session() const
{
    br_ssl_session_parameters p;
    br_ssl_engine_get_session_parameters(&cc_.eng, &p);
    return p;
}

}  // namespace wiiu::bench
