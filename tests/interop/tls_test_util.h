// Shared helpers of the TLS engine tests: fixture certificates, client configs, connecting and
// moving bytes through a TlsClient in "blocking" style (a poll on WantRead / WantWrite).
#pragma once

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tls/client.h"
#include "support/pki_fixture.h"
#include "support/tcp_transport.h"

namespace wiiu::test {

inline pki::Bytes der(const std::string& name) { return pkiBytes(name); }
inline std::string pem(const std::string& name) { return pkiPath(name).string(); }

inline std::shared_ptr<const tls::TrustStore> trustOf(std::vector<std::string> names)
{
    std::vector<pki::Bytes> certs;
    for (const auto& n : names) certs.push_back(der(n));
    auto store = tls::TrustStore::fromDer(certs);
    EXPECT_TRUE(store) << (store ? "" : store.error().reason);
    return store ? *store : nullptr;
}

/// A config trusting the test root, checking everything against "localhost" at the real time
/// (the fixture PKI is issued "now").
inline tls::ClientConfig defaultConfig()
{
    tls::ClientConfig c;
    c.trust = trustOf({"root.der"});
    c.hostName = "localhost";
    c.verifyFlags = tls::verify::All;
    c.now = static_cast<pki::UnixTime>(std::time(nullptr));
    return c;
}

struct Conn {
    std::shared_ptr<TcpTransport> socket;
    std::unique_ptr<tls::TlsClient> tls;

    tls::TlsStatus handshake() { return drive(*socket, [&] { return tls->handshake(); }); }

    /// Writes everything (looping on partial counts).
    tls::TlsStatus writeAll(std::string_view text)
    {
        auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
        while (!bytes.empty()) {
            std::size_t n = 0;
            tls::TlsStatus s = drive(*socket, [&] { return tls->write(bytes, n); });
            if (s != tls::TlsStatus::Ok) return s;
            bytes = bytes.subspan(n);
        }
        return tls::TlsStatus::Ok;
    }

    /// Reads until `count` bytes arrived or the stream ends; the status of the last read.
    tls::TlsStatus readExactly(std::size_t count, std::string& out)
    {
        std::uint8_t buf[4096];
        while (out.size() < count) {
            std::size_t n = 0;
            tls::TlsStatus s = drive(*socket, [&] {
                return tls->read(std::span(buf, std::min(sizeof buf, count - out.size())), n);
            });
            if (s != tls::TlsStatus::Ok) return s;
            out.append(reinterpret_cast<char*>(buf), n);
        }
        return tls::TlsStatus::Ok;
    }

    tls::TlsStatus close() { return drive(*socket, [&] { return tls->close(); }); }
};

/// Connects to 127.0.0.1:port and prepares a client (no I/O yet).
inline Conn connectTo(std::uint16_t port, tls::ClientConfig config, int sendBuffer = 0)
{
    Conn c;
    c.socket = TcpTransport::connect(port, sendBuffer);
    EXPECT_TRUE(c.socket) << "cannot connect to port " << port;
    if (!c.socket) return c;
    auto tls = tls::TlsClient::create(std::move(config), c.socket);
    EXPECT_TRUE(tls) << (tls ? "" : tls.error().text);
    if (tls) c.tls = std::move(*tls);
    return c;
}

/// An EC (P-256) client certificate issued by ec-root, made once per test process with the
/// openssl CLI (the shared fixture has no EC client): {certificate DER, PKCS#8 key DER}.
inline const std::pair<pki::Bytes, pki::Bytes>& ecClientIdentity()
{
    static const std::pair<pki::Bytes, pki::Bytes> identity = [] {
        const auto dir = pkiDir().parent_path() / ("tls-ec-client-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        const std::string d = dir.string(), p = pkiDir().string();
        runCommand("cd '" + d + "' && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
                   "-out k.pem 2>/dev/null && openssl req -new -key k.pem -subj '/CN=NSSL EC Client' "
                   "-out c.csr 2>/dev/null && printf 'extendedKeyUsage=clientAuth\\n' > ext && "
                   "openssl x509 -req -in c.csr -CA '" + p + "/ec-root.pem' -CAkey '" + p +
                   "/ec-root.key' -set_serial 4242 -days 30 -sha256 -extfile ext -out c.pem "
                   "2>/dev/null && openssl x509 -in c.pem -outform DER -out c.der && "
                   "openssl pkey -in k.pem -outform DER -out k.der");
        auto read = [&](const char* n) {
            std::ifstream in(dir / n, std::ios::binary);
            return pki::Bytes(std::istreambuf_iterator<char>(in), {});
        };
        std::pair<pki::Bytes, pki::Bytes> out{read("c.der"), read("k.der")};
        std::filesystem::remove_all(dir);
        return out;
    }();
    return identity;
}

inline std::string describe(const tls::TlsClient& tls)
{
    return std::string(tls::failureReasonName(tls.failure().reason)) + ": " + tls.failure().text;
}

}  // namespace wiiu::test
