#include "pki/crl.h"

#include <algorithm>

#include "pki/der.h"
#include "pki/fields.h"

namespace wiiu::pki {
namespace {

constexpr std::uint8_t kCrlNumber[] = {0x55, 0x1d, 0x14};
constexpr std::uint8_t kReasonCode[] = {0x55, 0x1d, 0x15};
constexpr std::uint8_t kAuthorityKeyId[] = {0x55, 0x1d, 0x23};
constexpr std::uint8_t kInvalidityDate[] = {0x55, 0x1d, 0x18};
constexpr std::uint8_t kEnumerated = 0x0a;

// Extensions whose meaning does not change which certificates the CRL revokes.
bool understood(const Extension& ext)
{
    for (ByteView known : {ByteView(kCrlNumber), ByteView(kReasonCode), ByteView(kAuthorityKeyId),
                           ByteView(kInvalidityDate)})
        if (der::oidEquals(ext.oid, known)) return true;
    return false;
}

ByteView withoutLeadingZeros(ByteView v)
{
    while (v.size() > 1 && v[0] == 0) v = v.subspan(1);
    return v;
}

Expected<std::optional<int>, ParseError> readEntryExtensions(der::Reader& entry, Crl& crl)
{
    WIIU_PKI_TRY(exts, readExtensions(entry));
    std::optional<int> reason;
    for (const auto& ext : *exts) {
        if (ext.critical && !understood(ext)) crl.unknownCriticalExtension = true;
        if (!der::oidEquals(ext.oid, kReasonCode)) continue;
        // CRLReason ::= ENUMERATED; same content rules as a small INTEGER.
        der::Reader r(ext.value, ext.valueOffset);
        WIIU_PKI_TRY(tlv, r.read(kEnumerated));
        WIIU_PKI_TRY(end, r.expectEnd("reasonCode"));
        if (tlv->value.size() != 1 || tlv->value[0] > 10)
            return fail(ParseError{"bad reasonCode", tlv->valueOffset});
        reason = tlv->value[0];
    }
    return reason;
}

Expected<void, ParseError> readTbsCertList(der::Reader& tbs, Crl& crl, ByteView& innerAlg)
{
    if (tbs.peekTag() == der::kInteger) {
        WIIU_PKI_TRY(v, tbs.smallInteger(1, 1));  // only v2 (1) may be written explicitly
        crl.version = 2;
    }
    WIIU_PKI_TRY(alg, readSignatureAlgorithm(tbs));
    innerAlg = alg->der;
    WIIU_PKI_TRY(issuer, readName(tbs));
    crl.issuer.assign(issuer->begin(), issuer->end());
    WIIU_PKI_TRY(thisUpdate, tbs.time());
    crl.thisUpdate = *thisUpdate;
    if (tbs.peekTag() == der::kUtcTime || tbs.peekTag() == der::kGeneralizedTime) {
        WIIU_PKI_TRY(nextUpdate, tbs.time());
        crl.nextUpdate = *nextUpdate;
    }
    if (tbs.peekTag() == der::kSequence) {
        WIIU_PKI_TRY(list, tbs.sequence());
        while (!list->atEnd()) {
            WIIU_PKI_TRY(entry, list->sequence());
            Crl::Revoked r;
            WIIU_PKI_TRY(serial, entry->integer());
            r.serial.assign(serial->begin(), serial->end());
            WIIU_PKI_TRY(when, entry->time());
            r.when = *when;
            if (!entry->atEnd()) {
                if (crl.version < 2) return fail(entry->error("entry extensions in a v1 CRL"));
                WIIU_PKI_TRY(reason, readEntryExtensions(*entry, crl));
                r.reason = *reason;
            }
            WIIU_PKI_TRY(end, entry->expectEnd("revoked entry"));
            crl.revoked.push_back(std::move(r));
        }
    }
    const std::size_t extAt = tbs.offset();
    WIIU_PKI_TRY(extField, tbs.optionalExplicit(0));
    if (*extField) {
        if (crl.version < 2) return fail(ParseError{"extensions in a v1 CRL", extAt});
        WIIU_PKI_TRY(exts, readExtensions(**extField));
        WIIU_PKI_TRY(extEnd, (*extField)->expectEnd("crlExtensions"));
        for (const auto& ext : *exts) {
            if (ext.critical && !understood(ext)) crl.unknownCriticalExtension = true;
            if (!der::oidEquals(ext.oid, kCrlNumber)) continue;
            der::Reader r(ext.value, ext.valueOffset);
            WIIU_PKI_TRY(number, r.integer());
            WIIU_PKI_TRY(end, r.expectEnd("cRLNumber"));
            crl.crlNumber.assign(number->begin(), number->end());
        }
    }
    WIIU_PKI_TRY(end, tbs.expectEnd("tbsCertList"));
    return {};
}

}  // namespace

bool Crl::isRevoked(ByteView serial) const
{
    const ByteView wanted = withoutLeadingZeros(serial);
    return std::any_of(revoked.begin(), revoked.end(), [&](const Revoked& r) {
        const ByteView listed = withoutLeadingZeros(r.serial);
        return std::equal(listed.begin(), listed.end(), wanted.begin(), wanted.end());
    });
}

Expected<Crl, ParseError> parseCrl(ByteView der)
{
    der::Reader top(der);
    WIIU_PKI_TRY(list, top.sequence());
    WIIU_PKI_TRY(end, top.expectEnd("CRL"));
    Crl crl;
    WIIU_PKI_TRY(tbsTlv, list->read(der::kSequence));
    crl.tbs.assign(tbsTlv->whole.begin(), tbsTlv->whole.end());
    der::Reader tbs(tbsTlv->value, tbsTlv->valueOffset);
    ByteView innerAlg;
    WIIU_PKI_TRY(ok, readTbsCertList(tbs, crl, innerAlg));
    const std::size_t algAt = list->offset();
    WIIU_PKI_TRY(alg, readSignatureAlgorithm(*list));
    if (!std::equal(alg->der.begin(), alg->der.end(), innerAlg.begin(), innerAlg.end()))
        return fail(ParseError{"signature algorithm differs from the one in tbsCertList", algAt});
    crl.sigAlg = alg->alg;
    const std::size_t sigAt = list->offset();
    WIIU_PKI_TRY(sig, list->bitString());
    // Signatures are whole octets (RSA: an octet string; ECDSA: a DER SEQUENCE).
    if (sig->unusedBits != 0) return fail(ParseError{"signature is not whole octets", sigAt});
    crl.signature.assign(sig->bytes.begin(), sig->bytes.end());
    WIIU_PKI_TRY(listEnd, list->expectEnd("signature"));
    crl.der.assign(der.begin(), der.end());
    return crl;
}

Expected<void, std::string> verifyCrlSignature(const Crl& crl, const Certificate& issuer)
{
    if (crl.issuer != issuer.subject) return fail(std::string("CRL issuer is not the certificate's subject"));
    return verifySignature(crl.tbs, crl.sigAlg, crl.signature, issuer);
}

}  // namespace wiiu::pki
