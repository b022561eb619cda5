#include "pki/der.h"

#include <fmt/format.h>

namespace wiiu::pki::der {

std::optional<std::uint8_t> Reader::peekTag() const
{
    if (atEnd()) return std::nullopt;
    return data_[pos_];
}

Expected<Tlv, ParseError> Reader::read()
{
    const std::size_t start = pos_;
    const std::size_t remaining = data_.size() - pos_;
    if (remaining < 2) return fail(error(remaining == 0 ? "missing element" : "truncated length"));
    const std::uint8_t tag = data_[pos_];
    // High-tag-number form: never used by X.509; refusing it keeps tags one byte.
    if ((tag & 0x1f) == 0x1f) return fail(error("unsupported multi-byte tag"));
    std::size_t p = pos_ + 1;
    const std::uint8_t first = data_[p++];
    std::size_t length = 0;
    if (first < 0x80) {
        length = first;
    } else if (first == 0x80) {
        return fail(ParseError{"indefinite length", base_ + p - 1});
    } else {
        const std::size_t count = first & 0x7f;
        if (count > 4) return fail(ParseError{"length too large", base_ + p - 1});
        if (data_.size() - p < count) return fail(ParseError{"truncated length", base_ + p - 1});
        if (data_[p] == 0) return fail(ParseError{"non-minimal length", base_ + p - 1});
        for (std::size_t i = 0; i < count; ++i) length = (length << 8) | data_[p++];
        if (length < 0x80) return fail(ParseError{"non-minimal length", base_ + start + 1});
    }
    if (length > data_.size() - p) return fail(ParseError{"length beyond input", base_ + start + 1});
    Tlv tlv;
    tlv.tag = tag;
    tlv.value = data_.subspan(p, length);
    tlv.whole = data_.subspan(start, p - start + length);
    tlv.offset = base_ + start;
    tlv.valueOffset = base_ + p;
    pos_ = p + length;
    return tlv;
}

Expected<Tlv, ParseError> Reader::read(std::uint8_t tag)
{
    if (atEnd()) return fail(error(fmt::format("missing element (expected tag 0x{:02x})", tag)));
    if (data_[pos_] != tag)
        return fail(error(fmt::format("unexpected tag 0x{:02x} (expected 0x{:02x})", data_[pos_], tag)));
    return read();
}

Expected<std::optional<Tlv>, ParseError> Reader::readOptional(std::uint8_t tag)
{
    if (peekTag() != tag) return std::optional<Tlv>{};
    auto tlv = read();
    if (!tlv) return fail(tlv.error());
    return std::optional<Tlv>{*tlv};
}

Expected<Reader, ParseError> Reader::constructed(std::uint8_t tag)
{
    auto tlv = read(tag);
    if (!tlv) return fail(tlv.error());
    return Reader(tlv->value, tlv->valueOffset);
}

Expected<Reader, ParseError> Reader::sequence() { return constructed(kSequence); }
Expected<Reader, ParseError> Reader::set() { return constructed(kSet); }

Expected<std::optional<Reader>, ParseError> Reader::optionalExplicit(unsigned n)
{
    const std::uint8_t tag = contextTag(n, true);
    if (peekTag() != tag) return std::optional<Reader>{};
    auto inner = constructed(tag);
    if (!inner) return fail(inner.error());
    return std::optional<Reader>{*inner};
}

Expected<ByteView, ParseError> Reader::integer()
{
    auto tlv = read(kInteger);
    if (!tlv) return fail(tlv.error());
    const ByteView v = tlv->value;
    if (v.empty()) return fail(ParseError{"empty INTEGER", tlv->offset});
    if (v.size() > 1 && ((v[0] == 0x00 && v[1] < 0x80) || (v[0] == 0xff && v[1] >= 0x80)))
        return fail(ParseError{"non-minimal INTEGER", tlv->valueOffset});
    return v;
}

Expected<std::int64_t, ParseError> Reader::smallInteger(std::int64_t min, std::int64_t max)
{
    const std::size_t at = offset();
    auto v = integer();
    if (!v) return fail(v.error());
    if (v->size() > 8) return fail(ParseError{"INTEGER out of range", at});
    // Two's complement, sign-extended from the first octet.
    std::uint64_t raw = ((*v)[0] & 0x80) ? ~std::uint64_t{0} : 0;
    for (std::uint8_t b : *v) raw = (raw << 8) | b;
    const auto value = static_cast<std::int64_t>(raw);
    if (value < min || value > max) return fail(ParseError{"INTEGER out of range", at});
    return value;
}

Expected<bool, ParseError> Reader::boolean()
{
    auto tlv = read(kBoolean);
    if (!tlv) return fail(tlv.error());
    if (tlv->value.size() != 1) return fail(ParseError{"bad BOOLEAN length", tlv->offset});
    const std::uint8_t b = tlv->value[0];
    if (b != 0x00 && b != 0xff) return fail(ParseError{"non-DER BOOLEAN", tlv->valueOffset});
    return b == 0xff;
}

Expected<BitString, ParseError> Reader::bitString()
{
    auto tlv = read(kBitString);
    if (!tlv) return fail(tlv.error());
    const ByteView v = tlv->value;
    if (v.empty()) return fail(ParseError{"empty BIT STRING", tlv->offset});
    const unsigned unused = v[0];
    if (unused > 7 || (v.size() == 1 && unused != 0))
        return fail(ParseError{"bad BIT STRING unused-bits count", tlv->valueOffset});
    if (unused != 0 && (v.back() & ((1u << unused) - 1)) != 0)
        return fail(ParseError{"non-zero unused bits in BIT STRING", tlv->valueOffset});
    return BitString{v.subspan(1), unused};
}

Expected<ByteView, ParseError> Reader::octetString()
{
    auto tlv = read(kOctetString);
    if (!tlv) return fail(tlv.error());
    return tlv->value;
}

Expected<void, ParseError> Reader::null()
{
    auto tlv = read(kNull);
    if (!tlv) return fail(tlv.error());
    if (!tlv->value.empty()) return fail(ParseError{"non-empty NULL", tlv->offset});
    return {};
}

Expected<ByteView, ParseError> Reader::oid()
{
    auto tlv = read(kOid);
    if (!tlv) return fail(tlv.error());
    if (auto ok = validateOid(tlv->value, tlv->valueOffset); !ok) return fail(ok.error());
    return tlv->value;
}

Expected<UnixTime, ParseError> Reader::time()
{
    const auto tag = peekTag();
    if (tag != kUtcTime && tag != kGeneralizedTime) {
        if (!tag) return fail(error("missing time"));
        return fail(error(fmt::format("unexpected tag 0x{:02x} (expected a time)", *tag)));
    }
    auto tlv = read();
    if (!tlv) return fail(tlv.error());
    return decodeTime(tlv->tag, tlv->value, tlv->valueOffset);
}

Expected<void, ParseError> Reader::expectEnd(std::string_view what) const
{
    if (!atEnd()) return fail(error(fmt::format("trailing bytes after {}", what)));
    return {};
}

Expected<void, ParseError> validateOid(ByteView oid, std::size_t offset)
{
    if (oid.empty()) return fail(ParseError{"empty OID", offset});
    if (oid.size() > kMaxOidLength) return fail(ParseError{"OID too long", offset});
    bool arcStart = true;
    unsigned arcBytes = 0;
    for (std::size_t i = 0; i < oid.size(); ++i) {
        // A 0x80 first octet would be a redundant leading zero group.
        if (arcStart && oid[i] == 0x80) return fail(ParseError{"non-minimal OID arc", offset + i});
        // Arcs wider than 63 bits cannot be printed by oidToText; no real OID needs them.
        if (++arcBytes > 9) return fail(ParseError{"OID arc too large", offset + i});
        arcStart = (oid[i] & 0x80) == 0;
        if (arcStart) arcBytes = 0;
    }
    if (!arcStart) return fail(ParseError{"truncated OID", offset + oid.size() - 1});
    return {};
}

Expected<void, ParseError> validateTree(ByteView data, std::size_t offset, int maxDepth)
{
    Reader r(data, offset);
    while (!r.atEnd()) {
        auto tlv = r.read();
        if (!tlv) return fail(tlv.error());
        if ((tlv->tag & 0x20) == 0) continue;
        if (maxDepth <= 0) return fail(ParseError{"nesting too deep", tlv->offset});
        if (auto ok = validateTree(tlv->value, tlv->valueOffset, maxDepth - 1); !ok) return ok;
    }
    return {};
}

std::string oidToText(ByteView oid)
{
    std::string out;
    std::uint64_t arc = 0;
    bool first = true;
    for (std::uint8_t b : oid) {
        arc = (arc << 7) | (b & 0x7f);
        if (b & 0x80) continue;
        if (first) {
            // The first subidentifier packs two arcs: 40*X + Y, with X <= 2.
            const std::uint64_t x = arc < 40 ? 0 : arc < 80 ? 1 : 2;
            out = fmt::format("{}.{}", x, arc - 40 * x);
            first = false;
        } else {
            out += fmt::format(".{}", arc);
        }
        arc = 0;
    }
    return out;
}

UnixTime toUnixTime(int year, int month, int day, int hour, int minute, int second)
{
    // Days from civil (Howard Hinnant's algorithm, rewritten here): shift the year to start in March.
    const std::int64_t y = year - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (month + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + hour * 3600 + minute * 60 + second;
}

namespace {

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

Expected<UnixTime, ParseError> decodeTime(std::uint8_t tag, ByteView text, std::size_t offset)
{
    // RFC 5280 4.1.2.5: seconds always present, always "Z", no fractions.
    const bool utc = tag == kUtcTime;
    const std::size_t expected = utc ? 13 : 15;
    if (text.size() != expected) return fail(ParseError{"bad time length", offset});
    if (text.back() != 'Z') return fail(ParseError{"time not in UTC (missing Z)", offset + expected - 1});
    for (std::size_t i = 0; i + 1 < expected; ++i)
        if (text[i] < '0' || text[i] > '9') return fail(ParseError{"non-digit in time", offset + i});
    std::size_t p = 0;
    auto two = [&] {
        const int v = (text[p] - '0') * 10 + (text[p + 1] - '0');
        p += 2;
        return v;
    };
    int year = two();
    if (utc)
        year += year >= 50 ? 1900 : 2000;  // RFC 5280: YY >= 50 is 19YY
    else
        year = year * 100 + two();
    const int month = two();
    const int day = two();
    const int hour = two();
    const int minute = two();
    const int second = two();
    if (month < 1 || month > 12) return fail(ParseError{"bad month in time", offset});
    if (day < 1 || day > daysInMonth(year, month)) return fail(ParseError{"bad day in time", offset});
    if (hour > 23 || minute > 59 || second > 59) return fail(ParseError{"bad time of day", offset});
    return toUnixTime(year, month, day, hour, minute, second);
}

}  // namespace wiiu::pki::der
