// PEM decoding and digests, against the openssl command line.
#include <gtest/gtest.h>

#include "pki/encoding.h"
#include "support/pki_fixture.h"

using namespace wiiu::pki;
using wiiu::test::pkiBytes;
using wiiu::test::pkiPath;
using wiiu::test::pkiText;
using wiiu::test::runCommand;

namespace {

std::vector<std::uint8_t> bytesOf(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace

TEST(pki_pem, DecodesTheSameBytesAsOpenssl)
{
    for (const char* name : {"root", "server", "ec-server"}) {
        auto blocks = decodePem(pkiText(std::string(name) + ".pem"), "CERTIFICATE");
        ASSERT_TRUE(blocks);
        ASSERT_EQ(blocks->size(), 1u);
        EXPECT_EQ(blocks->front(), pkiBytes(std::string(name) + ".der"));
    }
    auto crl = decodePem(pkiText("int.crl"), "X509 CRL");
    ASSERT_TRUE(crl);
    ASSERT_EQ(crl->size(), 1u);
    EXPECT_EQ(crl->front(), pkiBytes("int.crl.der"));
}

TEST(pki_pem, MultipleBlocksAndLabels)
{
    const std::string text = "junk before\n" + pkiText("chain.pem") + "between\n" + pkiText("server.key");
    auto all = decodePem(text);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0], pkiBytes("server.der"));
    EXPECT_EQ((*all)[1], pkiBytes("int.der"));
    EXPECT_EQ((*all)[2], pkiBytes("server.key.der"));

    auto certs = decodePem(text, "CERTIFICATE");
    ASSERT_TRUE(certs);
    EXPECT_EQ(certs->size(), 2u);
    auto keys = decodePem(text, "PRIVATE KEY");
    ASSERT_TRUE(keys);
    EXPECT_EQ(keys->size(), 1u);
    auto none = decodePem(text, "X509 CRL");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
}

TEST(pki_pem, Base64EdgeCases)
{
    auto one = decodePem("-----BEGIN X-----\nQQ==\n-----END X-----\n");
    ASSERT_TRUE(one);
    EXPECT_EQ(one->front(), bytesOf("A"));
    auto two = decodePem("-----BEGIN X-----\r\nQUI=\r\n-----END X-----\r\n");
    ASSERT_TRUE(two);
    EXPECT_EQ(two->front(), bytesOf("AB"));
    auto empty = decodePem("-----BEGIN X-----\n-----END X-----\n");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->front().empty());
}

TEST(pki_pem, RejectsMalformedInput)
{
    const char* const bad[] = {
        "-----BEGIN X-----\nQU*C\n-----END X-----\n",         // bad character
        "-----BEGIN X-----\nQUJ\n-----END X-----\n",          // length not a multiple of 4
        "-----BEGIN X-----\nQ===\n-----END X-----\n",         // too much padding
        "-----BEGIN X-----\nQQ==QUJD\n-----END X-----\n",     // data after padding
        "-----BEGIN X-----\nQUJD\n",                          // unterminated
        "-----BEGIN X-----\nQUJD\n-----END Y-----\n",         // mismatched END
        "-----BEGIN X-----\nQUJD\n-----BEGIN X-----\nQUJD\n-----END X-----\n",  // nested BEGIN
        "-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\nQUJD\n-----END X-----\n",  // encrypted PEM
        "-----BEGIN X\n",
    };
    for (const char* text : bad) EXPECT_FALSE(decodePem(text)) << text;
}

TEST(pki_pem, DerFromDerOrPem)
{
    const auto der = pkiBytes("server.der");
    auto same = derFromDerOrPem(der);
    ASSERT_TRUE(same);
    EXPECT_EQ(*same, der);
    auto fromPem = derFromDerOrPem(bytesOf("\n  " + pkiText("chain.pem")), "CERTIFICATE");
    ASSERT_TRUE(fromPem);
    EXPECT_EQ(*fromPem, der);
    EXPECT_FALSE(derFromDerOrPem(pkiBytes("server.pem"), "X509 CRL"));
}

TEST(pki_pem, EncodeRoundTrips)
{
    const auto der = pkiBytes("int.der");
    const std::string pem = encodePem("CERTIFICATE", der);
    EXPECT_EQ(pem, pkiText("int.pem"));  // openssl writes the same 64-column layout
    for (std::size_t n = 0; n < 8; ++n) {
        std::vector<std::uint8_t> part(der.begin(), der.begin() + static_cast<long>(n));
        auto back = decodePem(encodePem("X", part));
        ASSERT_TRUE(back);
        EXPECT_EQ(back->front(), part);
    }
}

TEST(pki_digest, MatchesOpensslDgst)
{
    for (const char* name : {"server.der", "int.crl.der", "ec-root.der"}) {
        const std::string path = pkiPath(name).string();
        const std::string s1 = runCommand("openssl dgst -sha1 -r '" + path + "'");
        const std::string s256 = runCommand("openssl dgst -sha256 -r '" + path + "'");
        const auto data = pkiBytes(name);
        EXPECT_EQ(toHex(sha1(data)), s1.substr(0, 40)) << name;
        EXPECT_EQ(toHex(sha256(data)), s256.substr(0, 64)) << name;
    }
    EXPECT_EQ(toHex(sha256({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(pki_digest, ToHex)
{
    EXPECT_EQ(toHex(std::vector<std::uint8_t>{0x00, 0xab, 0x0f, 0xf0}), "00ab0ff0");
    EXPECT_EQ(toHex({}), "");
}
