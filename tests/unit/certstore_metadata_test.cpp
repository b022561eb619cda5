#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "certstore/metadata.h"

using namespace wiiu::certstore;
using ::testing::HasSubstr;

namespace {

std::string parseError(const std::string& text)
{
    auto r = parseMetadata(text, "certstore_metadata.txt");
    EXPECT_FALSE(r) << "expected an error for: " << text;
    return r ? std::string() : r.error().message;
}

const char* kServer = "ID=102;TYPE=1;ENCODING=1;PROPERTIES=2;CAPABILITY_MASK=0;PID=-4;GROUPS=1;PATHS=scerts/A.der";

}  // namespace

TEST(certstore_metadata, ParsesAServerAndAClientLine)
{
    std::string text = std::string("# comment\n\n") + kServer +
                       "\r\nID=1;TYPE=2;ENCODING=1;PROPERTIES=0x3;CAPABILITY_MASK=0xFFFFFFFFFFFFFFFF;"
                       "PID=-4,5;TID=0x0005001010040000,-1;GROUPS=0;PATHS=ccerts/C.der, ccerts/C.aes;RAW_E1_SIZE=1192\n";
    auto r = parseMetadata(text, "m.txt");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 2u);
    const auto& s = (*r)[0];
    EXPECT_EQ(s.line, 3);
    EXPECT_EQ(s.id, 102);
    EXPECT_EQ(s.groups, 1u);
    EXPECT_EQ(s.permissions.processIds, std::vector<std::int32_t>{-4});
    EXPECT_EQ(s.certPath, "scerts/A.der");
    EXPECT_TRUE(s.keyPath.empty());
    const auto& c = (*r)[1];
    EXPECT_EQ(c.permissions.type, 2);
    EXPECT_EQ(c.permissions.properties, 3u);
    EXPECT_EQ(c.permissions.capabilityMask, ~std::uint64_t{0});
    EXPECT_EQ(c.permissions.processIds, (std::vector<std::int32_t>{-4, 5}));
    EXPECT_EQ(c.permissions.titleIds, (std::vector<std::uint64_t>{0x0005001010040000ull, ~std::uint64_t{0}}));
    EXPECT_EQ(c.keyPath, "ccerts/C.aes");
    EXPECT_EQ(c.rawE1Size, 1192u);
}

TEST(certstore_metadata, KeysAreCaseInsensitiveAndSpacesAndEmptyItemsAreIgnored)
{
    auto r = parseMetadata(" id = 0x66 ; type=1;; Paths = scerts/A.der ; groups=010 ;\n", "m.txt");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ((*r)[0].id, 102);
    EXPECT_EQ((*r)[0].groups, 8u);  // base 0: leading 0 is octal, like strtol
}

TEST(certstore_metadata, AliasesOfTheSizeKeys)
{
    auto r = parseMetadata("ID=1;TYPE=2;PATHS=a.der,b.aes;KEYSIZEDER=100;RAW_SIZE=7", "m.txt");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ((*r)[0].rawE1Size, 100u);
    EXPECT_EQ((*r)[0].rawE0Size, 7u);
    EXPECT_EQ((*r)[0].permissions.properties, kPropHasKey);  // defaulted from PATHS
    EXPECT_THAT(parseError("ID=1;TYPE=2;PATHS=a.der,b.aes;KEYSIZEDER=1;RAW_E1_SIZE=1"), HasSubstr("key given twice"));
}

TEST(certstore_metadata, SyntaxErrorsNameFileLineAndItem)
{
    std::string text = std::string(kServer) + "\n# ok\nID=103;TYPE=1;GROUPS1;PATHS=x.der\n";
    EXPECT_EQ(parseError(text), "certstore_metadata.txt:3: item has no '=' in 'GROUPS1'");
    EXPECT_THAT(parseError("ID=12z;TYPE=1;PATHS=a.der"), HasSubstr("certstore_metadata.txt:1: ID is not a 32-bit integer in 'ID=12z'"));
    EXPECT_THAT(parseError("ID=0x;TYPE=1;PATHS=a.der"), HasSubstr("'ID=0x'"));
    EXPECT_THAT(parseError("ID=09;TYPE=1;PATHS=a.der"), HasSubstr("'ID=09'"));  // 9 is no octal digit
    EXPECT_THAT(parseError("ID=4294967296;TYPE=1;PATHS=a.der"), HasSubstr("ID is not a 32-bit integer"));
    EXPECT_THAT(parseError("ID=1;TYPE=1;PATHS=a.der;GROUPS=-1"), HasSubstr("GROUPS is not an unsigned"));
    EXPECT_THAT(parseError("ID=1;TYPE=1;PATHS=a.der;PID=1,,2"), HasSubstr("PID is not a comma list"));
    EXPECT_THAT(parseError("ID=1;TYPE=1;PATHS=a.der;TID=0x1,zz"), HasSubstr("'TID=0x1,zz'"));
    EXPECT_THAT(parseError("ID=1;TYPE=1;PATHS="), HasSubstr("item has no value in 'PATHS='"));
    EXPECT_THAT(parseError("=1;TYPE=1;PATHS=a"), HasSubstr("item has no key"));
    EXPECT_THAT(parseError("ID=1;ID=2;TYPE=1;PATHS=a"), HasSubstr("key given twice in 'ID=2'"));
}

TEST(certstore_metadata, MissingOrInconsistentFields)
{
    EXPECT_EQ(parseError("TYPE=1;PATHS=a.der"), "certstore_metadata.txt:1: missing required key ID");
    EXPECT_THAT(parseError("ID=1;PATHS=a.der"), HasSubstr("missing required key TYPE"));
    EXPECT_THAT(parseError("ID=1;TYPE=1"), HasSubstr("missing required key PATHS"));
    EXPECT_THAT(parseError("ID=1;TYPE=3;PATHS=a.der"), HasSubstr("TYPE 3 is neither"));
    EXPECT_THAT(parseError("ID=1;TYPE=2;PATHS=a.der"), HasSubstr("client certificate (TYPE=2) without a key file"));
    EXPECT_THAT(parseError("ID=1;TYPE=2;PROPERTIES=3;PATHS=a.der"), HasSubstr("PATHS names one file"));
    EXPECT_THAT(parseError("ID=1;TYPE=2;PROPERTIES=0;PATHS=a.der,b.aes"), HasSubstr("PROPERTIES lacks 0x1"));
    EXPECT_THAT(parseError("ID=1;TYPE=1;PATHS=a,b,c"), HasSubstr("more than two files"));
    EXPECT_THAT(parseError(std::string(kServer) + "\n" + kServer), HasSubstr(":2: ID 102 already defined on line 1"));
}

TEST(certstore_metadata, PathsThatLeaveContentAreRefused)
{
    for (const char* path : {"../otp.bin", "scerts/../../x.der", "/etc/passwd", "scerts\\..\\x.der", "C:/x.der", ".."}) {
        std::string line = std::string("ID=1;TYPE=1;PATHS=") + path;
        EXPECT_THAT(parseError(line), HasSubstr("PATHS leaves the content folder in 'PATHS=" + std::string(path) + "'"));
    }
    EXPECT_THAT(parseError("ID=1;TYPE=2;PATHS=a.der,../k.aes"), HasSubstr("leaves the content folder"));
    EXPECT_TRUE(isContainedRelativePath("scerts/A..B.der"));
    EXPECT_TRUE(isContainedRelativePath("./scerts/A.der"));
}

TEST(certstore_metadata, UnknownKeysAreIgnored)
{
    auto r = parseMetadata("ID=1;TYPE=1;PATHS=a.der;FUTURE_KEY=whatever", "m.txt");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ((*r)[0].id, 1);
}
