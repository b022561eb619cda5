// The peer every client of the benchmark talks to: an OpenSSL 3 TLS 1.2 server in a child
// process (so its CPU time and heap never mix with the client's), one thread per connection,
// ECDHE-RSA-AES128-GCM-SHA256 with X25519, a server-side session cache (session IDs, no
// tickets: BearSSL resumes by ID). OpenSSL's AES-GCM is faster than any client here, so the
// server is not what limits the bulk rows.
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace wiiu::bench {

class BenchServer {
public:
    /// Forks the server. Call before any thread exists. Nothing (and `why`) on failure.
    bool start(const std::string& certPem, const std::string& chainPem, const std::string& keyPem, std::string& why);
    ~BenchServer();
    void stop();
    std::uint16_t port() const { return port_; }

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace wiiu::bench
