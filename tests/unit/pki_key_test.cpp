// privateKeyMatches() with every key encoding the store and tools meet.
#include <gtest/gtest.h>

#include "pki/x509.h"
#include "support/pki_fixture.h"

using namespace wiiu::pki;
using wiiu::test::pkiBytes;

namespace {

Certificate load(const std::string& name) { return *parseCertificate(pkiBytes(name + ".der")); }

bool matches(const std::string& keyFile, const std::string& cert)
{
    auto r = privateKeyMatches(pkiBytes(keyFile), load(cert));
    EXPECT_TRUE(r) << keyFile << ": " << (r ? "" : r.error().what);
    return r && *r;
}

}  // namespace

TEST(pki_key_match, RsaPkcs8AndPkcs1)
{
    EXPECT_TRUE(matches("server.key.der", "server"));   // PKCS#8
    EXPECT_TRUE(matches("server.rsa.der", "server"));   // PKCS#1 RSAPrivateKey
    EXPECT_TRUE(matches("client.rsa.der", "client"));
    EXPECT_TRUE(matches("root.key.der", "root"));
}

TEST(pki_key_match, RsaWrongKey)
{
    EXPECT_FALSE(matches("client.key.der", "server"));
    EXPECT_FALSE(matches("wrongkey.rsa.der", "int"));  // same subject, other key
}

TEST(pki_key_match, EcSec1AndPkcs8)
{
    EXPECT_TRUE(matches("ec-server.sec1.der", "ec-server"));
    EXPECT_TRUE(matches("ec-server.key.der", "ec-server"));
    EXPECT_FALSE(matches("ec-root.sec1.der", "ec-server"));
}

TEST(pki_key_match, KeyTypeMismatchIsNoMatch)
{
    EXPECT_FALSE(matches("ec-server.key.der", "server"));
    EXPECT_FALSE(matches("server.key.der", "ec-server"));
}

TEST(pki_key_match, UndecodableKeyIsAnError)
{
    const Certificate server = load("server");
    EXPECT_FALSE(privateKeyMatches(std::vector<std::uint8_t>{}, server));
    EXPECT_FALSE(privateKeyMatches(pkiBytes("server.key"), server));  // PEM, not DER
    EXPECT_FALSE(privateKeyMatches(pkiBytes("server.der"), server));  // a certificate
    auto key = pkiBytes("server.rsa.der");
    key.resize(key.size() / 2);
    EXPECT_FALSE(privateKeyMatches(key, server));
}
