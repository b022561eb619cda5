#include "pki/fields.h"

namespace wiiu::pki {

Expected<ByteView, ParseError> readName(der::Reader& reader)
{
    auto tlv = reader.read(der::kSequence);
    if (!tlv) return fail(tlv.error());
    der::Reader rdns(tlv->value, tlv->valueOffset);
    while (!rdns.atEnd()) {
        const std::size_t at = rdns.offset();
        auto set = rdns.set();
        if (!set) return fail(set.error());
        if (set->atEnd()) return fail(ParseError{"empty RelativeDistinguishedName", at});
        while (!set->atEnd()) {
            auto atv = set->sequence();
            if (!atv) return fail(atv.error());
            if (auto oid = atv->oid(); !oid) return fail(oid.error());
            auto value = atv->read();
            if (!value) return fail(value.error());
            if ((value->tag & 0x20) != 0)
                if (auto ok = der::validateTree(value->value, value->valueOffset); !ok) return fail(ok.error());
            if (auto end = atv->expectEnd("attribute value"); !end) return fail(end.error());
        }
    }
    return tlv->whole;
}

Expected<std::vector<Extension>, ParseError> readExtensions(der::Reader& reader)
{
    const std::size_t at = reader.offset();
    auto seq = reader.sequence();
    if (!seq) return fail(seq.error());
    if (seq->atEnd()) return fail(ParseError{"empty extensions", at});
    std::vector<Extension> out;
    while (!seq->atEnd()) {
        const std::size_t extAt = seq->offset();
        auto ext = seq->sequence();
        if (!ext) return fail(ext.error());
        Extension e;
        auto oid = ext->oid();
        if (!oid) return fail(oid.error());
        e.oid = *oid;
        // critical is DEFAULT FALSE; an explicit FALSE is not DER but common in old CA
        // certificates, and harmless, so it is accepted.
        if (ext->peekTag() == der::kBoolean) {
            auto critical = ext->boolean();
            if (!critical) return fail(critical.error());
            e.critical = *critical;
        }
        auto value = ext->read(der::kOctetString);
        if (!value) return fail(value.error());
        if (auto end = ext->expectEnd("extension"); !end) return fail(end.error());
        e.value = value->value;
        e.valueOffset = value->valueOffset;
        if (auto ok = der::validateTree(e.value, e.valueOffset); !ok) return fail(ok.error());
        for (const auto& prev : out)
            if (der::oidEquals(prev.oid, e.oid)) return fail(ParseError{"duplicate extension", extAt});
        out.push_back(e);
    }
    return out;
}

}  // namespace wiiu::pki
