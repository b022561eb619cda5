#include "pki/x509.h"

#include <algorithm>

#include <fmt/format.h>

#include "pki/der.h"
#include "pki/fields.h"
#include "pki/oids.h"
#include "pki/public_key.h"

namespace wiiu::pki {
namespace {

Expected<void, ParseError> readBasicConstraints(const Extension& ext, Certificate& cert)
{
    // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen INTEGER (0..MAX) OPTIONAL }
    der::Reader outer(ext.value, ext.valueOffset);
    WIIU_PKI_TRY(seq, outer.sequence());
    WIIU_PKI_TRY(end, outer.expectEnd("basicConstraints"));
    if (seq->peekTag() == der::kBoolean) {
        WIIU_PKI_TRY(ca, seq->boolean());
        cert.isCA = *ca;
    }
    if (seq->peekTag() == der::kInteger) {
        WIIU_PKI_TRY(len, seq->smallInteger(0, 0x7fffffff));
        cert.pathLen = static_cast<int>(*len);
    }
    WIIU_PKI_TRY(seqEnd, seq->expectEnd("basicConstraints fields"));
    return {};
}

Expected<void, ParseError> readSubjectAltName(const Extension& ext, Certificate& cert)
{
    der::Reader outer(ext.value, ext.valueOffset);
    WIIU_PKI_TRY(names, outer.sequence());
    WIIU_PKI_TRY(end, outer.expectEnd("subjectAltName"));
    while (!names->atEnd()) {
        WIIU_PKI_TRY(name, names->read());
        if (name->tag == der::contextTag(2, false))  // dNSName [2] IA5String
            cert.dnsNames.emplace_back(name->value.begin(), name->value.end());
        else if (name->tag == der::contextTag(7, false))  // iPAddress [7] OCTET STRING (4 or 16 bytes)
            cert.ipAddresses.emplace_back(name->value.begin(), name->value.end());
    }
    return {};
}

Expected<void, ParseError> readSubjectKeyId(const Extension& ext, Certificate& cert)
{
    der::Reader outer(ext.value, ext.valueOffset);
    WIIU_PKI_TRY(id, outer.octetString());
    WIIU_PKI_TRY(end, outer.expectEnd("subjectKeyIdentifier"));
    cert.subjectKeyId.emplace(id->begin(), id->end());
    return {};
}

Expected<void, ParseError> readAuthorityKeyId(const Extension& ext, Certificate& cert)
{
    // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL,
    //   authorityCertIssuer [1] ..., authorityCertSerialNumber [2] ... }: only [0] is kept.
    der::Reader outer(ext.value, ext.valueOffset);
    WIIU_PKI_TRY(seq, outer.sequence());
    WIIU_PKI_TRY(end, outer.expectEnd("authorityKeyIdentifier"));
    WIIU_PKI_TRY(id, seq->readOptional(der::contextTag(0, false)));
    if (*id) cert.authorityKeyId.emplace((*id)->value.begin(), (*id)->value.end());
    return {};
}

Expected<void, ParseError> readTbs(der::Reader& tbs, Certificate& cert, ByteView& innerAlg)
{
    WIIU_PKI_TRY(versionField, tbs.optionalExplicit(0));
    if (*versionField) {
        WIIU_PKI_TRY(v, (*versionField)->smallInteger(0, 2));
        WIIU_PKI_TRY(vEnd, (*versionField)->expectEnd("version"));
        cert.version = static_cast<int>(*v) + 1;
    }
    WIIU_PKI_TRY(serial, tbs.integer());
    cert.serial.assign(serial->begin(), serial->end());
    WIIU_PKI_TRY(alg, readSignatureAlgorithm(tbs));
    innerAlg = alg->der;
    WIIU_PKI_TRY(issuer, readName(tbs));
    cert.issuer.assign(issuer->begin(), issuer->end());
    WIIU_PKI_TRY(validity, tbs.sequence());
    WIIU_PKI_TRY(notBefore, validity->time());
    WIIU_PKI_TRY(notAfter, validity->time());
    WIIU_PKI_TRY(validityEnd, validity->expectEnd("validity"));
    cert.notBefore = *notBefore;
    cert.notAfter = *notAfter;
    WIIU_PKI_TRY(subject, readName(tbs));
    cert.subject.assign(subject->begin(), subject->end());

    const std::size_t spkiAt = tbs.offset();
    WIIU_PKI_TRY(spki, tbs.read(der::kSequence));
    WIIU_PKI_TRY(key, parsePublicKey(spki->whole, spkiAt));
    cert.spki.assign(spki->whole.begin(), spki->whole.end());
    cert.keyType = key->type;
    cert.keyBits = key->bits;

    // issuerUniqueID [1] and subjectUniqueID [2] (IMPLICIT BIT STRING): v2+ only, ignored.
    for (unsigned n = 1; n <= 2; ++n) {
        WIIU_PKI_TRY(uid, tbs.readOptional(der::contextTag(n, false)));
        if (*uid && cert.version < 2) return fail(ParseError{"unique identifier in a v1 certificate", (*uid)->offset});
    }
    const std::size_t extAt = tbs.offset();
    WIIU_PKI_TRY(extField, tbs.optionalExplicit(3));
    if (*extField) {
        if (cert.version < 3) return fail(ParseError{"extensions in a pre-v3 certificate", extAt});
        WIIU_PKI_TRY(exts, readExtensions(**extField));
        WIIU_PKI_TRY(extEnd, (*extField)->expectEnd("extensions"));
        for (const auto& ext : *exts) {
            if (der::oidEquals(ext.oid, oid::kBasicConstraints)) {
                WIIU_PKI_TRY(ok, readBasicConstraints(ext, cert));
            } else if (der::oidEquals(ext.oid, oid::kSubjectAltName)) {
                WIIU_PKI_TRY(ok, readSubjectAltName(ext, cert));
            } else if (der::oidEquals(ext.oid, oid::kSubjectKeyId)) {
                WIIU_PKI_TRY(ok, readSubjectKeyId(ext, cert));
            } else if (der::oidEquals(ext.oid, oid::kAuthorityKeyId)) {
                WIIU_PKI_TRY(ok, readAuthorityKeyId(ext, cert));
            }
        }
    }
    WIIU_PKI_TRY(tbsEnd, tbs.expectEnd("tbsCertificate"));
    return {};
}

}  // namespace

Expected<Certificate, ParseError> parseCertificate(ByteView der)
{
    der::Reader top(der);
    WIIU_PKI_TRY(certificate, top.sequence());
    WIIU_PKI_TRY(end, top.expectEnd("certificate"));

    Certificate cert;
    WIIU_PKI_TRY(tbsTlv, certificate->read(der::kSequence));
    cert.tbs.assign(tbsTlv->whole.begin(), tbsTlv->whole.end());
    der::Reader tbs(tbsTlv->value, tbsTlv->valueOffset);
    ByteView innerAlg;
    WIIU_PKI_TRY(tbsOk, readTbs(tbs, cert, innerAlg));

    const std::size_t algAt = certificate->offset();
    WIIU_PKI_TRY(alg, readSignatureAlgorithm(*certificate));
    if (!std::equal(alg->der.begin(), alg->der.end(), innerAlg.begin(), innerAlg.end()))
        return fail(ParseError{"signature algorithm differs from the one in tbsCertificate", algAt});
    cert.sigAlg = alg->alg;
    const std::size_t sigAt = certificate->offset();
    WIIU_PKI_TRY(sig, certificate->bitString());
    // Signatures are whole octets (RSA: an octet string; ECDSA: a DER SEQUENCE).
    if (sig->unusedBits != 0) return fail(ParseError{"signature is not whole octets", sigAt});
    cert.signature.assign(sig->bytes.begin(), sig->bytes.end());
    WIIU_PKI_TRY(certEnd, certificate->expectEnd("signature"));
    cert.der.assign(der.begin(), der.end());
    return cert;
}

std::string Certificate::subjectText() const { return nameToText(subject); }
std::string Certificate::issuerText() const { return nameToText(issuer); }

std::string formatTime(UnixTime t)
{
    // Civil from days (inverse of der::toUnixTime), with floor division for times before 1970.
    std::int64_t days = t / 86400;
    std::int64_t secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t doe = days - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", year, month, day, secs / 3600, secs / 60 % 60,
                       secs % 60);
}

}  // namespace wiiu::pki
