#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <new>

#include "certstore/key_decrypt.h"
#include <wiiu_nssl/secret_bytes.h>
#include "common/secure_wipe.h"

using namespace wiiu::certstore;
using ::testing::HasSubstr;

namespace {

std::vector<std::uint8_t> hex(const char* s)
{
    std::vector<std::uint8_t> out;
    for (; s[0] && s[1]; s += 2) out.push_back(static_cast<std::uint8_t>(std::stoul(std::string(s, 2), nullptr, 16)));
    return out;
}

}  // namespace

TEST(certstore_decrypt, AesCbcMatchesTheStandardVector)
{
    // NIST SP 800-38A F.1.1 (ECB-AES128, first block): with a zero IV the first CBC block is the
    // ECB block, so the published vector applies.
    auto key = hex("2b7e151628aed2a6abf7158809cf4f3c");
    auto ct = hex("3ad77bb40d7a3660a89ecaf32466ef97");
    auto pt = aesCbcDecryptZeroIv(key, ct, "vector");
    ASSERT_TRUE(pt) << pt.error().message;
    auto expected = hex("6bc1bee22e409f96e93d7e117393172a");
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), pt->data(), pt->data() + pt->size()));
}

TEST(certstore_decrypt, SizeMustBeANonZeroMultipleOf16)
{
    std::vector<std::uint8_t> key(16), data(17);
    auto r = aesCbcDecryptZeroIv(key, data, "x_RSA_KEY.aes");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "x_RSA_KEY.aes: encrypted size 17 is not a non-zero multiple of 16");
    EXPECT_FALSE(aesCbcDecryptZeroIv(key, std::vector<std::uint8_t>{}, "x"));
}

TEST(certstore_decrypt, OtpMustBe1024BytesAndTheKeyIsAt0x120)
{
    std::vector<std::uint8_t> otp(1024);
    for (std::size_t i = 0; i < otp.size(); ++i) otp[i] = static_cast<std::uint8_t>(i);
    auto key = sslKeyFromOtp(otp, "otp.bin");
    ASSERT_TRUE(key);
    ASSERT_EQ(key->size(), 16u);
    EXPECT_EQ(key->data()[0], 0x20);  // 0x120 & 0xff
    otp.resize(1000);
    auto bad = sslKeyFromOtp(otp, "otp.bin");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "otp.bin: otp.bin must be exactly 1024 bytes, this one has 1000");
}

TEST(certstore_decrypt, DerLengthNeedsAMinimalSaneHeader)
{
    EXPECT_EQ(derTlvLength(hex("3003020100")), 5u);
    EXPECT_EQ(derTlvLength(hex("30820003020100")), std::nullopt);  // long form for a short length
    EXPECT_EQ(derTlvLength(hex("3080")), std::nullopt);            // indefinite length
    EXPECT_EQ(derTlvLength(hex("3005020100")), std::nullopt);      // runs past the data
}

TEST(certstore_decrypt, GarbageAfterDecryptionIsReportedAsWrongOtp)
{
    std::vector<std::uint8_t> key(16, 0x11), data(64, 0x22);
    auto r = decryptPrivateKey(key, data, std::nullopt, "ccerts/WIIU_COMMON_1_RSA_KEY.aes");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "ccerts/WIIU_COMMON_1_RSA_KEY.aes: decrypted key is not DER (wrong otp.bin?)");
}

TEST(certstore_secret_bytes, MoveLeavesTheSourceEmptyAndTruncateWipesTheTail)
{
    const std::uint8_t raw[] = {1, 2, 3, 4, 5};
    SecretBytes a(raw);
    SecretBytes b(std::move(a));
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the point of the test
    EXPECT_EQ(b.size(), 5u);
    std::uint8_t* p = b.data();
    b.truncate(2);
    EXPECT_EQ(b.size(), 2u);
    EXPECT_EQ(p[2], 0);
    EXPECT_EQ(p[4], 0);
    EXPECT_EQ(p[1], 2);
    SecretBytes c = b.clone();
    EXPECT_EQ(c.size(), 2u);
    EXPECT_EQ(c.data()[1], 2);
}

TEST(certstore_secret_bytes, SecureWipeZeroes)
{
    std::uint8_t buf[32];
    std::memset(buf, 0xAB, sizeof buf);
    wiiu::secureWipe(buf, sizeof buf);
    for (auto b : buf) EXPECT_EQ(b, 0);
}
