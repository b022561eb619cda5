// Fuzz target: the X.509 wrapper TlsClient hands BearSSL, fed an arbitrary peer chain exactly
// the way BearSSL's engine feeds it (start_chain, start_cert/append/end_cert per certificate,
// end_chain, get_pkey), under every combination of the verify bits.
//
// Input: one flags byte (bits 0-2 the NSSL verify options, bit 3 feed each certificate in
// several pieces, bit 4 use the emulated clock of 2040 instead of 2024, bit 5 an IP literal as
// the host name), then certificates as [u16 big-endian length][bytes], at most 8.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <spdlog/spdlog.h>

#include "fuzz_data.h"
#include "tls/trust_store.h"
#include "tls/x509_verifier.h"

namespace {

std::shared_ptr<const wiiu::tls::TrustStore> trust()
{
    static const auto store = [] {
        spdlog::set_level(spdlog::level::off);
        std::vector<wiiu::pki::Bytes> cas = {wiiu::fuzz::dataFile("root.der"), wiiu::fuzz::dataFile("ec-root.der")};
        auto s = wiiu::tls::TrustStore::fromDer(cas);
        if (!s)
            __builtin_trap();
        return *s;
    }();
    return store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wiiu::tls;
    if (size < 1)
        return 0;
    const std::uint8_t flags = data[0];
    std::size_t at = 1;

    X509Verifier verifier;
    VerifyPolicy policy;
    policy.flags = flags & verify::All;
    policy.hostName = (flags & 0x20) ? "127.0.0.1" : "localhost";
    policy.now = (flags & 0x10) ? 2208988800 : 1717200000;  // 2040-01-01 / 2024-06-01
    policy.trust = trust();
    verifier.setPolicy(policy);
    // br_ssl_client_init_full initialises this storage in a real connection.
    br_x509_minimal_init_full(&verifier.minimal(), nullptr, 0);

    const br_x509_class** vt = verifier.vtable();
    (*vt)->start_chain(vt, policy.hostName.c_str());
    for (int n = 0; n < 8 && at + 2 <= size; ++n) {
        std::size_t len = (std::size_t{data[at]} << 8) | data[at + 1];
        at += 2;
        if (len > size - at)
            len = size - at;
        (*vt)->start_cert(vt, static_cast<std::uint32_t>(len));
        if (flags & 0x08) {
            // Pieces of 1, 7, 64, ... bytes: the engine hands over what each record carried.
            std::size_t done = 0, piece = 1;
            while (done < len) {
                const std::size_t take = std::min(piece, len - done);
                (*vt)->append(vt, data + at + done, take);
                done += take;
                piece = piece * 7 + 1;
            }
        } else {
            (*vt)->append(vt, data + at, len);
        }
        (*vt)->end_cert(vt);
        at += len;
    }
    const unsigned err = (*vt)->end_chain(vt);
    unsigned usages = 0;
    const br_x509_pkey* key = (*vt)->get_pkey(vt, &usages);
    if (err == 0 && key == nullptr)
        __builtin_trap();  // accepted without a key: the engine would then dereference null
    (void)verifier.chain();
    (void)verifier.failure();
    return 0;
}
