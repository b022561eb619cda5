// summarizeCertificate (<wiiu_nssl/certificate.h>): the parts of pki/x509.h a debug view shows.
#include <wiiu_nssl/certificate.h>

#include "pki/encoding.h"
#include "pki/x509.h"

namespace wiiu::pki {

CertificateSummary summarizeCertificate(ByteView der)
{
    CertificateSummary summary;
    summary.sha256 = toHex(sha256(der));
    if (auto cert = parseCertificate(der)) {
        summary.parsed = true;
        summary.subject = cert->subjectText();
        summary.issuer = cert->issuerText();
        summary.notBefore = formatTime(cert->notBefore);
        summary.notAfter = formatTime(cert->notAfter);
    }
    return summary;
}

}  // namespace wiiu::pki
