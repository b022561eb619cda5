// Row 2: bulk receive and send over TLS 1.2 AES-128-GCM on 127.0.0.1, 64 KiB application calls,
// and the same with the small guest buffers games use (1 KiB and 4 KiB calls, every client).
// The connection is made before the timed part; a transfer moves its bytes and waits for the
// last byte (receive) or the server's acknowledgement (send). CPU time is the client process's:
// the server is another process. Each client runs alone (absolute figures), then NSSL takes
// turns with raw BearSSL or OpenSSL in 16 slices (the ratios the targets are judged on).
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common.h"
#include "nssl_client.h"
#include "openssl_client.h"
#include "raw_bearssl.h"
#include "rows.h"
#include "take_turns.h"

namespace wiiu::bench {

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr int kSlices = 16;

/// Sends the command, then receives (R) or sends (W) `bytes` with the client's read/write.
/// `write(nullptr, n)` sends n bytes of the client's own buffer.
template <class Read, class Write>
bool transfer(char direction, std::uint64_t bytes, std::size_t chunk, Read&& read, Write&& write)
{
    unsigned char cmd[kCommandSize];
    encodeCommand(direction, bytes, cmd);
    if (!write(cmd, kCommandSize))
        return false;
    if (direction == 'R') {
        while (bytes > 0) {
            const std::size_t n = read(bytes < chunk ? bytes : chunk);
            if (n == 0)
                return false;
            bytes -= n;
        }
        return true;
    }
    while (bytes > 0) {
        const std::size_t n = bytes < chunk ? bytes : chunk;
        if (!write(nullptr, n))
            return false;
        bytes -= n;
    }
    return read(1) == 1;
}

/// The module through its import table, reading into and writing from guest memory.
class NsslBulkClient {
public:
    explicit NsslBulkClient(std::size_t chunk = kChunk)
        : chunk_(chunk), c_(guest_.connect(guest_.createContext(readFile(pkiFile("root.der"))), serverPort()))
    {
        std::memset(guest_.ioHost(), 0x33, NsslBenchGuest::kIoSize);
    }
    ~NsslBulkClient() { guest_.close(c_); }
    bool ok() const { return static_cast<bool>(c_); }

    bool transfer(char direction, std::uint64_t bytes)
    {
        return bench::transfer(
            direction, bytes, chunk_,
            [&](std::size_t max) { return guest_.read(c_.conn, static_cast<std::uint32_t>(max)); },
            [&](const unsigned char* p, std::size_t n) {
                if (p)
                    std::memcpy(guest_.ioHost(), p, n);  // the 9-byte command
                const bool w = guest_.write(c_.conn, static_cast<std::uint32_t>(n));
                if (p)
                    std::memset(guest_.ioHost(), 0x33, n);
                return w;
            });
    }

private:
    std::size_t chunk_;
    NsslBenchGuest guest_;
    NsslBenchGuest::Conn c_;
};

/// What a host client verifies the server with: the test PKI's root.
template <class Trust>
Trust testRoot();
template <>
RawTrustAnchors testRoot<RawTrustAnchors>() { return RawTrustAnchors({readFile(pkiFile("root.der"))}); }
template <>
OpenSslClientContext testRoot<OpenSslClientContext>() { return OpenSslClientContext(pkiFile("root.pem")); }

/// Raw BearSSL or OpenSSL: the same transfers through the client's own read/write.
template <class Client, class Trust>
class HostBulkClient {
public:
    explicit HostBulkClient(std::size_t chunk = kChunk)
        : trust_(testRoot<Trust>()), c_(Client::connect(trust_, serverPort())), buf_(chunk, 0x33)
    {
    }
    ~HostBulkClient()
    {
        if (c_)
            c_->close();
    }
    bool ok() const { return c_ != nullptr; }

    bool transfer(char direction, std::uint64_t bytes)
    {
        return bench::transfer(
            direction, bytes, buf_.size(), [&](std::size_t max) { return c_->read({buf_.data(), max}); },
            [&](const unsigned char* p, std::size_t n) { return c_->write({p ? p : buf_.data(), n}); });
    }

private:
    Trust trust_;
    std::unique_ptr<Client> c_;
    std::vector<std::uint8_t> buf_;
};

void finish(benchmark::State& state, bool ok)
{
    if (!ok)
        state.SkipWithError("transfer failed");
    state.counters["bytes"] = static_cast<double>(sizes().bulkBytes);
}

using RawBulkClient = HostBulkClient<RawBearSslClient, RawTrustAnchors>;
using OpenSslBulkClient = HostBulkClient<OpenSslClient, OpenSslClientContext>;

template <class Client, char Direction>
void alone(benchmark::State& state, std::size_t chunk)
{
    Client c(chunk);
    bool ok = c.ok();
    for (auto _ : state)
        ok = ok && c.transfer(Direction, sizes().bulkBytes);
    finish(state, ok);
    state.counters["calls"] = static_cast<double>((sizes().bulkBytes + chunk - 1) / chunk);
}

/// NSSL (a) and a host client (b: raw BearSSL or OpenSSL) take turns, kSlices slices of
/// bulkBytes / kSlices each.
template <class Baseline, char Direction>
void turns(benchmark::State& state, std::size_t chunk)
{
    NsslBulkClient nssl(chunk);
    Baseline other(chunk);
    bool ok = nssl.ok() && other.ok();
    const std::uint64_t slice = sizes().bulkBytes / kSlices ? sizes().bulkBytes / kSlices : 1;
    TakeTurns turns;
    for (auto _ : state) {
        for (int i = 0; ok && i < kSlices; ++i)
            ok = turns.round([&] { return nssl.transfer(Direction, slice); },
                             [&] { return other.transfer(Direction, slice); });
    }
    turns.report(state);
    state.counters["turn_bytes"] = static_cast<double>(slice);
    state.counters["calls"] = static_cast<double>((slice + chunk - 1) / chunk);
    finish(state, ok);
}

void bulk(const std::string& name, void (*fn)(benchmark::State&, std::size_t), std::size_t chunk)
{
    benchmark::RegisterBenchmark(name.c_str(), fn, chunk)
        ->Iterations(1)
        ->MeasureProcessCPUTime()
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
}

/// One direction with `chunk`-byte application calls: every client alone, then the turns.
template <char Direction>
void rows(const std::string& prefix, std::size_t chunk, bool againstRaw)
{
    bulk(prefix + "/nssl_import_table", alone<NsslBulkClient, Direction>, chunk);
    bulk(prefix + "/raw_bearssl", alone<RawBulkClient, Direction>, chunk);
    bulk(prefix + "/openssl", alone<OpenSslBulkClient, Direction>, chunk);
    if (againstRaw)
        bulk(prefix + "/nssl_raw_turns", turns<RawBulkClient, Direction>, chunk);
    bulk(prefix + "/nssl_openssl_turns", turns<OpenSslBulkClient, Direction>, chunk);
}

}  // namespace

void registerBulkRows()
{
    rows<'R'>("bulk_recv", kChunk, true);
    rows<'W'>("bulk_send", kChunk, true);
    for (std::size_t kib : {1, 4}) {
        rows<'R'>("small_recv_" + std::to_string(kib) + "k", kib * 1024, false);
        rows<'W'>("small_send_" + std::to_string(kib) + "k", kib * 1024, false);
    }
}

}  // namespace wiiu::bench
