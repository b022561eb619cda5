// A host libcurl + OpenSSL transfer configured from the nlibcurl bridge alone, as an emulator
// serving nlibcurl would do it (docs/embedding.md, "Serving nlibcurl with a host libcurl"): the
// context's CAs as the whole X509_STORE, its TLS version range, its client certificate when the
// server asks (the key exported, or kept in the module behind the bridge's sign()), and a verify
// callback whose verdict is the bridge's. No curl or OpenSSL type shows here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hle/curl_bridge.h"

namespace wiiu::test {

/// What the transfer's callbacks saw.
struct BridgedTransfer {
    Process* process = nullptr;
    std::int32_t context = -1;
    std::string host;
    curl_bridge::ContextDescription description;
    std::optional<curl_bridge::Verdict> verdict;  ///< the bridge's, asked from OpenSSL's callback
    int storeCertificates = -1;                    ///< what the X509_STORE held when OpenSSL verified
    bool opensslAgreed = true;                     ///< OpenSSL's own preverify passed at every depth
    bool clientCertificateAsked = false;
    int moduleSignatures = 0;                      ///< CertificateVerify signatures made by sign()
};

struct BridgedFetch {
    bool ok = false;    ///< curl_easy_perform returned CURLE_OK
    std::string error;  ///< curl's words when not
    std::string body;
    BridgedTransfer transfer;
};

struct FetchOptions {
    std::string caFile;     ///< CURLOPT_CAINFO (a host bundle curl loads on its own); "" = none
    bool exportKey = true;  ///< false: the client key stays in the module (sign())
};

/// GET https://host:port/ with host resolved to 127.0.0.1, configured by the bridge from context
/// handle `context` of `process` (described when the transfer starts).
BridgedFetch bridgedFetch(Process& process, std::int32_t context, const std::string& host, std::uint16_t port,
                          const FetchOptions& options = {});

/// Whether OpenSSL verifies `signature` over the SHA-256 `digest` with `certDer`'s public key.
bool opensslVerifiesSha256(const curl_bridge::Bytes& certDer, const curl_bridge::Bytes& digest,
                           const curl_bridge::Bytes& signature);

}  // namespace wiiu::test
