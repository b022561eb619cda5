// Row 5: loading the portable certificate store (one entry per known console certificate:
// 42 server CAs and 7 client certificates) and building a context with every group, as a
// title's start does: loadPortableStore, a Process, NSSLInit, NSSLCreateContext,
// NSSLAddServerPKIGroups(ctx, 7), all calls through the import table.
//
// The store is generated once per build folder with OpenSSL: self-signed RSA-2048 certificates
// (one shared key, which does not change what loading costs), written by writePortableStore.
#include <benchmark/benchmark.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <vector>

#include "certstore/known_certs.h"
#include <wiiu_nssl/portable_store.h>
#include "common.h"
#include "hle/exports.h"
#include <wiiu_nssl/process.h>
#include "rows.h"

namespace wiiu::bench {

namespace {

std::vector<std::uint8_t> selfSigned(EVP_PKEY* key, const std::string& cn, bool ca, long serial)
{
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 24 * 3600);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("wiiu_nssl bench"), -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(x, name);
    X509_set_pubkey(x, key);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
    if (X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, NID_basic_constraints,
                                                  ca ? "critical,CA:TRUE" : "critical,CA:FALSE")) {
        X509_add_ext(x, ext, -1);
        X509_EXTENSION_free(ext);
    }
    X509_sign(x, key, EVP_sha256());
    unsigned char* der = nullptr;
    const int len = i2d_X509(x, &der);
    std::vector<std::uint8_t> out(der, der + (len > 0 ? len : 0));
    OPENSSL_free(der);
    X509_free(x);
    return out;
}

struct StoreProcess {
    std::vector<std::byte> ram = std::vector<std::byte>(64 * 1024);
    guest::FlatGuestMemory memory{ram.data(), 0x10000000, 64 * 1024};
    guest::DefaultHooks hooks;
    guest::ExportIndex init = *importTable().find("nsysnet", "NSSLInit");
    guest::ExportIndex create = *importTable().find("nsysnet", "NSSLCreateContext");
    guest::ExportIndex groups = *importTable().find("nsysnet", "NSSLAddServerPKIGroups");
    guest::ExportIndex destroy = *importTable().find("nsysnet", "NSSLDestroyContext");

    std::uint32_t call(Process& p, guest::ExportIndex index, std::uint32_t a = 0, std::uint32_t b = 0,
                       std::uint32_t c = 0, std::uint32_t d = 0)
    {
        guest::CallFrame frame;
        frame.gpr[1] = 0x10000000 + 0x8000;
        frame.gpr[3] = a;
        frame.gpr[4] = b;
        frame.gpr[5] = c;
        frame.gpr[6] = d;
        importTable().call(index, p, memory, frame);
        return frame.result();
    }
    /// A process, NSSLInit, a context with every group; the certificates added.
    std::int32_t contextWithAllGroups(std::shared_ptr<const certstore::CertStore> store)
    {
        Process process(hooks, std::move(store));
        call(process, init);
        const auto ctx = call(process, create, 0);
        const std::uint32_t out = 0x10000000 + 0x9000;
        if (static_cast<std::int32_t>(call(process, groups, ctx, 7, out, out + 4)) != 0)
            return -1;
        const std::int32_t added = memory.load(guest::GuestPtr<const guest::be32>{out}).value_or(guest::be32(0u));
        call(process, destroy, ctx);
        return added;
    }
};

void loadOnly(benchmark::State& state)
{
    std::size_t entries = 0;
    for (auto _ : state) {
        auto store = certstore::loadPortableStore(storeDir());
        if (!store) {
            state.SkipWithError(store.error().message.c_str());
            return;
        }
        entries = (*store)->size();
    }
    state.counters["entries"] = static_cast<double>(entries);
}

void loadAndContext(benchmark::State& state)
{
    StoreProcess sp;
    std::int32_t added = 0;
    for (auto _ : state) {
        auto store = certstore::loadPortableStore(storeDir());
        if (!store) {
            state.SkipWithError(store.error().message.c_str());
            return;
        }
        added = sp.contextWithAllGroups(*store);
    }
    if (added <= 0)
        state.SkipWithError("NSSLAddServerPKIGroups failed");
    state.counters["cas_added"] = added;
}

}  // namespace

bool ensurePortableStore(std::string& why)
{
    const std::filesystem::path dir = storeDir();
    if (std::filesystem::exists(dir / certstore::kManifestFile))
        return true;
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (!key) {
        why = "RSA key generation failed";
        return false;
    }
    unsigned char* keyDer = nullptr;
    const int keyLen = i2d_PrivateKey(key, &keyDer);  // PKCS#1 RSAPrivateKey for an RSA key
    const std::vector<std::uint8_t> pkcs1(keyDer, keyDer + (keyLen > 0 ? keyLen : 0));
    OPENSSL_free(keyDer);
    std::vector<certstore::Entry> entries;
    long serial = 1;
    for (const certstore::KnownCert& k : certstore::knownCerts()) {
        certstore::Entry e;
        e.id = k.id;
        e.name = std::string(k.name);
        e.kind = k.kind;
        e.groups = k.groups;
        const bool client = k.kind == certstore::Kind::Client;
        e.permissions.type = client ? certstore::kTypeClient : certstore::kTypeServer;
        e.permissions.properties = certstore::kPropExportable | (client ? certstore::kPropHasKey : 0);
        e.certDer = selfSigned(key, "Bench " + e.name, !client, serial++);
        if (client)
            e.keyDer = certstore::SecretBytes(std::span<const std::uint8_t>(pkcs1));
        entries.push_back(std::move(e));
    }
    EVP_PKEY_free(key);
    auto store = certstore::CertStore::create(std::move(entries));
    if (!store) {
        why = store.error().message;
        return false;
    }
    std::filesystem::create_directories(dir.parent_path());
    auto written = certstore::writePortableStore(**store, dir, {.replace = true});
    if (!written) {
        why = written.error().message;
        return false;
    }
    return true;
}

void registerStoreRow()
{
    benchmark::RegisterBenchmark("store/load", loadOnly)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("store/load_and_context_groups7", loadAndContext)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
}

}  // namespace wiiu::bench
