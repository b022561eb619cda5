#include "interop/bridged_curl.h"

// OpenSSL 3 still honours an RSA_METHOD on a key; deprecated, but the shortest way to put the
// bridge's signing function behind an EVP_PKEY.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace wiiu::test {

using curl_bridge::Bytes;

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;

X509Ptr x509Of(const Bytes& der)
{
    const unsigned char* p = der.data();
    return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

Bytes derOf(X509* cert)
{
    unsigned char* out = nullptr;
    const int len = i2d_X509(cert, &out);
    Bytes der(out, out + std::max(len, 0));
    OPENSSL_free(out);
    return der;
}


int transferIndex()
{
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

BridgedTransfer& transferOf(SSL* ssl)
{
    return *static_cast<BridgedTransfer*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), transferIndex()));
}

int verifyCallback(int preverified, X509_STORE_CTX* store)
{
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    BridgedTransfer& t = transferOf(ssl);
    t.opensslAgreed = t.opensslAgreed && preverified == 1;
    if (!t.verdict) {
        t.storeCertificates = 0;
        STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(X509_STORE_CTX_get0_store(store));
        for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i)
            t.storeCertificates += X509_OBJECT_get_type(sk_X509_OBJECT_value(objects, i)) == X509_LU_X509;
        // The chain as the server sent it, leaf first (OpenSSL's untrusted stack starts with it).
        std::vector<Bytes> chain;
        X509* leaf = X509_STORE_CTX_get0_cert(store);
        STACK_OF(X509)* sent = X509_STORE_CTX_get0_untrusted(store);
        if (!sent || sk_X509_num(sent) == 0 || X509_cmp(sk_X509_value(sent, 0), leaf) != 0)
            chain.push_back(derOf(leaf));
        for (int i = 0; sent && i < sk_X509_num(sent); ++i)
            chain.push_back(derOf(sk_X509_value(sent, i)));
        t.verdict = curl_bridge::verifyPeer(*t.process, t.context, t.host, chain);
    }
    // The bridge is the judge at every depth: NSSL's verdict, not OpenSSL's.
    X509_STORE_CTX_set_error(store, t.verdict->accepted() ? X509_V_OK : X509_V_ERR_APPLICATION_VERIFICATION);
    return t.verdict->accepted() ? 1 : 0;
}

std::optional<curl_bridge::SignatureHash> hashOf(int nid)
{
    using H = curl_bridge::SignatureHash;
    switch (nid) {
    case NID_md5_sha1: return H::Md5Sha1;
    case NID_sha1: return H::Sha1;
    case NID_sha224: return H::Sha224;
    case NID_sha256: return H::Sha256;
    case NID_sha384: return H::Sha384;
    case NID_sha512: return H::Sha512;
    default: return std::nullopt;
    }
}

int signInModule(int type, const unsigned char* digest, unsigned int size, unsigned char* out, unsigned int* outSize,
                 const RSA* rsa)
{
    auto& t = *static_cast<BridgedTransfer*>(RSA_get_ex_data(rsa, 0));
    const auto hash = hashOf(type);
    if (!hash)
        return 0;
    const Bytes signature = t.description.client->sign(*hash, {digest, size});
    if (signature.empty() || signature.size() > static_cast<std::size_t>(RSA_size(rsa)))
        return 0;
    std::memcpy(out, signature.data(), signature.size());
    *outSize = static_cast<unsigned int>(signature.size());
    ++t.moduleSignatures;
    return 1;
}

/// The client certificate's public key, whose private operations are the bridge's sign().
EVP_PKEY* keySigningInModule(BridgedTransfer& t, X509* cert)
{
    static RSA_METHOD* const method = [] {
        RSA_METHOD* m = RSA_meth_dup(RSA_PKCS1_OpenSSL());
        RSA_meth_set_sign(m, signInModule);
        return m;
    }();
    RSA* rsa = RSAPublicKey_dup(EVP_PKEY_get0_RSA(X509_get0_pubkey(cert)));
    RSA_set_method(rsa, method);
    RSA_set_ex_data(rsa, 0, &t);
    EVP_PKEY* key = EVP_PKEY_new();
    EVP_PKEY_assign_RSA(key, rsa);
    return key;
}

int clientCertificateCallback(SSL* ssl, X509** cert, EVP_PKEY** key)
{
    BridgedTransfer& t = transferOf(ssl);
    t.clientCertificateAsked = true;
    const auto& client = t.description.client;
    if (!client)
        return 0;  // the context has none: present none, as the module does
    *cert = x509Of(client->chain.front()).release();
    if (client->privateKeyDer.empty()) {
        *key = keySigningInModule(t, *cert);
    } else {
        const unsigned char* p = client->privateKeyDer.data();
        *key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(client->privateKeyDer.size()));
    }
    return *cert && *key ? 1 : 0;
}

CURLcode sslContextFunction(CURL*, void* sslContext, void* user)
{
    auto* ctx = static_cast<SSL_CTX*>(sslContext);
    auto& t = *static_cast<BridgedTransfer*>(user);
    // A store of exactly the context's CAs. curl 7.88 may still load CURLOPT_CAINFO into it after
    // this function: the emulator sets that to null, and the bridge's verdict decides anyway.
    X509_STORE* store = X509_STORE_new();
    for (const auto& ca : t.description.trustedCas)
        if (X509Ptr x = x509Of(ca.der))
            X509_STORE_add_cert(store, x.get());
    SSL_CTX_set_cert_store(ctx, store);
    SSL_CTX_set_min_proto_version(ctx, t.description.minVersion);
    SSL_CTX_set_max_proto_version(ctx, t.description.maxVersion);
    SSL_CTX_set_ex_data(ctx, transferIndex(), &t);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verifyCallback);
    SSL_CTX_set_client_cert_cb(ctx, clientCertificateCallback);
    if (t.description.client && t.description.client->privateKeyDer.empty())
        SSL_CTX_set1_client_sigalgs_list(ctx, "RSA+SHA256:RSA+SHA384:RSA+SHA512");  // sign() does PKCS#1 v1.5
    return CURLE_OK;
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* body)
{
    static_cast<std::string*>(body)->append(data, size * count);
    return size * count;
}

}  // namespace

BridgedFetch bridgedFetch(Process& process, std::int32_t context, const std::string& host, std::uint16_t port,
                          const FetchOptions& options)
{
    static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    BridgedFetch f;
    if (!initialised) {
        f.error = "curl_global_init failed";
        return f;
    }
    f.transfer.process = &process;
    f.transfer.context = context;
    f.transfer.host = host;
    if (const std::int32_t e = curl_bridge::describeContext(process, context, f.transfer.description,
                                                            {.exportPrivateKey = options.exportKey});
        e != 0) {
        f.error = "describeContext: " + std::to_string(e);
        return f;
    }
    CURL* curl = curl_easy_init();
    const std::string url = "https://" + host + ":" + std::to_string(port) + "/";
    curl_slist* resolve = curl_slist_append(nullptr, (host + ":" + std::to_string(port) + ":127.0.0.1").c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);  // the bridge checks the name
    curl_easy_setopt(curl, CURLOPT_CAINFO, options.caFile.empty() ? nullptr : options.caFile.c_str());
    curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, sslContextFunction);
    curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &f.transfer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &f.body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
    const CURLcode code = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    curl_slist_free_all(resolve);
    f.ok = code == CURLE_OK;
    if (!f.ok)
        f.error = curl_easy_strerror(code);
    return f;
}

bool opensslVerifiesSha256(const Bytes& certDer, const Bytes& digest, const Bytes& signature)
{
    X509Ptr cert = x509Of(certDer);
    KeyPtr key(X509_get_pubkey(cert.get()));
    std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>> ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
    if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1)
        return false;
    if (EVP_PKEY_base_id(key.get()) == EVP_PKEY_RSA)
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
    EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256());
    return EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), digest.data(), digest.size()) == 1;
}

}  // namespace wiiu::test
