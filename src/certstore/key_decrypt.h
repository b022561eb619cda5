// Client private keys in ccerts/*_RSA_KEY.aes: AES-128-CBC with a zero IV under the OTP's SSL
// RSA key, plaintext = DER PKCS#1 RSAPrivateKey padded to 16 bytes (wiiu-nssl-facts.md §5.5).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <wiiu_nssl/cert_store.h>
#include <wiiu_nssl/secret_bytes.h>

namespace wiiu::certstore {

inline constexpr std::size_t kOtpSize = 1024;
inline constexpr std::size_t kOtpSslKeyOffset = 0x120;
inline constexpr std::size_t kAesKeySize = 16;

/// The 16-byte key at 0x120 of a whole otp.bin image; `name` is used in errors.
Expected<SecretBytes, LoadError> sslKeyFromOtp(std::span<const std::uint8_t> otp, std::string_view name);

/// AES-128-CBC decryption with a zero IV; `data` must be a non-empty multiple of 16 bytes.
Expected<SecretBytes, LoadError> aesCbcDecryptZeroIv(std::span<const std::uint8_t> key,
                                                     std::span<const std::uint8_t> data,
                                                     std::string_view name);

/// Length of the DER TLV at the start of `data` (header included), if its header is sane.
std::optional<std::size_t> derTlvLength(std::span<const std::uint8_t> data);

/// Decrypts one .aes key file and cuts the padding. `derSize` is RAW_E1_SIZE when the metadata
/// gives it. Garbage (a wrong OTP key) is reported as "<name>: decrypted key is not DER ...".
Expected<SecretBytes, LoadError> decryptPrivateKey(std::span<const std::uint8_t> otpKey,
                                                   std::span<const std::uint8_t> encrypted,
                                                   std::optional<std::uint32_t> derSize,
                                                   std::string_view name);

}  // namespace wiiu::certstore
