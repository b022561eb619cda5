// Shared pieces of the benchmark program: the wire protocol between the bench clients and the
// bench server, run sizes, the PKI files, and small helpers (blocking TCP connect, heap usage).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wiiu::bench {

/// After the handshake a client sends one 9-byte command: a letter and a big-endian u64.
///   'R' n: the server sends n bytes, then waits for the next command (or the close).
///   'W' n: the server reads n bytes, then answers one byte 'K'.
/// A client that only measures handshakes or memory sends nothing and closes.
inline constexpr std::size_t kCommandSize = 9;
void encodeCommand(char letter, std::uint64_t n, unsigned char out[kCommandSize]);

/// Sizes of one run (set from the command line: --bytes=, --handshakes=, --conns=).
struct RunSizes {
    std::uint64_t bulkBytes = 256ull << 20;
    int handshakes = 300;
    int connections = 100;
};
RunSizes& sizes();

/// The bench server's port on 127.0.0.1 (set by main once the server is up).
std::uint16_t& serverPort();
/// The test PKI of tests/fixtures/make_pki.sh, generated into the build folder.
std::string pkiFile(const std::string& name);
std::vector<std::uint8_t> readFile(const std::string& path);
/// Where the generated portable certificate store lives.
std::string storeDir();

/// A connected blocking TCP socket to 127.0.0.1:port with TCP_NODELAY; -1 on failure.
int tcpConnect(std::uint16_t port);

/// Bytes the heap currently hands out (mallinfo2: arena in use + mmapped blocks).
std::size_t heapInUse();

}  // namespace wiiu::bench
