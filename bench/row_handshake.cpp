// Row 3: client CPU per handshake, full and resumed (and wall time with the guest's default socket
// options, Nagle on, against the same with TCP_NODELAY). One handshake = TCP connect, TLS 1.2
// handshake (ECDHE X25519, RSA-2048 chain verified up to the root, host name checked), then
// close_notify both ways and close. Resumed handshakes offer the session of a first full
// handshake; the "resumed" counter says which fraction the server really resumed. Each client
// runs alone (absolute figures), then NSSL and raw BearSSL take turns (the full-handshake ratio
// the target is judged on).
#include <benchmark/benchmark.h>

#include <openssl/ssl.h>

#include "hle/nssl/service.h"
#include "common.h"
#include "nssl_client.h"
#include "openssl_client.h"
#include "raw_bearssl.h"
#include "rows.h"
#include "take_turns.h"

namespace wiiu::bench {

namespace {

/// Each client: set up once (trust anchors, a first session when resuming), then `once()`
/// connects, handshakes and closes, counting successes and real resumptions.
struct Tally {
    int ok = 0;
    int resumed = 0;
    bool count(bool succeeded, bool wasResumed)
    {
        ok += succeeded;
        resumed += succeeded && wasResumed;
        return succeeded;
    }
};

/// Counts a host client's handshake (and whether it resumed), then closes it.
template <class Client>
bool finishHostHandshake(Tally& tally, std::unique_ptr<Client> c)
{
    const bool resumed = c && c->resumed();
    if (c)
        c->close();
    return tally.count(c != nullptr, resumed);
}

class NsslHandshaker {
public:
    explicit NsslHandshaker(bool resume, bool noDelay = true)
        : ctx_(guest_.createContext(readFile(pkiFile("root.der")))), noDelay_(noDelay)
    {
        if (resume) {
            const auto first = guest_.connect(ctx_, serverPort(), -1, noDelay_);
            session_ = first ? guest_.getSession(first.conn) : -1;
            guest_.close(first);
        }
    }
    ~NsslHandshaker()
    {
        if (session_ >= 0)
            guest_.freeSession(session_);
    }
    bool once()
    {
        const auto c = guest_.connect(ctx_, serverPort(), session_, noDelay_);
        bool resumed = false;
        if (c) {
            auto r = guest_.process().state()->nssl().resumed(nssl::ConnectionHandle{c.conn});
            resumed = r && *r;
        }
        guest_.close(c);
        return tally.count(static_cast<bool>(c), resumed);
    }
    Tally tally;

private:
    NsslBenchGuest guest_;
    std::int32_t ctx_;
    bool noDelay_;
    std::int32_t session_ = -1;
};

/// The guest's default socket options: Nagle on, as games leave it.
class NsslNagleHandshaker : public NsslHandshaker {
public:
    explicit NsslNagleHandshaker(bool resume) : NsslHandshaker(resume, false) {}
};

class RawHandshaker {
public:
    explicit RawHandshaker(bool resume) : tas_({readFile(pkiFile("root.der"))})
    {
        if (resume) {
            if (auto first = RawBearSslClient::connect(tas_, serverPort())) {
                session_ = first->session();
                resume_ = true;
                first->close();
            }
        }
    }
    bool once()
    {
        return finishHostHandshake(tally, RawBearSslClient::connect(tas_, serverPort(), resume_ ? &session_ : nullptr));
    }
    Tally tally;

private:
    RawTrustAnchors tas_;
    br_ssl_session_parameters session_{};
    bool resume_ = false;
};

class OpenSslHandshaker {
public:
    explicit OpenSslHandshaker(bool resume) : ctx_(pkiFile("root.pem"))
    {
        if (resume) {
            if (auto first = OpenSslClient::connect(ctx_, serverPort())) {
                session_ = first->session();
                first->close();
            }
        }
    }
    ~OpenSslHandshaker()
    {
        if (session_)
            SSL_SESSION_free(session_);
    }
    bool once() { return finishHostHandshake(tally, OpenSslClient::connect(ctx_, serverPort(), session_)); }
    Tally tally;

private:
    OpenSslClientContext ctx_;
    SSL_SESSION* session_ = nullptr;
};

void report(benchmark::State& state, const Tally& t, std::int64_t expected)
{
    if (t.ok != expected)
        state.SkipWithError("a handshake failed");
    state.counters["resumed"] = t.ok ? static_cast<double>(t.resumed) / static_cast<double>(t.ok) : 0;
}

template <class Handshaker, bool Resume>
void alone(benchmark::State& state)
{
    Handshaker h(Resume);
    for (auto _ : state)
        h.once();
    report(state, h.tally, state.iterations());
}

/// NSSL (a) and raw BearSSL (b) take turns, one full handshake each per round.
void turnsFull(benchmark::State& state)
{
    NsslHandshaker nssl(false);
    RawHandshaker raw(false);
    TakeTurns turns;
    bool ok = true;
    for (auto _ : state) {
        for (int i = 0; ok && i < sizes().handshakes; ++i)
            ok = turns.round([&] { return nssl.once(); }, [&] { return raw.once(); });
    }
    turns.report(state);
    if (!ok)
        state.SkipWithError("a handshake failed");
}

void handshakes(const char* name, void (*fn)(benchmark::State&), int iterations)
{
    benchmark::RegisterBenchmark(name, fn)
        ->Iterations(iterations)
        ->MeasureProcessCPUTime()
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
}

}  // namespace

void registerHandshakeRows()
{
    const int n = sizes().handshakes;
    handshakes("handshake_full/nssl_import_table", alone<NsslHandshaker, false>, n);
    handshakes("handshake_full/raw_bearssl", alone<RawHandshaker, false>, n);
    handshakes("handshake_full/openssl", alone<OpenSslHandshaker, false>, n);
    handshakes("handshake_full/nssl_raw_turns", turnsFull, 1);
    handshakes("handshake_full/nssl_nagle_on", alone<NsslNagleHandshaker, false>, n);
    handshakes("handshake_resumed/nssl_import_table", alone<NsslHandshaker, true>, n);
    handshakes("handshake_resumed/raw_bearssl", alone<RawHandshaker, true>, n);
    handshakes("handshake_resumed/openssl", alone<OpenSslHandshaker, true>, n);
    handshakes("handshake_resumed/nssl_nagle_on", alone<NsslNagleHandshaker, true>, n);
}

}  // namespace wiiu::bench
