// Fuzz target: the strict DER reader through its two users, the CRL reader (pki::parseCrl) and
// the certificate parser (pki::parseCertificate), plus the CRL signature check against a real
// issuer and the certificate's display helpers.
#include <cstddef>
#include <cstdint>

#include "fuzz_data.h"
#include "pki/crl.h"
#include "pki/x509.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wiiu::pki;
    static const Certificate issuer = [] {
        auto c = parseCertificate(wiiu::fuzz::dataFile("int.der"));
        if (!c)
            __builtin_trap();  // the fixture must parse
        return *c;
    }();
    const ByteView der(data, size);

    if (auto crl = parseCrl(der)) {
        (void)crl->isRevoked(issuer.serial);
        (void)crl->isExpired(0);
        (void)verifyCrlSignature(*crl, issuer);
        (void)nameToText(crl->issuer);
    }
    if (auto cert = parseCertificate(der)) {
        (void)cert->subjectText();
        (void)cert->issuerText();
        (void)formatTime(cert->notBefore);
        (void)formatTime(cert->notAfter);
    }
    (void)nameToText(der);
    return 0;
}
