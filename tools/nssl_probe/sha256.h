// SHA-256 of a stream, for the probe's downloads. BearSSL (Debian's 0.6) hashes ~350 MB/s here,
// which made hashing cost the probe three times what the whole TLS transfer costs; x86-64 CPUs
// with the SHA extensions do ~2 GB/s, so the probe uses them when the CPU has them and BearSSL's
// br_sha256 otherwise (bench/probe_vs_curl.sh measures the difference).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "bearssl_api.h"

namespace wiiu::probe {

class Sha256 {
public:
    Sha256();  ///< with the CPU's SHA extensions where it has them
    static Sha256 portable();  ///< always BearSSL's, so that tests cover the fallback on any CPU
    void update(std::span<const std::uint8_t> bytes);
    std::array<std::uint8_t, 32> digest() const;  ///< of everything so far; update may go on

    /// Whether this CPU hashes with its SHA extensions.
    static bool accelerated();
    /// Whether this hasher uses them (false for portable()).
    bool usesShaExtensions() const { return accelerated_; }

private:
    explicit Sha256(bool useShaExtensions);

    // Accelerated: the state, a partial block and the length, kept here.
    std::array<std::uint32_t, 8> state_{};
    std::array<std::uint8_t, 64> block_{};
    std::uint64_t length_ = 0;
    // Otherwise: BearSSL's.
    br_sha256_context bear_{};
    bool accelerated_;
};

}  // namespace wiiu::probe
