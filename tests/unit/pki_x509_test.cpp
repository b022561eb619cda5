// parseCertificate() against the openssl command line's view of the same fixture files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "pki/encoding.h"
#include "pki/public_key.h"
#include "pki/x509.h"
#include "support/pki_fixture.h"

using namespace wiiu::pki;
using wiiu::test::pkiBytes;
using wiiu::test::pkiPath;
using wiiu::test::runCommand;

namespace {

const char* const kAllCerts[] = {"root", "int", "server", "client", "expired", "notyet",
                                 "revoked", "wrongkey", "ec-root", "ec-server", "ec-revoked"};

// OpenSSL's RFC 2253 options, with ", " between RDNs as nameToText() writes.
const char* const kNameOpt = "-nameopt esc_2253,esc_ctrl,utf8,dump_nostr,dump_unknown,dump_der,"
                             "sep_comma_plus_space,dn_rev,sname";

std::string openssl(const std::string& cert, const std::string& args)
{
    return runCommand("openssl x509 -in '" + pkiPath(cert + ".pem").string() + "' -noout " + args);
}

std::string afterEquals(const std::string& line) { return line.substr(line.find('=') + 1); }

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

// "2026-11-29 06:14:15Z" (openssl -dateopt iso_8601) -> "2026-11-29T06:14:15Z"
std::string isoFromOpenssl(std::string s)
{
    std::replace(s.begin(), s.end(), ' ', 'T');
    return s;
}

Certificate load(const std::string& name)
{
    auto cert = parseCertificate(pkiBytes(name + ".der"));
    EXPECT_TRUE(cert) << name << ": " << (cert ? "" : cert.error().what);
    return cert ? *cert : Certificate{};
}

}  // namespace

TEST(pki_x509, FieldsMatchOpenssl)
{
    for (const char* name : kAllCerts) {
        SCOPED_TRACE(name);
        const Certificate cert = load(name);
        ByteView serial = cert.serial;
        while (serial.size() > 1 && serial[0] == 0) serial = serial.subspan(1);
        EXPECT_EQ(upper(toHex(serial)), afterEquals(openssl(name, "-serial")));
        EXPECT_EQ(cert.subjectText(), afterEquals(openssl(name, std::string("-subject ") + kNameOpt)));
        EXPECT_EQ(cert.issuerText(), afterEquals(openssl(name, std::string("-issuer ") + kNameOpt)));
        EXPECT_EQ(formatTime(cert.notBefore), isoFromOpenssl(afterEquals(openssl(name, "-startdate -dateopt iso_8601"))));
        EXPECT_EQ(formatTime(cert.notAfter), isoFromOpenssl(afterEquals(openssl(name, "-enddate -dateopt iso_8601"))));
        EXPECT_EQ(cert.version, 3);
        EXPECT_EQ(cert.der, pkiBytes(std::string(name) + ".der"));
    }
}

TEST(pki_x509, KeyTypeAndCaFlag)
{
    const Certificate root = load("root");
    EXPECT_TRUE(root.isCA);
    EXPECT_EQ(root.keyType, KeyType::Rsa);
    EXPECT_EQ(root.keyBits, 2048u);
    EXPECT_EQ(root.sigAlg, SignatureAlgorithm::RsaPkcs1Sha256);
    EXPECT_EQ(root.issuer, root.subject);

    const Certificate inter = load("int");
    EXPECT_TRUE(inter.isCA);
    EXPECT_EQ(inter.pathLen, 0);
    EXPECT_EQ(inter.issuer, root.subject);

    const Certificate server = load("server");
    EXPECT_FALSE(server.isCA);
    EXPECT_EQ(server.pathLen, -1);
    EXPECT_EQ(server.dnsNames, std::vector<std::string>{"localhost"});
    EXPECT_EQ(server.issuer, inter.subject);

    const Certificate ec = load("ec-server");
    EXPECT_EQ(ec.keyType, KeyType::Ec);
    EXPECT_EQ(ec.keyBits, 256u);
    EXPECT_EQ(ec.sigAlg, SignatureAlgorithm::EcdsaSha256);
    EXPECT_TRUE(load("ec-root").isCA);
}

TEST(pki_x509, ExpiredAndNotYetValidDates)
{
    const Certificate expired = load("expired");
    EXPECT_EQ(formatTime(expired.notBefore), "2020-01-01T00:00:00Z");
    EXPECT_EQ(formatTime(expired.notAfter), "2020-02-01T00:00:00Z");
    const Certificate notyet = load("notyet");
    EXPECT_EQ(formatTime(notyet.notBefore), "2099-01-01T00:00:00Z");
    EXPECT_EQ(formatTime(notyet.notAfter), "2099-12-31T23:59:59Z");  // GeneralizedTime (>= 2050)
}

TEST(pki_x509, NameText)
{
    EXPECT_EQ(load("client").subjectText(), "emailAddress=client@example.com, O=wiiu_nssl tests, CN=NSSL Test Client");
    EXPECT_EQ(load("server").issuerText(), "C=US, O=wiiu_nssl tests, CN=NSSL Test Intermediate CA");
    // Unknown attribute types are shown dotted; RFC 2253 specials escaped.
    const std::vector<std::uint8_t> name = {0x30, 0x0f, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x2a, 0x03, 0x04,
                                            0x0c, 0x04, 'a', ',', 'b', ' '};
    EXPECT_EQ(nameToText(name), "1.2.3.4=a\\,b\\ ");
    EXPECT_EQ(nameToText(std::vector<std::uint8_t>{0x30, 0x01}), "<malformed name>");
    EXPECT_EQ(nameToText(std::vector<std::uint8_t>{0x30, 0x00}), "");
}

TEST(pki_x509, FormatTime)
{
    EXPECT_EQ(formatTime(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(formatTime(2145916799), "2037-12-31T23:59:59Z");
    EXPECT_EQ(formatTime(253402300799), "9999-12-31T23:59:59Z");
    EXPECT_EQ(formatTime(-1), "1969-12-31T23:59:59Z");
    EXPECT_EQ(formatTime(951825600), "2000-02-29T12:00:00Z");
}

TEST(pki_x509, PublicKeyOfSpki)
{
    const Certificate server = load("server");
    auto key = parsePublicKey(server.spki);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->rsaN.size(), 256u);
    EXPECT_EQ(key->rsaE, (std::vector<std::uint8_t>{0x01, 0x00, 0x01}));
    auto ec = parsePublicKey(load("ec-server").spki);
    ASSERT_TRUE(ec);
    EXPECT_EQ(ec->ecPoint.size(), 65u);
    EXPECT_EQ(ec->ecPoint[0], 0x04);
}

TEST(pki_x509, RejectsTrailingByte)
{
    auto der = pkiBytes("server.der");
    der.push_back(0x00);
    auto cert = parseCertificate(der);
    ASSERT_FALSE(cert);
    EXPECT_EQ(cert.error().what, "trailing bytes after certificate");
    EXPECT_EQ(cert.error().offset, der.size() - 1);
}

TEST(pki_x509, TruncationAtEveryOffsetFailsCleanly)
{
    for (const char* name : {"server", "ec-server"}) {
        const auto der = pkiBytes(std::string(name) + ".der");
        ASSERT_FALSE(der.empty());
        for (std::size_t n = 0; n < der.size(); ++n) {
            auto cert = parseCertificate(ByteView(der.data(), n));
            ASSERT_FALSE(cert) << name << " truncated to " << n;
            EXPECT_LE(cert.error().offset, n);
        }
    }
}

TEST(pki_x509, EveryInnerTruncationFailsCleanly)
{
    // Keep the outer length honest but cut the content: each prefix wrapped in a fresh SEQUENCE.
    const auto der = pkiBytes("int.der");
    for (std::size_t n = 0; n + 4 < der.size(); n += 7) {
        std::vector<std::uint8_t> body(der.begin() + 4, der.begin() + 4 + static_cast<long>(n));
        std::vector<std::uint8_t> wrapped = {0x30, 0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
        if (n < 0x80) wrapped = {0x30, static_cast<std::uint8_t>(n)};
        else if (n < 0x100) wrapped = {0x30, 0x81, static_cast<std::uint8_t>(n)};
        wrapped.insert(wrapped.end(), body.begin(), body.end());
        EXPECT_FALSE(parseCertificate(wrapped)) << n;
    }
}

TEST(pki_x509, RejectsNonMinimalAndIndefiniteLengths)
{
    const auto der = pkiBytes("server.der");
    ASSERT_EQ(der[0], 0x30);
    ASSERT_EQ(der[1], 0x82);  // a 2048-bit certificate needs two length octets

    // The same length written with three octets.
    std::vector<std::uint8_t> longer = {0x30, 0x83, 0x00, der[2], der[3]};
    longer.insert(longer.end(), der.begin() + 4, der.end());
    auto a = parseCertificate(longer);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().what, "non-minimal length");

    std::vector<std::uint8_t> indefinite = {0x30, 0x80};
    indefinite.insert(indefinite.end(), der.begin() + 4, der.end());
    indefinite.push_back(0);
    indefinite.push_back(0);
    auto b = parseCertificate(indefinite);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().what, "indefinite length");
}

TEST(pki_x509, SingleByteCorruptionNeverCrashes)
{
    // Not every flip is invalid (e.g. inside the signature), but none may crash or throw, and
    // whatever is accepted is kept byte for byte.
    const auto der = pkiBytes("ec-server.der");
    ASSERT_FALSE(der.empty());
    std::size_t refused = 0;
    for (std::size_t i = 0; i < der.size(); ++i) {
        for (std::uint8_t flip : {std::uint8_t{0x80}, std::uint8_t{0xff}}) {
            auto copy = der;
            copy[i] = flip == 0x80 ? static_cast<std::uint8_t>(copy[i] ^ 0x80) : flip;
            auto cert = parseCertificate(copy);
            if (!cert)
                ++refused;
            else
                EXPECT_EQ(cert->der, copy) << "byte " << i;
        }
    }
    EXPECT_GT(refused, der.size() / 4);  // structure bytes are everywhere: many flips must be refused
}

TEST(pki_x509, RejectsGarbage)
{
    EXPECT_FALSE(parseCertificate(std::vector<std::uint8_t>{}));
    EXPECT_FALSE(parseCertificate(pkiBytes("server.pem")));  // PEM is not DER
    EXPECT_FALSE(parseCertificate(pkiBytes("int.crl.der")));
}
