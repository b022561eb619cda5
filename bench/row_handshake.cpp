// Row 3: client CPU per handshake, full and resumed. One iteration = TCP connect, TLS 1.2
// handshake (ECDHE X25519, RSA-2048 chain verified up to the root, host name checked), then
// close_notify both ways and close. Resumed iterations offer the session of a first full
// handshake; the "resumed" counter says which fraction the server really resumed.
#include <benchmark/benchmark.h>

#include <openssl/ssl.h>

#include "common.h"
#include "nssl_client.h"
#include "openssl_client.h"
#include "raw_bearssl.h"
#include "rows.h"

namespace wiiu::bench {

namespace {

void report(benchmark::State& state, int ok, int resumed)
{
    if (ok != static_cast<int>(state.iterations()))
        state.SkipWithError("a handshake failed");
    state.counters["resumed"] = state.iterations() ? static_cast<double>(resumed) / static_cast<double>(state.iterations()) : 0;
}

template <bool Resume>
void nsslHandshake(benchmark::State& state)
{
    NsslBenchGuest guest;
    const std::int32_t ctx = guest.createContext(readFile(pkiFile("root.der")));
    std::int32_t session = -1;
    if (Resume) {
        const auto first = guest.connect(ctx, serverPort());
        session = first ? guest.getSession(first.conn) : -1;
        guest.close(first);
    }
    int ok = 0, resumed = 0;
    for (auto _ : state) {
        const auto c = guest.connect(ctx, serverPort(), session);
        if (c) {
            ++ok;
            auto r = guest.process().nssl().resumed(c.conn);
            resumed += r && *r;
        }
        guest.close(c);
    }
    if (session >= 0)
        guest.freeSession(session);
    report(state, ok, resumed);
}

template <bool Resume>
void rawHandshake(benchmark::State& state)
{
    RawTrustAnchors tas({readFile(pkiFile("root.der"))});
    br_ssl_session_parameters session{};
    if (Resume) {
        auto first = RawBearSslClient::connect(tas, serverPort());
        if (first) {
            session = first->session();
            first->close();
        }
    }
    int ok = 0, resumed = 0;
    for (auto _ : state) {
        auto c = RawBearSslClient::connect(tas, serverPort(), Resume ? &session : nullptr);
        if (c) {
            ++ok;
            resumed += c->resumed();
            c->close();
        }
    }
    report(state, ok, resumed);
}

template <bool Resume>
void opensslHandshake(benchmark::State& state)
{
    OpenSslClientContext ctx(pkiFile("root.pem"));
    SSL_SESSION* session = nullptr;
    if (Resume) {
        auto first = OpenSslClient::connect(ctx, serverPort());
        if (first) {
            session = first->session();
            first->close();
        }
    }
    int ok = 0, resumed = 0;
    for (auto _ : state) {
        auto c = OpenSslClient::connect(ctx, serverPort(), session);
        if (c) {
            ++ok;
            resumed += c->resumed();
            c->close();
        }
    }
    if (session)
        SSL_SESSION_free(session);
    report(state, ok, resumed);
}

void handshakes(const char* name, void (*fn)(benchmark::State&))
{
    benchmark::RegisterBenchmark(name, fn)
        ->Iterations(sizes().handshakes)
        ->MeasureProcessCPUTime()
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
}

}  // namespace

void registerHandshakeRows()
{
    handshakes("handshake_full/nssl_import_table", nsslHandshake<false>);
    handshakes("handshake_full/raw_bearssl", rawHandshake<false>);
    handshakes("handshake_full/openssl", opensslHandshake<false>);
    handshakes("handshake_resumed/nssl_import_table", nsslHandshake<true>);
    handshakes("handshake_resumed/raw_bearssl", rawHandshake<true>);
    handshakes("handshake_resumed/openssl", opensslHandshake<true>);
}

}  // namespace wiiu::bench
