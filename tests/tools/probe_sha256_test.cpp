// nssl-probe's SHA-256 (tools/nssl_probe/sha256.h) on both of its paths, the CPU's SHA
// extensions and BearSSL's br_sha256, against br_sha256 itself and the FIPS 180-2 vectors. The
// accelerated path keeps its own partial block and padding, so lengths around every block boundary
// and updates split at random points are where it would go wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bearssl.h"
#include "sha256.h"

namespace {

using wiiu::probe::Sha256;
using Bytes = std::vector<std::uint8_t>;

enum class Path { Accelerated, Portable };

const char* describe(Path path)
{
    return path == Path::Accelerated ? "x86 SHA extensions" : "BearSSL br_sha256";
}

void PrintTo(Path path, std::ostream* out)
{
    *out << describe(path);
}

constexpr std::uint64_t kSeed = 0x5a256;  // fixed, so that a failure reproduces

std::string hex(std::span<const std::uint8_t> bytes)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const std::uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 15];
    }
    return out;
}

std::span<const std::uint8_t> asBytes(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string bearSsl(std::span<const std::uint8_t> bytes)
{
    br_sha256_context ctx;
    br_sha256_init(&ctx);
    br_sha256_update(&ctx, bytes.data(), bytes.size());
    std::uint8_t out[32];
    br_sha256_out(&ctx, out);
    return hex(out);
}

Bytes randomBytes(std::mt19937_64& rng, std::size_t size)
{
    Bytes out(size);
    for (std::uint8_t& b : out)
        b = static_cast<std::uint8_t>(rng());
    return out;
}

/// Up to `maxCuts` random cut points in [0, size], sorted, repeats kept (empty updates).
std::vector<std::size_t> randomCuts(std::mt19937_64& rng, std::size_t size, int maxCuts)
{
    std::vector<std::size_t> cuts(std::uniform_int_distribution<int>(0, maxCuts)(rng));
    for (std::size_t& cut : cuts)
        cut = std::uniform_int_distribution<std::size_t>(0, size)(rng);
    std::sort(cuts.begin(), cuts.end());
    return cuts;
}

std::string listCuts(const std::vector<std::size_t>& cuts)
{
    std::string out = "cuts at";
    for (const std::size_t cut : cuts)
        out += " " + std::to_string(cut);
    return out;
}

class ProbeSha256 : public testing::TestWithParam<Path> {
protected:
    void SetUp() override
    {
        if (GetParam() == Path::Accelerated && !Sha256::accelerated())
            GTEST_SKIP() << "this CPU has no SHA extensions; only the BearSSL path runs here";
        std::printf("path: %s\n", describe(GetParam()));
        RecordProperty("path", describe(GetParam()));
        ASSERT_EQ(make().usesShaExtensions(), GetParam() == Path::Accelerated);
    }

    Sha256 make() const { return GetParam() == Path::Accelerated ? Sha256() : Sha256::portable(); }

    /// The hasher's digest of `data` fed in pieces ending at `cuts` (and the end).
    std::string hashed(std::span<const std::uint8_t> data, const std::vector<std::size_t>& cuts) const
    {
        Sha256 sha = make();
        std::size_t at = 0;
        for (const std::size_t cut : cuts) {
            sha.update(data.subspan(at, cut - at));
            at = cut;
        }
        sha.update(data.subspan(at));
        return hex(sha.digest());
    }
};

TEST_P(ProbeSha256, Fips180_2Vectors)
{
    EXPECT_EQ(hashed(asBytes("abc"), {}), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hashed(asBytes("abc"), {1, 1, 2}), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string_view twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";  // 448 bits
    EXPECT_EQ(hashed(asBytes(twoBlocks), {}), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(hashed(asBytes(""), {}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    // One million 'a': once whole and once as 1000 updates of 1000 bytes (none block-aligned).
    const std::string million(1'000'000, 'a');
    const char* expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    EXPECT_EQ(hashed(asBytes(million), {}), expected);
    std::vector<std::size_t> thousands;
    for (std::size_t cut = 1000; cut < million.size(); cut += 1000)
        thousands.push_back(cut);
    EXPECT_EQ(hashed(asBytes(million), thousands), expected);
}

TEST_P(ProbeSha256, MatchesBearSslOnEveryLengthUpTo5000WithRandomSplits)
{
    std::mt19937_64 rng(kSeed);
    const Bytes data = randomBytes(rng, 5000);
    for (std::size_t size = 0; size <= data.size(); ++size) {
        const auto prefix = std::span(data).first(size);
        const std::vector<std::size_t> cuts = randomCuts(rng, size, 6);
        ASSERT_EQ(hashed(prefix, cuts), bearSsl(prefix)) << size << " bytes, " << listCuts(cuts);
    }
}

TEST_P(ProbeSha256, MatchesBearSslOnSeveralMiBWithRandomSplits)
{
    std::mt19937_64 rng(kSeed + 1);
    for (int round = 0; round < 3; ++round) {
        const std::size_t size = std::uniform_int_distribution<std::size_t>(2 << 20, 9 << 20)(rng);
        const Bytes data = randomBytes(rng, size);
        const std::vector<std::size_t> cuts = randomCuts(rng, size, 40);
        ASSERT_EQ(hashed(data, cuts), bearSsl(data)) << size << " bytes, " << listCuts(cuts);
    }
}

TEST_P(ProbeSha256, DigestMidStreamLeavesTheStreamGoingOn)
{
    std::mt19937_64 rng(kSeed + 2);
    const Bytes data = randomBytes(rng, 20'000);
    Sha256 sha = make();
    br_sha256_context reference;
    br_sha256_init(&reference);
    std::size_t at = 0;
    while (at < data.size()) {
        const std::size_t take = std::min(data.size() - at, std::uniform_int_distribution<std::size_t>(0, 300)(rng));
        const auto piece = std::span(data).subspan(at, take);
        sha.update(piece);
        br_sha256_update(&reference, piece.data(), piece.size());
        at += take;
        std::uint8_t expected[32];
        br_sha256_out(&reference, expected);  // reads the context, leaves it as it is
        const std::string first = hex(sha.digest());
        ASSERT_EQ(first, hex(expected)) << "after " << at << " bytes";
        ASSERT_EQ(hex(sha.digest()), first) << "a second digest() after " << at << " bytes";
    }
    EXPECT_EQ(hex(sha.digest()), bearSsl(data));
}

INSTANTIATE_TEST_SUITE_P(, ProbeSha256, testing::Values(Path::Accelerated, Path::Portable),
                         [](const testing::TestParamInfo<Path>& tested) {
                             return tested.param == Path::Accelerated ? "ShaExtensions" : "BearSsl";
                         });

}  // namespace
