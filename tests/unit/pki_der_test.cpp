// The strict DER reader on hand-made encodings.
#include <gtest/gtest.h>

#include "pki/der.h"

using namespace wiiu::pki;
using Data = std::vector<std::uint8_t>;

namespace {

der::Reader reader(const Data& d) { return der::Reader(ByteView(d)); }

}  // namespace

TEST(pki_der, ShortAndLongLengths)
{
    Data shortForm = {0x04, 0x02, 0xaa, 0xbb};
    auto r = reader(shortForm);
    auto tlv = r.read();
    ASSERT_TRUE(tlv);
    EXPECT_EQ(tlv->tag, 0x04);
    EXPECT_EQ(tlv->value.size(), 2u);
    EXPECT_EQ(tlv->valueOffset, 2u);
    EXPECT_TRUE(r.atEnd());

    Data longForm = {0x04, 0x81, 0x80};
    longForm.resize(3 + 0x80, 0x11);
    auto r2 = reader(longForm);
    auto tlv2 = r2.read();
    ASSERT_TRUE(tlv2);
    EXPECT_EQ(tlv2->value.size(), 0x80u);
    EXPECT_EQ(tlv2->valueOffset, 3u);
}

TEST(pki_der, RejectsNonMinimalLengths)
{
    Data oneByte = {0x04, 0x81, 0x02, 0xaa, 0xbb};  // 2 must use the short form
    auto r = reader(oneByte);
    auto tlv = r.read();
    ASSERT_FALSE(tlv);
    EXPECT_EQ(tlv.error().what, "non-minimal length");

    Data leadingZero = {0x04, 0x82, 0x00, 0x80};
    leadingZero.resize(4 + 0x80);
    auto r2 = reader(leadingZero);
    auto tlv2 = r2.read();
    ASSERT_FALSE(tlv2);
    EXPECT_EQ(tlv2.error().what, "non-minimal length");
}

TEST(pki_der, RejectsIndefiniteAndOversizedLengths)
{
    Data indefinite = {0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00};
    auto r = reader(indefinite);
    auto tlv = r.read();
    ASSERT_FALSE(tlv);
    EXPECT_EQ(tlv.error().what, "indefinite length");
    EXPECT_EQ(tlv.error().offset, 1u);

    Data tooMany = {0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00};
    auto r2 = reader(tooMany);
    EXPECT_FALSE(r2.read());

    Data beyond = {0x04, 0x03, 0xaa, 0xbb};
    auto r3 = reader(beyond);
    auto tlv3 = r3.read();
    ASSERT_FALSE(tlv3);
    EXPECT_EQ(tlv3.error().what, "length beyond input");

    Data huge = {0x04, 0x84, 0xff, 0xff, 0xff, 0xff};
    auto r4 = reader(huge);
    EXPECT_FALSE(r4.read());
}

TEST(pki_der, RejectsTruncationAndHighTags)
{
    for (const Data& d : {Data{}, Data{0x30}, Data{0x30, 0x82, 0x01}}) {
        auto r = reader(d);
        EXPECT_FALSE(r.read());
    }
    Data highTag = {0x1f, 0x81, 0x01, 0x00};
    auto r = reader(highTag);
    EXPECT_FALSE(r.read());
}

TEST(pki_der, IntegersMustBeMinimal)
{
    Data good = {0x02, 0x02, 0x00, 0x80};
    auto r = reader(good);
    auto v = r.integer();
    ASSERT_TRUE(v);
    EXPECT_EQ(v->size(), 2u);

    for (const Data& bad : {Data{0x02, 0x02, 0x00, 0x7f}, Data{0x02, 0x02, 0xff, 0x80}, Data{0x02, 0x00}}) {
        auto rb = reader(bad);
        EXPECT_FALSE(rb.integer());
    }
}

TEST(pki_der, SmallIntegers)
{
    Data two = {0x02, 0x01, 0x02};
    auto r = reader(two);
    auto v = r.smallInteger(0, 2);
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, 2);

    Data negative = {0x02, 0x01, 0xff};
    auto rn = reader(negative);
    auto n = rn.smallInteger(-5, 5);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, -1);

    Data outOfRange = {0x02, 0x01, 0x03};
    auto ro = reader(outOfRange);
    EXPECT_FALSE(ro.smallInteger(0, 2));

    Data wide = {0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0};
    auto rw = reader(wide);
    EXPECT_FALSE(rw.smallInteger(0, INT64_MAX));
}

TEST(pki_der, Booleans)
{
    Data t = {0x01, 0x01, 0xff}, f = {0x01, 0x01, 0x00}, bad = {0x01, 0x01, 0x01}, longer = {0x01, 0x02, 0xff, 0xff};
    auto rt = reader(t), rf = reader(f), rb = reader(bad), rl = reader(longer);
    EXPECT_TRUE(*rt.boolean());
    EXPECT_FALSE(*rf.boolean());
    EXPECT_FALSE(rb.boolean());
    EXPECT_FALSE(rl.boolean());
}

TEST(pki_der, BitStrings)
{
    Data good = {0x03, 0x03, 0x04, 0xab, 0xc0};
    auto r = reader(good);
    auto bits = r.bitString();
    ASSERT_TRUE(bits);
    EXPECT_EQ(bits->unusedBits, 4u);
    EXPECT_EQ(bits->bytes.size(), 2u);

    for (const Data& bad : {Data{0x03, 0x00}, Data{0x03, 0x01, 0x01}, Data{0x03, 0x02, 0x08, 0x00},
                            Data{0x03, 0x02, 0x04, 0x01}}) {
        auto rb = reader(bad);
        EXPECT_FALSE(rb.bitString());
    }
}

TEST(pki_der, Oids)
{
    Data cn = {0x06, 0x03, 0x55, 0x04, 0x03};
    auto r = reader(cn);
    auto oid = r.oid();
    ASSERT_TRUE(oid);
    EXPECT_EQ(der::oidToText(*oid), "2.5.4.3");

    Data rsa = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
    EXPECT_EQ(der::oidToText(rsa), "1.2.840.113549.1.1.1");

    EXPECT_FALSE(der::validateOid(Data{}, 0));
    EXPECT_FALSE(der::validateOid(Data{0x55, 0x80, 0x01}, 0));  // non-minimal arc
    EXPECT_FALSE(der::validateOid(Data{0x55, 0x84}, 0));        // unterminated
    Data overLong(der::kMaxOidLength + 1, 0x01);
    EXPECT_FALSE(der::validateOid(overLong, 0));
    Data hugeArc = {0x55, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01};
    EXPECT_FALSE(der::validateOid(hugeArc, 0));
}

TEST(pki_der, UtcTime)
{
    auto decode = [](std::string_view s, std::uint8_t tag = der::kUtcTime) {
        Data d(s.begin(), s.end());
        return der::decodeTime(tag, d, 0);
    };
    EXPECT_EQ(*decode("700101000000Z"), 0);
    EXPECT_EQ(*decode("491231235959Z"), 2524607999);  // 2049
    EXPECT_EQ(*decode("500101000000Z"), -631152000);  // 1950
    EXPECT_EQ(*decode("000229120000Z"), 951825600);   // leap day 2000
    EXPECT_FALSE(decode("010229120000Z"));            // 2001 is not a leap year
    EXPECT_FALSE(decode("7001010000Z"));              // seconds missing
    EXPECT_FALSE(decode("700101000000"));             // no Z
    EXPECT_FALSE(decode("700101000000+0100"));
    EXPECT_FALSE(decode("701301000000Z"));
    EXPECT_FALSE(decode("700100000000Z"));
    EXPECT_FALSE(decode("700101240000Z"));
    EXPECT_FALSE(decode("700101006000Z"));
    EXPECT_FALSE(decode("700101000060Z"));
    EXPECT_FALSE(decode("70010100000aZ"));
}

TEST(pki_der, GeneralizedTime)
{
    auto decode = [](std::string_view s) {
        Data d(s.begin(), s.end());
        return der::decodeTime(der::kGeneralizedTime, d, 0);
    };
    EXPECT_EQ(*decode("20500101000000Z"), 2524608000);
    EXPECT_EQ(*decode("99991231235959Z"), 253402300799);
    EXPECT_EQ(*decode("19000101000000Z"), -2208988800);
    EXPECT_FALSE(decode("20500101000000.5Z"));  // no fractions (RFC 5280)
    EXPECT_FALSE(decode("205001010000Z"));
    EXPECT_FALSE(decode("21000229000000Z"));    // 2100 is not a leap year
    EXPECT_TRUE(decode("24000229000000Z"));
}

TEST(pki_der, TimeReaderChecksTag)
{
    Data octet = {0x04, 0x0d, '7', '0', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z'};
    auto r = reader(octet);
    EXPECT_FALSE(r.time());
    octet[0] = der::kUtcTime;
    auto r2 = reader(octet);
    EXPECT_EQ(*r2.time(), 0);
}

TEST(pki_der, NestedReadersReportAbsoluteOffsets)
{
    Data d = {0x30, 0x06, 0x02, 0x01, 0x01, 0x05, 0x01, 0x00};  // NULL with a content byte
    auto r = reader(d);
    auto seq = r.sequence();
    ASSERT_TRUE(seq);
    ASSERT_TRUE(seq->integer());
    auto n = seq->null();
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().offset, 5u);
}

TEST(pki_der, ExpectEndAndOptionals)
{
    Data d = {0xa0, 0x03, 0x02, 0x01, 0x02, 0x05, 0x00};
    auto r = reader(d);
    auto v = r.optionalExplicit(0);
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->has_value());
    auto missing = r.optionalExplicit(3);
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->has_value());
    auto end = r.expectEnd("test");
    ASSERT_FALSE(end);
    EXPECT_EQ(end.error().what, "trailing bytes after test");
    EXPECT_EQ(end.error().offset, 5u);
}

TEST(pki_der, ValidateTree)
{
    EXPECT_TRUE(der::validateTree(Data{0x30, 0x03, 0x02, 0x01, 0x01}, 0));
    EXPECT_FALSE(der::validateTree(Data{0x30, 0x03, 0x02, 0x02, 0x01}, 0));
    Data deep;
    for (int i = 0; i < 40; ++i) deep.insert(deep.begin(), {0x30, static_cast<std::uint8_t>(deep.size())});
    EXPECT_FALSE(der::validateTree(deep, 0));
}
