#include "sha256.h"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define WIIU_PROBE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace wiiu::probe {

namespace {

constexpr std::array<std::uint32_t, 8> kInitial{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#ifdef WIIU_PROBE_SHA_NI
// The round constants (FIPS 180-4, 4.2.2).
alignas(16) constexpr std::uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

bool cpuHasShaExtensions()
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
        return false;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}

/// Hashes `blocks` 64-byte blocks into `state` (A..H) with the SHA extensions. The instructions
/// keep the state as two vectors, ABEF and CDGH; each sha256rnds2 does two rounds.
__attribute__((target("sha,sse4.1,ssse3"))) void compressBlocks(std::uint32_t* state, const std::uint8_t* data,
                                                               std::size_t blocks)
{
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
    __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
    dcba = _mm_shuffle_epi32(dcba, 0xb1);               // CDAB
    hgfe = _mm_shuffle_epi32(hgfe, 0x1b);               // EFGH
    __m128i abef = _mm_alignr_epi8(dcba, hgfe, 8);      // ABEF
    __m128i cdgh = _mm_blend_epi16(hgfe, dcba, 0xf0);   // CDGH
    for (; blocks > 0; --blocks, data += 64) {
        const __m128i abefBefore = abef, cdghBefore = cdgh;
        __m128i w[4];  // the message schedule, four words per vector, the last 16 words
#pragma GCC unroll 16
        for (int quad = 0; quad < 16; ++quad) {
            __m128i& words = w[quad % 4];
            if (quad < 4) {
                words = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * quad)), byteSwap);
            } else {
                // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time.
                const __m128i& prev = w[(quad + 3) % 4];
                const __m128i wMinus7 = _mm_alignr_epi8(prev, w[(quad + 2) % 4], 4);
                words = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(words, w[(quad + 1) % 4]), wMinus7),
                                             prev);
            }
            __m128i k = _mm_add_epi32(words, _mm_load_si128(reinterpret_cast<const __m128i*>(kRound + 4 * quad)));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);
            k = _mm_shuffle_epi32(k, 0x0e);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, k);
        }
        abef = _mm_add_epi32(abef, abefBefore);
        cdgh = _mm_add_epi32(cdgh, cdghBefore);
    }
    const __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xf0));  // DCBA
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));  // HGFE
}
#else
bool cpuHasShaExtensions() { return false; }
void compressBlocks(std::uint32_t*, const std::uint8_t*, std::size_t) {}
#endif

}  // namespace

bool Sha256::accelerated()
{
    static const bool has = cpuHasShaExtensions();
    return has;
}

Sha256::Sha256() : Sha256(accelerated()) {}

Sha256::Sha256(bool useShaExtensions) : state_(kInitial), accelerated_(useShaExtensions)
{
    br_sha256_init(&bear_);
}

Sha256 Sha256::portable()
{
    return Sha256(false);
}

void Sha256::update(std::span<const std::uint8_t> bytes)
{
    if (!accelerated_) {
        br_sha256_update(&bear_, bytes.data(), bytes.size());
        return;
    }
    std::size_t used = length_ % 64;
    length_ += bytes.size();
    if (used) {
        const std::size_t take = std::min(bytes.size(), 64 - used);
        std::memcpy(block_.data() + used, bytes.data(), take);
        bytes = bytes.subspan(take);
        if (used + take < 64)
            return;
        compressBlocks(state_.data(), block_.data(), 1);
    }
    compressBlocks(state_.data(), bytes.data(), bytes.size() / 64);
    const std::size_t tail = bytes.size() % 64;
    std::memcpy(block_.data(), bytes.data() + bytes.size() - tail, tail);
}

std::array<std::uint8_t, 32> Sha256::digest() const
{
    std::array<std::uint8_t, 32> out{};
    if (!accelerated_) {
        br_sha256_context copy = bear_;
        br_sha256_out(&copy, out.data());
        return out;
    }
    // Padding (FIPS 180-4, 5.1.1): 0x80, zeros, the length in bits, big-endian.
    std::array<std::uint32_t, 8> state = state_;
    std::array<std::uint8_t, 128> last{};
    const std::size_t used = length_ % 64;
    std::memcpy(last.data(), block_.data(), used);
    last[used] = 0x80;
    const std::size_t size = used < 56 ? 64 : 128;
    const std::uint64_t bits = length_ * 8;
    for (int i = 0; i < 8; ++i)
        last[size - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
    compressBlocks(state.data(), last.data(), size / 64);
    for (int i = 0; i < 8; ++i)
        for (int b = 0; b < 4; ++b)
            out[4 * i + b] = static_cast<std::uint8_t>(state[i] >> (24 - 8 * b));
    return out;
}

}  // namespace wiiu::probe
