// parseCrl() and verifyCrlSignature() on CRLs made by `openssl ca -gencrl`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "pki/crl.h"
#include "pki/encoding.h"
#include "support/pki_fixture.h"

using namespace wiiu::pki;
using wiiu::test::pkiBytes;
using wiiu::test::pkiPath;
using wiiu::test::pkiText;
using wiiu::test::runCommand;

namespace {

Crl loadCrl(const std::string& name)
{
    auto crl = parseCrl(pkiBytes(name + ".crl.der"));
    EXPECT_TRUE(crl) << name << ": " << (crl ? "" : crl.error().what);
    return crl ? *crl : Crl{};
}

Certificate loadCert(const std::string& name) { return *parseCertificate(pkiBytes(name + ".der")); }

std::vector<std::uint8_t> serialOf(const std::string& name) { return loadCert(name).serial; }

std::string opensslCrl(const std::string& name, const std::string& args)
{
    return runCommand("openssl crl -in '" + pkiPath(name + ".crl").string() + "' -noout " + args);
}

std::string afterEquals(const std::string& s) { return s.substr(s.find('=') + 1); }

}  // namespace

TEST(pki_crl, V2FieldsMatchOpenssl)
{
    const Crl crl = loadCrl("int");
    EXPECT_EQ(crl.version, 2);
    EXPECT_EQ(crl.issuer, loadCert("int").subject);
    EXPECT_EQ(crl.sigAlg, SignatureAlgorithm::RsaPkcs1Sha256);
    EXPECT_EQ(formatTime(crl.thisUpdate), afterEquals(opensslCrl("int", "-lastupdate -dateopt iso_8601")).replace(10, 1, "T"));
    ASSERT_TRUE(crl.nextUpdate);
    EXPECT_EQ(formatTime(*crl.nextUpdate), afterEquals(opensslCrl("int", "-nextupdate -dateopt iso_8601")).replace(10, 1, "T"));
    EXPECT_EQ("0x" + toHex(crl.crlNumber), afterEquals(opensslCrl("int", "-crlnumber")));
    ASSERT_EQ(crl.revoked.size(), 1u);
    EXPECT_EQ(crl.revoked[0].serial, serialOf("revoked"));
    ASSERT_TRUE(crl.revoked[0].reason);
    EXPECT_EQ(*crl.revoked[0].reason, 1);  // keyCompromise
    EXPECT_LE(crl.revoked[0].when, crl.thisUpdate);
    EXPECT_EQ(crl.der, pkiBytes("int.crl.der"));
}

TEST(pki_crl, IsRevoked)
{
    const Crl crl = loadCrl("int");
    EXPECT_TRUE(crl.isRevoked(serialOf("revoked")));
    EXPECT_FALSE(crl.isRevoked(serialOf("server")));
    EXPECT_FALSE(crl.isRevoked(serialOf("client")));
    auto padded = serialOf("revoked");
    padded.insert(padded.begin(), 0x00);
    EXPECT_TRUE(crl.isRevoked(padded));
    EXPECT_FALSE(loadCrl("root").isRevoked(serialOf("int")));
    EXPECT_TRUE(loadCrl("ec-root").isRevoked(serialOf("ec-revoked")));
    EXPECT_FALSE(loadCrl("ec-root").isRevoked(serialOf("ec-server")));
}

TEST(pki_crl, UnknownCriticalExtensionIsFlagged)
{
    EXPECT_FALSE(loadCrl("int").unknownCriticalExtension);
    EXPECT_FALSE(loadCrl("int-v1").unknownCriticalExtension);
    const Crl crl = loadCrl("int-critical");
    EXPECT_TRUE(crl.unknownCriticalExtension);
    EXPECT_TRUE(verifyCrlSignature(crl, loadCert("int")));
}

TEST(pki_crl, V1Crl)
{
    const Crl crl = loadCrl("int-v1");
    EXPECT_EQ(crl.version, 1);
    EXPECT_TRUE(crl.crlNumber.empty());
    ASSERT_EQ(crl.revoked.size(), 1u);
    EXPECT_FALSE(crl.revoked[0].reason);
    EXPECT_TRUE(crl.isRevoked(serialOf("revoked")));
    EXPECT_TRUE(verifyCrlSignature(crl, loadCert("int")));
}

TEST(pki_crl, EmptyCrl)
{
    const Crl crl = loadCrl("root");
    EXPECT_TRUE(crl.revoked.empty());
    EXPECT_TRUE(verifyCrlSignature(crl, loadCert("root")));
}

TEST(pki_crl, ExpiredCrl)
{
    const Crl crl = loadCrl("int-expired");
    EXPECT_EQ(formatTime(crl.thisUpdate), "2020-01-01T00:00:00Z");
    ASSERT_TRUE(crl.nextUpdate);
    EXPECT_EQ(formatTime(*crl.nextUpdate), "2020-02-01T00:00:00Z");
    EXPECT_TRUE(crl.isExpired(crl.thisUpdate + 86400 * 365));
    EXPECT_FALSE(crl.isExpired(crl.thisUpdate));
    EXPECT_TRUE(verifyCrlSignature(crl, loadCert("int")));  // expired, but genuinely signed
}

TEST(pki_crl, SignatureRsaAllDigests)
{
    const Certificate issuer = loadCert("int");
    const std::pair<const char*, SignatureAlgorithm> crls[] = {
        {"int", SignatureAlgorithm::RsaPkcs1Sha256},
        {"int-sha1", SignatureAlgorithm::RsaPkcs1Sha1},
        {"int-sha384", SignatureAlgorithm::RsaPkcs1Sha384},
        {"int-sha512", SignatureAlgorithm::RsaPkcs1Sha512},
    };
    for (const auto& [name, alg] : crls) {
        const Crl crl = loadCrl(name);
        EXPECT_EQ(crl.sigAlg, alg) << name;
        auto ok = verifyCrlSignature(crl, issuer);
        EXPECT_TRUE(ok) << name << ": " << (ok ? "" : ok.error());
    }
}

TEST(pki_crl, SignatureEcdsa)
{
    const Crl crl = loadCrl("ec-root");
    EXPECT_EQ(crl.sigAlg, SignatureAlgorithm::EcdsaSha256);
    auto ok = verifyCrlSignature(crl, loadCert("ec-root"));
    EXPECT_TRUE(ok) << (ok ? "" : ok.error());

    Crl tampered = crl;
    tampered.tbs.back() ^= 1;
    EXPECT_FALSE(verifyCrlSignature(tampered, loadCert("ec-root")));
}

TEST(pki_crl, SignatureWrongKeyOrIssuer)
{
    const Crl forged = loadCrl("int-wrongkey");
    EXPECT_EQ(forged.issuer, loadCert("int").subject);  // the name matches...
    auto bad = verifyCrlSignature(forged, loadCert("int"));
    ASSERT_FALSE(bad);  // ...the key does not
    EXPECT_TRUE(verifyCrlSignature(forged, loadCert("wrongkey")));

    auto otherIssuer = verifyCrlSignature(loadCrl("int"), loadCert("root"));
    ASSERT_FALSE(otherIssuer);
    EXPECT_EQ(otherIssuer.error(), "CRL issuer is not the certificate's subject");

    Crl tampered = loadCrl("int");
    tampered.signature[10] ^= 0x01;
    EXPECT_FALSE(verifyCrlSignature(tampered, loadCert("int")));
    tampered = loadCrl("int");
    tampered.signature.pop_back();
    EXPECT_FALSE(verifyCrlSignature(tampered, loadCert("int")));
}

TEST(pki_crl, GenericVerifyOnCertificates)
{
    // The same check applies to certificates: each is signed by its issuer's key.
    const std::pair<const char*, const char*> pairs[] = {
        {"root", "root"}, {"int", "root"}, {"server", "int"}, {"ec-server", "ec-root"}};
    for (const auto& [subject, issuer] : pairs) {
        const Certificate cert = loadCert(subject);
        auto ok = verifySignature(cert.tbs, cert.sigAlg, cert.signature, loadCert(issuer));
        EXPECT_TRUE(ok) << subject << ": " << (ok ? "" : ok.error());
    }
    const Certificate server = loadCert("server");
    EXPECT_FALSE(verifySignature(server.tbs, server.sigAlg, server.signature, loadCert("root")));
    EXPECT_FALSE(verifySignature(server.tbs, SignatureAlgorithm::EcdsaSha256, server.signature, loadCert("int")));
    EXPECT_FALSE(verifySignature(server.tbs, SignatureAlgorithm::RsaPkcs1Md5, server.signature, loadCert("int")));
    EXPECT_FALSE(verifySignature(server.tbs, SignatureAlgorithm::Unknown, server.signature, loadCert("int")));
}

TEST(pki_crl, PemCrlDecodes)
{
    auto der = derFromDerOrPem(pkiBytes("int.crl"), "X509 CRL");
    ASSERT_TRUE(der);
    EXPECT_TRUE(parseCrl(*der));
}

TEST(pki_crl, RejectsTrailingByte)
{
    auto der = pkiBytes("int.crl.der");
    der.push_back(0);
    auto crl = parseCrl(der);
    ASSERT_FALSE(crl);
    EXPECT_EQ(crl.error().what, "trailing bytes after CRL");
}

TEST(pki_crl, TruncationAtEveryOffsetFailsCleanly)
{
    for (const char* name : {"int", "int-v1", "ec-root"}) {
        const auto der = pkiBytes(std::string(name) + ".crl.der");
        ASSERT_FALSE(der.empty());
        for (std::size_t n = 0; n < der.size(); ++n)
            ASSERT_FALSE(parseCrl(ByteView(der.data(), n))) << name << " truncated to " << n;
    }
}

TEST(pki_crl, RejectsNonMinimalAndIndefiniteLengths)
{
    const auto der = pkiBytes("int.crl.der");
    ASSERT_EQ(der[1], 0x82);
    std::vector<std::uint8_t> longer = {0x30, 0x83, 0x00, der[2], der[3]};
    longer.insert(longer.end(), der.begin() + 4, der.end());
    EXPECT_FALSE(parseCrl(longer));
    std::vector<std::uint8_t> indefinite = {0x30, 0x80};
    indefinite.insert(indefinite.end(), der.begin() + 4, der.end());
    indefinite.insert(indefinite.end(), {0, 0});
    EXPECT_FALSE(parseCrl(indefinite));
}

TEST(pki_crl, SingleByteCorruptionNeverCrashes)
{
    const auto der = pkiBytes("int.crl.der");
    const Certificate issuer = loadCert("int");
    for (std::size_t i = 0; i < der.size(); ++i) {
        auto copy = der;
        copy[i] ^= 0x01;
        auto crl = parseCrl(copy);
        // Any flip that still parses must break the signature (or the issuer match).
        if (crl) {
            EXPECT_FALSE(verifyCrlSignature(*crl, issuer)) << "offset " << i;
        }
    }
}

TEST(pki_crl, RejectsCertificatesAsCrls)
{
    EXPECT_FALSE(parseCrl(pkiBytes("server.der")));
    EXPECT_FALSE(parseCrl(std::vector<std::uint8_t>{}));
}
