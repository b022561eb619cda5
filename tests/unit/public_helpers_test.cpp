// The public helpers an emulator's debug view or front end uses (<wiiu_nssl/certificate.h>,
// <wiiu_nssl/utf8_path.h>), through the public headers only: a certificate's text against the
// openssl command line, PEM files to DER, paths from and to UTF-8 text on a real file system.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>

#include <wiiu_nssl/certificate.h>
#include <wiiu_nssl/utf8_path.h>
#include "support/pki_fixture.h"

namespace {

using wiiu::test::pkiBytes;
using wiiu::test::pkiPath;
using wiiu::test::runCommand;

/// One field of `openssl x509` for a fixture certificate, its "name=" prefix removed.
std::string opensslField(const std::string& cert, const std::string& option)
{
    const std::string line = runCommand("openssl x509 -in '" + pkiPath(cert).string() + "' -noout " + option +
                                        " -nameopt RFC2253 -dateopt iso_8601");
    return line.substr(line.find('=') + 1);
}

std::string without(std::string text, const std::string& part)
{
    for (std::size_t at; (at = text.find(part)) != std::string::npos;)
        text.erase(at, part.size());
    return text;
}

TEST(public_certificate, SummaryMatchesOpenssl)
{
    for (const std::string name : {"server", "ec-server", "expired", "client"}) {
        const auto summary = wiiu::pki::summarizeCertificate(pkiBytes(name + ".der"));
        ASSERT_TRUE(summary.parsed) << name;
        // openssl: "C=US,O=...,CN=..." and "2026-12-07 08:54:49Z"; the module: ", " and "T".
        EXPECT_EQ(without(summary.subject, " "), without(opensslField(name + ".pem", "-subject"), " ")) << name;
        EXPECT_EQ(without(summary.issuer, " "), without(opensslField(name + ".pem", "-issuer"), " ")) << name;
        std::string notBefore = opensslField(name + ".pem", "-startdate");
        std::string notAfter = opensslField(name + ".pem", "-enddate");
        std::replace(notBefore.begin(), notBefore.end(), ' ', 'T');
        std::replace(notAfter.begin(), notAfter.end(), ' ', 'T');
        EXPECT_EQ(summary.notBefore, notBefore) << name;
        EXPECT_EQ(summary.notAfter, notAfter) << name;
        std::string fingerprint = without(opensslField(name + ".pem", "-fingerprint -sha256"), ":");
        std::transform(fingerprint.begin(), fingerprint.end(), fingerprint.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        EXPECT_EQ(summary.sha256, fingerprint) << name;
    }
}

TEST(public_certificate, UnparsableCertificateKeepsItsFingerprint)
{
    auto der = pkiBytes("server.der");
    der.push_back(0);  // trailing bytes: not a certificate the strict reader takes
    const auto summary = wiiu::pki::summarizeCertificate(der);
    EXPECT_FALSE(summary.parsed);
    EXPECT_TRUE(summary.subject.empty());
    EXPECT_TRUE(summary.notAfter.empty());
    EXPECT_EQ(summary.sha256.size(), 64u);
    EXPECT_NE(summary.sha256, wiiu::pki::summarizeCertificate(pkiBytes("server.der")).sha256);
}

TEST(public_certificate, DerFromAUsersFile)
{
    const auto der = pkiBytes("server.der");
    const auto pem = pkiBytes("server.pem");
    auto fromPem = wiiu::pki::derFromDerOrPem(pem, "CERTIFICATE");
    ASSERT_TRUE(fromPem);
    EXPECT_EQ(*fromPem, der);
    auto asIs = wiiu::pki::derFromDerOrPem(der, "CERTIFICATE");
    ASSERT_TRUE(asIs);
    EXPECT_EQ(*asIs, der);
    auto wrongLabel = wiiu::pki::derFromDerOrPem(pem, "X509 CRL");
    ASSERT_FALSE(wrongLabel);
    EXPECT_EQ(wrongLabel.error().what, "no matching PEM block");
    const std::string broken = "-----BEGIN CERTIFICATE-----\nQU*C\n-----END CERTIFICATE-----\n";
    auto bad = wiiu::pki::derFromDerOrPem({reinterpret_cast<const std::uint8_t*>(broken.data()), broken.size()});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().offset, broken.find('*'));  // where the text went wrong
}

TEST(public_utf8_path, NonAsciiNamesSurviveTheFileSystem)
{
    const std::string name = "Zertifikat \xc3\xbc\xe2\x9c\x93 \xe6\x97\xa5.der";  // ü ✓ 日
    const auto dir = std::filesystem::path(WIIU_NSSL_BINARY_DIR) / "public_utf8_path";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto path = dir / wiiu::platform::pathFromUtf8(name);
    std::ofstream(path) << "x";
    ASSERT_TRUE(std::filesystem::exists(path));
    const auto listed = std::filesystem::directory_iterator(dir)->path();
    EXPECT_EQ(wiiu::platform::utf8(listed.filename()), name);
    EXPECT_EQ(wiiu::platform::pathFromUtf8(wiiu::platform::utf8(listed)), listed);
    std::filesystem::remove_all(dir);
}

TEST(public_utf8_path, ArgumentsAsGiven)
{
    char program[] = "tool", option[] = "--store", value[] = "\xc3\xbc";
    char* argv[] = {program, option, value};
    const wiiu::platform::Utf8Argv args(3, argv);
    ASSERT_EQ(args.argc(), 3);
    EXPECT_STREQ(args.argv()[0], "tool");
    EXPECT_STREQ(args.argv()[2], "\xc3\xbc");
}

}  // namespace
