// Row 2: bulk receive and send over TLS 1.2 AES-128-GCM on 127.0.0.1, 64 KiB application calls.
// The connection is made before the timed loop; one iteration moves sizes().bulkBytes and waits
// for the last byte (receive) or the server's acknowledgement (send). CPU time is the client
// process's: the server is another process.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "common.h"
#include "nssl_client.h"
#include "openssl_client.h"
#include "raw_bearssl.h"
#include "rows.h"

namespace wiiu::bench {

namespace {

constexpr std::size_t kChunk = 64 * 1024;

/// Sends the command, then receives (R) or sends (W) `bytes` with the client's read/write.
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

void finish(benchmark::State& state, bool ok)
{
    if (!ok)
        state.SkipWithError("transfer failed");
    state.counters["bytes"] = static_cast<double>(sizes().bulkBytes);
}

template <char Direction>
void nsslBulk(benchmark::State& state)
{
    NsslBenchGuest guest;
    const std::int32_t ctx = guest.createContext(readFile(pkiFile("root.der")));
    const auto c = guest.connect(ctx, serverPort());
    bool ok = static_cast<bool>(c);
    std::memset(guest.ioHost(), 0x33, NsslBenchGuest::kIoSize);
    for (auto _ : state) {
        ok = ok && transfer(
                       Direction, sizes().bulkBytes,
                       [&](std::size_t max) { return guest.read(c.conn, static_cast<std::uint32_t>(max)); },
                       [&](const unsigned char* p, std::size_t n) {
                           if (p)
                               std::memcpy(guest.ioHost(), p, n);  // the 9-byte command
                           const bool w = guest.write(c.conn, static_cast<std::uint32_t>(n));
                           if (p)
                               std::memset(guest.ioHost(), 0x33, n);
                           return w;
                       });
    }
    guest.close(c);
    finish(state, ok);
}

template <char Direction>
void rawBulk(benchmark::State& state)
{
    RawTrustAnchors tas({readFile(pkiFile("root.der"))});
    auto c = RawBearSslClient::connect(tas, serverPort());
    bool ok = c != nullptr;
    std::vector<std::uint8_t> buf(kChunk, 0x33);
    for (auto _ : state) {
        ok = ok && transfer(
                       Direction, sizes().bulkBytes,
                       [&](std::size_t max) { return c->read({buf.data(), max}); },
                       [&](const unsigned char* p, std::size_t n) { return c->write({p ? p : buf.data(), n}); });
    }
    if (c)
        c->close();
    finish(state, ok);
}

template <char Direction>
void opensslBulk(benchmark::State& state)
{
    OpenSslClientContext ctx(pkiFile("root.pem"));
    auto c = OpenSslClient::connect(ctx, serverPort());
    bool ok = c != nullptr;
    std::vector<std::uint8_t> buf(kChunk, 0x33);
    for (auto _ : state) {
        ok = ok && transfer(
                       Direction, sizes().bulkBytes,
                       [&](std::size_t max) { return c->read({buf.data(), max}); },
                       [&](const unsigned char* p, std::size_t n) { return c->write({p ? p : buf.data(), n}); });
    }
    if (c)
        c->close();
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
    bulk("bulk_recv/nssl_import_table", nsslBulk<'R'>);
    bulk("bulk_recv/raw_bearssl", rawBulk<'R'>);
    bulk("bulk_recv/openssl", opensslBulk<'R'>);
    bulk("bulk_send/nssl_import_table", nsslBulk<'W'>);
    bulk("bulk_send/raw_bearssl", rawBulk<'W'>);
    bulk("bulk_send/openssl", opensslBulk<'W'>);
}

}  // namespace wiiu::bench
