// The nlibcurl bridge (hle/curl_bridge.h) against a real host libcurl + OpenSSL fetching over
// HTTPS from `openssl s_server -www`: curl is configured from the bridge alone (the context's
// CAs as its whole X509_STORE, the context's client certificate when the server asks, a verify
// callback that asks the bridge), and must accept or refuse each server as the module's own
// NSSLDoHandshake through the import table does, for the same reason.
// OpenSSL 3 still honours an RSA_METHOD on a key; deprecated, but the shortest way to put the
// bridge's signing function behind an EVP_PKEY.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <gtest/gtest.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "hle/curl_bridge.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using curl_bridge::Bytes;
using tls::FailureReason;

namespace {

std::uint32_t u(std::int32_t v)
{
    return static_cast<std::uint32_t>(v);
}

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

/// What a curl transfer configured by the bridge saw. Lives while the transfer runs.
struct BridgedTransfer {
    Process* process = nullptr;
    std::int32_t context = -1;
    std::string host;
    curl_bridge::ContextDescription description;
    std::optional<curl_bridge::Verdict> verdict;  ///< the bridge's, asked from OpenSSL's callback
    int storeCertificates = -1;                    ///< what the X509_STORE held when OpenSSL verified
    bool opensslAgreed = true;                     ///< OpenSSL's own preverify passed at every depth
    bool clientCertificateAsked = false;
    int moduleSignatures = 0;  ///< CertificateVerify signatures made by ClientCertificate::sign
};

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

struct Fetched {
    CURLcode code = CURLE_OK;
    std::string body;
    BridgedTransfer transfer;
};

class CurlBridge : public ::testing::Test {
protected:
    static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    static void TearDownTestSuite() { curl_global_cleanup(); }

    /// s_server -www presenting `leaf` (with the intermediate); requiring a client certificate
    /// issued under the test root when `requireClient`.
    std::unique_ptr<TlsPeer> server(const std::string& leaf, bool requireClient = false)
    {
        TlsPeer::Options o;
        o.cert = pkiPath(leaf + ".pem").string();
        o.key = pkiPath(leaf + ".key").string();
        o.chain = pkiPath("int.pem").string();
        if (requireClient)
            o.clientCA = pkiPath("ca-bundle.pem").string();
        o.extraArgs = {"-www"};
        std::string why;
        auto peer = TlsPeer::start(o, &why);
        EXPECT_TRUE(peer) << why;
        return peer;
    }

    /// NSSLDoHandshake through the import table: the code, and the reason in `reason`.
    std::int32_t moduleHandshake(std::int32_t ctx, std::uint16_t port, const std::string& host, FailureReason& reason)
    {
        std::int32_t fd = -1;
        const std::int32_t conn = g.connection(ctx, port, host, curl_bridge::kVerifyAll, true, &fd);
        const std::int32_t r = g.nssl("NSSLDoHandshake", {u(conn)});
        reason = g.process().nssl().failure(nssl::ConnectionHandle{conn})->reason;
        g.nssl("NSSLDestroyConnection", {u(conn)});
        g.nssl("socketclose", {u(fd)});
        return r;
    }

    /// curl GET https://host:port/ (host resolved to 127.0.0.1), configured by the bridge.
    Fetched curlFetch(std::int32_t ctx, std::uint16_t port, const std::string& host, const std::string& cainfo = "",
                      bool exportKey = true)
    {
        Fetched f;
        f.transfer.process = &g.process();
        f.transfer.context = ctx;
        f.transfer.host = host;
        EXPECT_EQ(curl_bridge::describeContext(g.process(), ctx, f.transfer.description, {.exportPrivateKey = exportKey}), 0);
        CURL* curl = curl_easy_init();
        const std::string url = "https://" + host + ":" + std::to_string(port) + "/";
        curl_slist* resolve = curl_slist_append(nullptr, (host + ":" + std::to_string(port) + ":127.0.0.1").c_str());
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);  // the bridge checks the name
        curl_easy_setopt(curl, CURLOPT_CAINFO, cainfo.empty() ? nullptr : cainfo.c_str());
        curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
        curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, sslContextFunction);
        curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &f.transfer);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &f.body);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
        f.code = curl_easy_perform(curl);
        curl_easy_cleanup(curl);
        curl_slist_free_all(resolve);
        return f;
    }

    /// A context trusting the test root by its internal ID.
    std::int32_t rootContext()
    {
        const std::int32_t ctx = g.context();
        EXPECT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), u(kTestRootId)}), 0);
        return ctx;
    }

    /// The server `leaf` fetched by the module and by curl through the bridge: both refuse it,
    /// with the same NSSL code and reason, which is `expected`.
    void expectBothRefuse(std::int32_t ctx, const std::string& leaf, const std::string& host, FailureReason expected)
    {
        auto peer = server(leaf);
        ASSERT_TRUE(peer);
        FailureReason moduleReason{};
        const std::int32_t moduleCode = moduleHandshake(ctx, peer->port(), host, moduleReason);
        EXPECT_EQ(moduleCode, NsslGuest::code(nssl::NsslError::HANDSHAKE_ERROR));
        EXPECT_EQ(moduleReason, expected) << tls::failureReasonName(moduleReason);

        const Fetched f = curlFetch(ctx, peer->port(), host);
        EXPECT_NE(f.code, CURLE_OK);
        EXPECT_TRUE(f.body.empty());
        ASSERT_TRUE(f.transfer.verdict) << "the bridge was never asked: " << curl_easy_strerror(f.code);
        EXPECT_EQ(f.transfer.verdict->error, moduleCode);
        EXPECT_EQ(f.transfer.verdict->reason, moduleReason) << f.transfer.verdict->text;
    }

    NsslGuest g;
};

TEST_F(CurlBridge, TrustedServerIsFetchedAsTheModuleAcceptsIt)
{
    const std::int32_t ctx = rootContext();
    auto peer = server("server");
    ASSERT_TRUE(peer);
    FailureReason reason{};
    ASSERT_EQ(moduleHandshake(ctx, peer->port(), "localhost", reason), 0) << tls::failureReasonName(reason);

    const Fetched f = curlFetch(ctx, peer->port(), "localhost");
    ASSERT_EQ(f.code, CURLE_OK) << curl_easy_strerror(f.code);
    EXPECT_NE(f.body.find("<HTML>"), std::string::npos) << f.body.substr(0, 200);  // s_server's status page
    ASSERT_TRUE(f.transfer.verdict);
    EXPECT_TRUE(f.transfer.verdict->accepted());
    EXPECT_EQ(f.transfer.verdict->reason, FailureReason::None);
    EXPECT_EQ(f.transfer.storeCertificates, 1);  // the root, and nothing curl loaded by default
    EXPECT_TRUE(f.transfer.opensslAgreed);       // OpenSSL built the same path from that store
    EXPECT_FALSE(f.transfer.clientCertificateAsked);
}

TEST_F(CurlBridge, TrustsExactlyTheContextsCas)
{
    // The context trusts only the EC root: the store OpenSSL verifies against holds it alone,
    // and OpenSSL finds no path either.
    const std::int32_t ctx = g.context();
    ASSERT_EQ(g.nssl("NSSLAddServerPKI", {u(ctx), u(kTestEcRootId)}), 0);
    expectBothRefuse(ctx, "server", "localhost", FailureReason::Untrusted);
    auto peer = server("server");
    ASSERT_TRUE(peer);
    const Fetched own = curlFetch(ctx, peer->port(), "localhost");
    EXPECT_EQ(own.transfer.storeCertificates, 1);
    EXPECT_FALSE(own.transfer.opensslAgreed);

    // A CA file curl loads on its own (as a host's default bundle would be) widens OpenSSL's
    // store, not the bridge's trust: the server stays refused.
    const Fetched widened = curlFetch(ctx, peer->port(), "localhost", pkiPath("root.pem").string());
    EXPECT_NE(widened.code, CURLE_OK);
    ASSERT_TRUE(widened.transfer.verdict);
    EXPECT_EQ(widened.transfer.verdict->reason, FailureReason::Untrusted);
}

TEST_F(CurlBridge, ExpiredServerIsRefusedAsExpired)
{
    expectBothRefuse(rootContext(), "expired", "localhost", FailureReason::Expired);
}

TEST_F(CurlBridge, WrongHostIsRefusedAsNameMismatch)
{
    expectBothRefuse(rootContext(), "server", "wrong.test", FailureReason::NameMismatch);
}

TEST_F(CurlBridge, RevokedServerIsRefusedThroughTheContextsCrl)
{
    const std::int32_t ctx = rootContext();
    const Bytes crl = pkiBytes("int.crl.der");
    ASSERT_EQ(g.call32("nn_nets2", "NSSLAddCRLExternal", {u(ctx), g.putBytes(crl), u(static_cast<std::int32_t>(crl.size())), 0}), 0);
    ASSERT_EQ(g.call32("nn_nets2", "NSSLContextSetFlags", {u(ctx), 0x1}), 0);
    expectBothRefuse(ctx, "revoked", "localhost", FailureReason::Revoked);
}

TEST_F(CurlBridge, PresentsTheContextsClientCertificateWhenAsked)
{
    const std::int32_t ctx = rootContext();
    ASSERT_EQ(g.nssl("NSSLSetClientPKI", {u(ctx), u(kTestClientId)}), 0);
    auto peer = server("server", true);
    ASSERT_TRUE(peer);
    FailureReason reason{};
    ASSERT_EQ(moduleHandshake(ctx, peer->port(), "localhost", reason), 0) << tls::failureReasonName(reason);

    const Fetched f = curlFetch(ctx, peer->port(), "localhost");
    ASSERT_EQ(f.code, CURLE_OK) << curl_easy_strerror(f.code);
    EXPECT_TRUE(f.transfer.clientCertificateAsked);
    // s_server -www shows the client certificate it received.
    EXPECT_NE(f.body.find("NSSL Test Client"), std::string::npos) << f.body;
}

TEST_F(CurlBridge, PresentsTheClientCertificateWithTheKeyKeptInTheModule)
{
    const std::int32_t ctx = rootContext();
    ASSERT_EQ(g.nssl("NSSLSetClientPKI", {u(ctx), u(kTestClientId)}), 0);
    auto peer = server("server", true);
    ASSERT_TRUE(peer);
    const Fetched f = curlFetch(ctx, peer->port(), "localhost", "", false);
    ASSERT_EQ(f.code, CURLE_OK) << curl_easy_strerror(f.code);
    EXPECT_TRUE(f.transfer.description.client->privateKeyDer.empty());
    EXPECT_EQ(f.transfer.moduleSignatures, 1);  // the one CertificateVerify
    EXPECT_NE(f.body.find("NSSL Test Client"), std::string::npos) << f.body;
}

TEST_F(CurlBridge, WithoutAClientCertificateBothAreRefusedBySuchAServer)
{
    const std::int32_t ctx = rootContext();
    auto peer = server("server", true);
    ASSERT_TRUE(peer);
    FailureReason reason{};
    EXPECT_NE(moduleHandshake(ctx, peer->port(), "localhost", reason), 0);
    const Fetched f = curlFetch(ctx, peer->port(), "localhost");
    EXPECT_NE(f.code, CURLE_OK);
    EXPECT_TRUE(f.transfer.clientCertificateAsked);
}

TEST_F(CurlBridge, DescribesEveryPartOfTheContext)
{
    const Bytes extra = pkiBytes("ec-root.der");
    nssl::Config config;
    config.extraTrustedCas = {extra};
    NsslGuest guest(config);
    const Bytes external = pkiBytes("int.der");
    const std::int32_t ctx = guest.context(0, external);
    ASSERT_EQ(guest.nssl("NSSLAddServerPKI", {u(ctx), u(kTestRootId)}), 0);
    ASSERT_EQ(guest.nssl("NSSLAddServerPKI", {u(ctx), u(kTestRootId)}), 0);  // kept once
    ASSERT_EQ(guest.nssl("NSSLSetClientPKI", {u(ctx), u(kTestClientId)}), 0);
    const Bytes crl = pkiBytes("int.crl.der");
    ASSERT_EQ(guest.call32("nn_nets2", "NSSLAddCRLExternal", {u(ctx), guest.putBytes(crl), u(static_cast<std::int32_t>(crl.size())), 0}), 0);
    ASSERT_EQ(guest.call32("nn_nets2", "NSSLContextSetFlags", {u(ctx), 0x3}), 0);

    curl_bridge::ContextDescription d;
    ASSERT_EQ(curl_bridge::describeContext(guest.process(), ctx, d), 0);
    ASSERT_EQ(d.trustedCas.size(), 3u);
    EXPECT_EQ(d.trustedCas[0].der, external);
    EXPECT_EQ(d.trustedCas[0].origin, curl_bridge::TrustedCa::Origin::External);
    EXPECT_EQ(d.trustedCas[1].der, pkiBytes("root.der"));
    EXPECT_EQ(d.trustedCas[1].origin, curl_bridge::TrustedCa::Origin::Internal);
    EXPECT_EQ(d.trustedCas[1].certId, kTestRootId);
    EXPECT_EQ(d.trustedCas[2].der, extra);
    EXPECT_EQ(d.trustedCas[2].origin, curl_bridge::TrustedCa::Origin::Extra);
    ASSERT_TRUE(d.client);
    ASSERT_EQ(d.client->chain.size(), 1u);
    EXPECT_EQ(d.client->chain[0], pkiBytes("client.der"));
    EXPECT_EQ(d.client->keyType, curl_bridge::ClientCertificate::KeyType::Rsa);
    EXPECT_TRUE(d.client->privateKeyDer.empty());  // not without exportPrivateKey
    ASSERT_EQ(d.crls.size(), 1u);
    EXPECT_EQ(d.crls[0], crl);
    EXPECT_EQ(d.flags, 0x3u);
    EXPECT_EQ(d.minVersion, 0x0301);
    EXPECT_EQ(d.maxVersion, 0x0303);
    EXPECT_FALSE(d.acceptAnyCertificate);

    EXPECT_EQ(curl_bridge::describeContext(guest.process(), ctx + 1, d), NsslGuest::code(nssl::NsslError::INVALID_NSSL_CONTEXT));
    const std::vector<Bytes> chain = {pkiBytes("server.der"), pkiBytes("int.der")};
    EXPECT_EQ(curl_bridge::verifyPeer(guest.process(), ctx + 1, "localhost", chain).error,
              NsslGuest::code(nssl::NsslError::INVALID_NSSL_CONTEXT));
}

/// Verifies `signature` over `digest` with `certDer`'s public key, in OpenSSL.
bool opensslVerifies(const Bytes& certDer, const EVP_MD* md, const Bytes& digest, const Bytes& signature)
{
    X509Ptr cert = x509Of(certDer);
    KeyPtr key(X509_get_pubkey(cert.get()));
    std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>> ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
    if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1)
        return false;
    if (EVP_PKEY_base_id(key.get()) == EVP_PKEY_RSA)
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
    EVP_PKEY_CTX_set_signature_md(ctx.get(), md);
    return EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), digest.data(), digest.size()) == 1;
}

TEST_F(CurlBridge, SignsWithTheContextsKeyWithoutExportingIt)
{
    const Bytes digest(32, 0x5a);  // any 32 bytes stand for a SHA-256 digest
    std::int32_t ctx = rootContext();
    ASSERT_EQ(g.nssl("NSSLSetClientPKI", {u(ctx), u(kTestClientId)}), 0);
    curl_bridge::ContextDescription rsa;
    ASSERT_EQ(curl_bridge::describeContext(g.process(), ctx, rsa), 0);
    ASSERT_TRUE(rsa.client && rsa.client->sign);
    const Bytes rsaSig = rsa.client->sign(curl_bridge::SignatureHash::Sha256, digest);
    EXPECT_EQ(rsaSig.size(), 256u);
    EXPECT_TRUE(opensslVerifies(rsa.client->chain[0], EVP_sha256(), digest, rsaSig));
    EXPECT_TRUE(rsa.client->sign(curl_bridge::SignatureHash::Sha384, digest).empty());  // wrong size

    const Bytes ecCert = pkiBytes("ec-server.der"), ecKey = pkiBytes("ec-server.key.der");
    ctx = g.context();
    ASSERT_EQ(g.nssl("NSSLSetClientPKIExternal", {u(ctx), g.putBytes(ecCert), u(static_cast<std::int32_t>(ecCert.size())), 0,
                                                  g.putBytes(ecKey), u(static_cast<std::int32_t>(ecKey.size())), 0}), 0);
    curl_bridge::ContextDescription ec;
    ASSERT_EQ(curl_bridge::describeContext(g.process(), ctx, ec, {.exportPrivateKey = true}), 0);
    ASSERT_TRUE(ec.client);
    EXPECT_EQ(ec.client->keyType, curl_bridge::ClientCertificate::KeyType::Ec);
    EXPECT_EQ(ec.client->privateKeyDer, ecKey);
    // The signing function keeps the key alive after the context is gone.
    ASSERT_EQ(g.nssl("NSSLDestroyContext", {u(ctx)}), 0);
    const Bytes ecSig = ec.client->sign(curl_bridge::SignatureHash::Sha256, digest);
    EXPECT_TRUE(opensslVerifies(ecCert, EVP_sha256(), digest, ecSig));
}

/// A console clock set far ahead: both verdicts follow it, not the host's clock.
class FutureClock : public guest::DefaultHooks {
public:
    std::chrono::system_clock::time_point now() override
    {
        return std::chrono::system_clock::now() + std::chrono::hours(24 * 365 * 40);
    }
};

TEST_F(CurlBridge, JudgesAtTheEmulatedClockAsTheHandshakeDoes)
{
    FutureClock clock;
    NsslGuest future(nssl::Config{}, testCertStore(), &clock);
    const std::int32_t ctx = future.context(0, pkiBytes("root.der"));
    const std::vector<Bytes> chain = {pkiBytes("server.der"), pkiBytes("int.der")};
    const curl_bridge::Verdict later = curl_bridge::verifyPeer(future.process(), ctx, "localhost", chain);
    EXPECT_EQ(later.reason, FailureReason::Expired) << later.text;
    EXPECT_EQ(later.error, NsslGuest::code(nssl::NsslError::HANDSHAKE_ERROR));
    // Without the dates bit the same chain passes, as NSSLCreateConnection's options 0x3 would.
    EXPECT_TRUE(curl_bridge::verifyPeer(future.process(), ctx, "localhost", chain, 0x3).accepted());

    auto peer = server("server");
    ASSERT_TRUE(peer);
    std::int32_t fd = -1;
    const std::int32_t conn = future.connection(ctx, peer->port(), "localhost", curl_bridge::kVerifyAll, true, &fd);
    EXPECT_EQ(future.nssl("NSSLDoHandshake", {u(conn)}), later.error);
    EXPECT_EQ(future.process().nssl().failure(nssl::ConnectionHandle{conn})->reason, later.reason);
}

}  // namespace
