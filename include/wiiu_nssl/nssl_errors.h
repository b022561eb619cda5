// The NSSL error codes the console returns (wut's nssl.h and decaf agree value for value), with
// their SDK names: what every NSSL export answers in r3 and what the inspection API reports.
// They are IOS errors of category 0x28: value = -(0x280000 + n).
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <string_view>

namespace wiiu::nssl {

#define WIIU_NSSL_ERRORS(X)                         \
    X(OK, 0)                                        \
    X(GENERIC, -1)                                  \
    X(INVALID_NSSL_CONTEXT, -0x280001)              \
    X(INVALID_CERT_ID, -0x280002)                   \
    X(CERT_LIMIT, -0x280003)                        \
    X(INVALID_NSSL_CONNECTION, -0x280004)           \
    X(INVALID_CERT, -0x280005)                      \
    X(ZERO_RETURN, -0x280006)                       \
    X(WANT_READ, -0x280007)                         \
    X(WANT_WRITE, -0x280008)                        \
    X(IO_ERROR, -0x280009)                          \
    X(NSSL_LIB_ERROR, -0x28000a)                    \
    X(UNKNOWN, -0x28000b)                           \
    X(OUT_OF_MEMORY, -0x28000c)                     \
    X(INVALID_STATE, -0x28000d)                     \
    X(HANDSHAKE_ERROR, -0x28000e)                   \
    X(NO_CERT, -0x28000f)                           \
    X(INVALID_FD, -0x280010)                        \
    X(LIB_NOT_READY, -0x280011)                     \
    X(IPC_ERROR, -0x280012)                         \
    X(RESOURCE_LIMIT, -0x280013)                    \
    X(INVALID_HANDLE, -0x280014)                    \
    X(INVALID_CERT_TYPE, -0x280015)                 \
    X(INVALID_KEY_TYPE, -0x280016)                  \
    X(INVALID_SIZE, -0x280017)                      \
    X(NO_PEER_CERT, -0x280018)                      \
    X(INSUFFICIENT_SIZE, -0x280019)                 \
    X(NO_CIPHER, -0x28001a)                         \
    X(INVALID_ARG, -0x28001b)                       \
    X(INVALID_NSSL_SESSION, -0x28001c)              \
    X(NO_SESSION, -0x28001d)                        \
    X(SSL_SHUTDOWN_ERROR, -0x28001e)                \
    X(CERT_SIZE_LIMIT, -0x28001f)                   \
    X(CERT_NO_ACCESS, -0x280020)                    \
    X(INVALID_CERT_ID2, -0x280021)                  \
    X(CERT_READ_ERROR, -0x280022)                   \
    X(CERT_STORE_INIT_FAILURE, -0x280023)           \
    X(INVALID_CERT_ENCODING, -0x280024)             \
    X(CERT_STORE_ERROR, -0x280025)                  \
    X(PRIVATE_KEY_READ_ERROR, -0x280026)            \
    X(INVALID_PRIVATE_KEY, -0x280027)               \
    X(NOT_READY, -0x280028)                         \
    X(ENCRYPTION_ERROR, -0x280029)                  \
    X(NO_CERT_STORE, -0x28002a)                     \
    X(PRIVATE_KEY_SIZE_LIMIT, -0x28002b)            \
    X(PROCESS_MAX_EXT_CERTS, -0x28002c)             \
    X(PROCESS_MAX_CONTEXTS, -0x28002d)              \
    X(PROCESS_MAX_CONNECTIONS, -0x28002e)           \
    X(CERT_NOT_EXPORTABLE, -0x28002f)               \
    X(INVALID_CERT_SIZE, -0x280030)                 \
    X(INVALID_KEY_SIZE, -0x280031)

enum class NsslError : std::int32_t {
#define WIIU_NSSL_ENUM(name, value) name = value,
    WIIU_NSSL_ERRORS(WIIU_NSSL_ENUM)
#undef WIIU_NSSL_ENUM
};

/// "NSSL_ERROR_WANT_READ", or "NSSL_ERROR_?" for a value that is no NSSL code.
constexpr std::string_view resultName(NsslError e)
{
    switch (e) {
#define WIIU_NSSL_NAME(name, value) \
    case NsslError::name:           \
        return "NSSL_ERROR_" #name;
        WIIU_NSSL_ERRORS(WIIU_NSSL_NAME)
#undef WIIU_NSSL_NAME
    }
    return "NSSL_ERROR_?";
}

constexpr std::int32_t code(NsslError e) { return static_cast<std::int32_t>(e); }

#undef WIIU_NSSL_ERRORS  // a helper of this header only

}  // namespace wiiu::nssl
