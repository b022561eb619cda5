#include "certstore/key_decrypt.h"

#include <string>

#include "common/bearssl.h"
#include "common/secure_wipe.h"

namespace wiiu::certstore {
namespace {

LoadError err(std::string_view name, std::string_view what, EntryStatus status = EntryStatus::Corrupt)
{
    return {std::string(name) + ": " + std::string(what), status};
}

// Wipes the expanded AES key schedule when decryption is done, on every path.
struct CbcContext {
    br_aes_gen_cbcdec_keys keys{};
    ~CbcContext() { secureWipe(&keys, sizeof keys); }
};

}  // namespace

Expected<SecretBytes, LoadError> sslKeyFromOtp(std::span<const std::uint8_t> otp, std::string_view name)
{
    if (otp.size() != kOtpSize)
        return fail(err(name, "otp.bin must be exactly 1024 bytes, this one has " + std::to_string(otp.size())));
    return SecretBytes(otp.subspan(kOtpSslKeyOffset, kAesKeySize));
}

Expected<SecretBytes, LoadError> aesCbcDecryptZeroIv(std::span<const std::uint8_t> key,
                                                     std::span<const std::uint8_t> data,
                                                     std::string_view name)
{
    if (key.size() != kAesKeySize) return fail(err(name, "AES key must be 16 bytes"));
    if (data.empty() || data.size() % 16 != 0)
        return fail(err(name, "encrypted size " + std::to_string(data.size()) + " is not a non-zero multiple of 16"));

    // AES-NI when the CPU has it, else the constant-time portable code (never the table-based one).
    const br_block_cbcdec_class* vtable = br_aes_x86ni_cbcdec_get_vtable();
    if (!vtable) vtable = &br_aes_ct_cbcdec_vtable;

    CbcContext ctx;
    vtable->init(&ctx.keys.vtable, key.data(), key.size());
    SecretBytes plain(data);
    std::uint8_t iv[16] = {};
    vtable->run(&ctx.keys.vtable, iv, plain.data(), plain.size());
    secureWipe(iv, sizeof iv);  // holds the last ciphertext block only, but keep the habit
    return plain;
}

std::optional<std::size_t> derTlvLength(std::span<const std::uint8_t> data)
{
    if (data.size() < 2) return std::nullopt;
    std::size_t header = 2;
    std::size_t length = data[1];
    if (length & 0x80) {
        std::size_t count = length & 0x7F;
        if (count == 0 || count > 4 || data.size() < 2 + count) return std::nullopt;  // no indefinite form in DER
        length = 0;
        for (std::size_t i = 0; i < count; ++i) length = (length << 8) | data[2 + i];
        header += count;
        if (length < 0x80 || (count > 1 && data[2] == 0)) return std::nullopt;  // not minimal: not DER
    }
    if (length > data.size() - header) return std::nullopt;
    return header + length;
}

Expected<SecretBytes, LoadError> decryptPrivateKey(std::span<const std::uint8_t> otpKey,
                                                   std::span<const std::uint8_t> encrypted,
                                                   std::optional<std::uint32_t> derSize,
                                                   std::string_view name)
{
    auto plain = aesCbcDecryptZeroIv(otpKey, encrypted, name);
    if (!plain) return fail(plain.error());

    // RSAPrivateKey ::= SEQUENCE { version INTEGER (0), ... }: check the frame and the version
    // bytes so random plaintext from a wrong key is caught here rather than deep in a parser.
    auto view = plain->view();
    auto length = derTlvLength(view);
    bool looksLikeKey = length && view[0] == 0x30;
    if (looksLikeKey) {
        std::size_t inner = (view[1] & 0x80) ? 2 + (view[1] & 0x7F) : 2;
        looksLikeKey = view.size() >= inner + 3 && view[inner] == 0x02 && view[inner + 1] == 0x01 &&
                       view[inner + 2] == 0x00;
    }
    if (!looksLikeKey) return fail(err(name, "decrypted key is not DER (wrong otp.bin?)", EntryStatus::Undecryptable));

    if (derSize && *derSize != *length)
        return fail(err(name, "RAW_E1_SIZE says " + std::to_string(*derSize) + " bytes but the decrypted DER key has " +
                                  std::to_string(*length)));
    // The file is the key padded to the AES block size (a PKCS#7-style full block is tolerated);
    // more slack than that means the file is not what we think it is.
    if (view.size() - *length > 16)
        return fail(err(name, "decrypted key is followed by " + std::to_string(view.size() - *length) +
                                  " bytes, more than block padding"));
    plain->truncate(*length);
    return plain;
}

}  // namespace wiiu::certstore
