// The project's one strict DER reader. Everything that reads ASN.1 (certificates, CRLs, keys'
// public halves) goes through this cursor, so strictness is decided in one place:
//  - definite, minimal lengths only (no indefinite form, no 0x81 for lengths < 128, no leading
//    zero length octets, at most 4 length octets), never beyond the input;
//  - single-byte tags only (X.509 never needs the high-tag-number form);
//  - INTEGER, BOOLEAN, BIT STRING, OID and times in their DER (canonical) form.
// Nothing here throws; every failure is a ParseError carrying the absolute input offset.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pki/types.h"

/// Binds `var` to the Expected result of `expr`, returning its error from the caller on failure.
#define WIIU_PKI_TRY(var, expr) \
    auto var = (expr);          \
    if (!var) return ::wiiu::fail(var.error())

namespace wiiu::pki::der {

// Universal tags (class bits included, as they appear on the wire).
inline constexpr std::uint8_t kBoolean = 0x01;
inline constexpr std::uint8_t kInteger = 0x02;
inline constexpr std::uint8_t kBitString = 0x03;
inline constexpr std::uint8_t kOctetString = 0x04;
inline constexpr std::uint8_t kNull = 0x05;
inline constexpr std::uint8_t kOid = 0x06;
inline constexpr std::uint8_t kUtf8String = 0x0c;
inline constexpr std::uint8_t kPrintableString = 0x13;
inline constexpr std::uint8_t kT61String = 0x14;
inline constexpr std::uint8_t kIa5String = 0x16;
inline constexpr std::uint8_t kUtcTime = 0x17;
inline constexpr std::uint8_t kGeneralizedTime = 0x18;
inline constexpr std::uint8_t kUniversalString = 0x1c;
inline constexpr std::uint8_t kBmpString = 0x1e;
inline constexpr std::uint8_t kSequence = 0x30;
inline constexpr std::uint8_t kSet = 0x31;

/// Tag of a context-specific [n] field; constructed for EXPLICIT tagging or SEQUENCE-like content.
constexpr std::uint8_t contextTag(unsigned n, bool constructed)
{
    return static_cast<std::uint8_t>(0x80 | (constructed ? 0x20 : 0) | (n & 0x1f));
}

/// Longest OID content accepted: real OIDs are far shorter, and a bound stops abuse.
inline constexpr std::size_t kMaxOidLength = 64;

/// One decoded TLV. Spans point into the reader's input.
struct Tlv {
    std::uint8_t tag = 0;
    ByteView value;              ///< content octets
    ByteView whole;              ///< tag, length and content
    std::size_t offset = 0;      ///< absolute offset of the tag byte
    std::size_t valueOffset = 0; ///< absolute offset of the first content byte
};

struct BitString {
    ByteView bytes;           ///< content after the unused-bits octet
    unsigned unusedBits = 0;  ///< 0..7, and the unused bits are zero (DER)
};

/// A cursor over a byte span. Offsets in errors are absolute: `base` is the offset of `data[0]`
/// within the original input, so nested readers report positions in the outer document.
class Reader {
public:
    explicit Reader(ByteView data, std::size_t base = 0) : data_(data), base_(base) {}

    bool atEnd() const { return pos_ == data_.size(); }
    std::size_t offset() const { return base_ + pos_; }  ///< absolute offset of the next byte
    /// Tag of the next TLV without consuming it, or nothing at the end.
    std::optional<std::uint8_t> peekTag() const;

    Expected<Tlv, ParseError> read();                     ///< any TLV
    Expected<Tlv, ParseError> read(std::uint8_t tag);     ///< a TLV with exactly this tag
    /// The TLV if the next tag is `tag`, nothing if it is another tag or the input ended.
    Expected<std::optional<Tlv>, ParseError> readOptional(std::uint8_t tag);

    /// Reader over the content of a SEQUENCE / SET / [n] constructed field.
    Expected<Reader, ParseError> sequence();
    Expected<Reader, ParseError> set();
    Expected<Reader, ParseError> constructed(std::uint8_t tag);
    /// EXPLICIT [n]: a reader over its content if present, nothing if absent.
    Expected<std::optional<Reader>, ParseError> optionalExplicit(unsigned n);

    /// INTEGER content octets, checked minimal (no redundant 0x00 / 0xff lead byte).
    Expected<ByteView, ParseError> integer();
    /// INTEGER that must fit in [min, max]; for versions, path lengths, CRL reasons.
    Expected<std::int64_t, ParseError> smallInteger(std::int64_t min, std::int64_t max);
    Expected<bool, ParseError> boolean();  ///< DER: 0x00 or 0xff only
    Expected<BitString, ParseError> bitString();
    Expected<ByteView, ParseError> octetString();
    Expected<void, ParseError> null();
    /// OID content octets, checked: non-empty, minimal arcs, terminated, <= kMaxOidLength.
    Expected<ByteView, ParseError> oid();
    /// UTCTime or GeneralizedTime in the RFC 5280 profile ("YYMMDDHHMMSSZ" / "YYYYMMDDHHMMSSZ").
    Expected<UnixTime, ParseError> time();

    /// Fails with "trailing bytes after <what>" unless the reader is exhausted.
    Expected<void, ParseError> expectEnd(std::string_view what) const;

    ParseError error(std::string what) const { return {std::move(what), offset()}; }

private:
    ByteView data_;
    std::size_t base_ = 0;
    std::size_t pos_ = 0;
};

/// Checks the content octets of an OID (same rules as Reader::oid()); `offset` is for errors.
Expected<void, ParseError> validateOid(ByteView oid, std::size_t offset);
/// Checks that `data` is a sequence of well-formed TLVs, recursing into constructed ones (at
/// most `maxDepth` deep): for opaque extension values, whose meaning we do not need.
Expected<void, ParseError> validateTree(ByteView data, std::size_t offset, int maxDepth = 32);
/// Dotted text of valid OID content octets, e.g. "2.5.4.3".
std::string oidToText(ByteView oid);
/// Decodes the content of a UTCTime (`tag` kUtcTime) or GeneralizedTime value.
Expected<UnixTime, ParseError> decodeTime(std::uint8_t tag, ByteView text, std::size_t offset);
/// Seconds since the epoch of a proleptic Gregorian UTC date (no range check).
UnixTime toUnixTime(int year, int month, int day, int hour, int minute, int second);

/// Compile-time OID content octets, for comparisons: `oidEquals(value, kOidCommonName)`.
inline bool oidEquals(ByteView a, ByteView b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace wiiu::pki::der
