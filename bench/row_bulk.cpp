// Row 2: bulk receive and send over TLS 1.2 AES-128-GCM on 127.0.0.1, 64 KiB application calls.
// The connection is made before the timed part; a transfer moves its bytes and waits for the
// last byte (receive) or the server's acknowledgement (send). CPU time is the client process's:
// the server is another process. Each client runs alone (absolute figures), then NSSL and raw
// BearSSL take turns in 16 slices (the ratio the target is judged on).
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
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
bool transfer(char direction, std::uint64_t bytes, Read&& read, Write&& write)
{
    unsigned char cmd[kCommandSize];
    encodeCommand(direction, bytes, cmd);
    if (!write(cmd, kCommandSize))
        return false;
    if (direction == 'R') {
        while (bytes > 0) {
            const std::size_t n = read(bytes < kChunk ? bytes : kChunk);
            if (n == 0)
                return false;
            bytes -= n;
        }
        return true;
    }
    while (bytes > 0) {
        const std::size_t n = bytes < kChunk ? bytes : kChunk;
        if (!write(nullptr, n))
            return false;
        bytes -= n;
    }
    return read(1) == 1;
}

/// The module through its import table, reading into and writing from guest memory.
class NsslBulkClient {
public:
    NsslBulkClient() : c_(guest_.connect(guest_.createContext(readFile(pkiFile("root.der"))), serverPort()))
    {
        std::memset(guest_.ioHost(), 0x33, NsslBenchGuest::kIoSize);
    }
    ~NsslBulkClient() { guest_.close(c_); }
    bool ok() const { return static_cast<bool>(c_); }

    bool transfer(char direction, std::uint64_t bytes)
    {
        return bench::transfer(
            direction, bytes, [&](std::size_t max) { return guest_.read(c_.conn, static_cast<std::uint32_t>(max)); },
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
    HostBulkClient() : trust_(testRoot<Trust>()), c_(Client::connect(trust_, serverPort())) {}
    ~HostBulkClient()
    {
        if (c_)
            c_->close();
    }
    bool ok() const { return c_ != nullptr; }

    bool transfer(char direction, std::uint64_t bytes)
    {
        return bench::transfer(
            direction, bytes, [&](std::size_t max) { return c_->read({buf_.data(), max}); },
            [&](const unsigned char* p, std::size_t n) { return c_->write({p ? p : buf_.data(), n}); });
    }

private:
    Trust trust_;
    std::unique_ptr<Client> c_;
    std::vector<std::uint8_t> buf_ = std::vector<std::uint8_t>(kChunk, 0x33);
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
void alone(benchmark::State& state)
{
    Client c;
    bool ok = c.ok();
    for (auto _ : state)
        ok = ok && c.transfer(Direction, sizes().bulkBytes);
    finish(state, ok);
}

/// NSSL (a) and raw BearSSL (b) take turns, kSlices slices of bulkBytes / kSlices each.
template <char Direction>
void turnsBulk(benchmark::State& state)
{
    NsslBulkClient nssl;
    RawBulkClient raw;
    bool ok = nssl.ok() && raw.ok();
    const std::uint64_t slice = sizes().bulkBytes / kSlices ? sizes().bulkBytes / kSlices : 1;
    TakeTurns turns;
    for (auto _ : state) {
        for (int i = 0; ok && i < kSlices; ++i)
            ok = turns.round([&] { return nssl.transfer(Direction, slice); },
                             [&] { return raw.transfer(Direction, slice); });
    }
    turns.report(state);
    state.counters["turn_bytes"] = static_cast<double>(slice);
    finish(state, ok);
}

void bulk(const char* name, void (*fn)(benchmark::State&))
{
    benchmark::RegisterBenchmark(name, fn)->Iterations(1)->MeasureProcessCPUTime()->UseRealTime()->Unit(
        benchmark::kMillisecond);
}

}  // namespace

void registerBulkRows()
{
    bulk("bulk_recv/nssl_import_table", alone<NsslBulkClient, 'R'>);
    bulk("bulk_recv/raw_bearssl", alone<RawBulkClient, 'R'>);
    bulk("bulk_recv/openssl", alone<OpenSslBulkClient, 'R'>);
    bulk("bulk_recv/nssl_raw_turns", turnsBulk<'R'>);
    bulk("bulk_send/nssl_import_table", alone<NsslBulkClient, 'W'>);
    bulk("bulk_send/raw_bearssl", alone<RawBulkClient, 'W'>);
    bulk("bulk_send/openssl", alone<OpenSslBulkClient, 'W'>);
    bulk("bulk_send/nssl_raw_turns", turnsBulk<'W'>);
}

}  // namespace wiiu::bench
