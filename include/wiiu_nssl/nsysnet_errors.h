// The nsysnet SO_E* codes socketlasterr() returns (decaf's values, wut's errno map, SDK names;
// 46, 47 and the ICMP codes 100..104 are cafe-sys's, named here by the project).
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <iterator>
#include <string_view>

// <sys/socket.h> defines SO_ERROR as a macro; keep it out of the enumerator (and restore it after).
#pragma push_macro("SO_ERROR")
#undef SO_ERROR

namespace wiiu::nsysnet {

#define WIIU_SO_ERRORS(X)      \
    X(SO_SUCCESS, 0)           \
    X(SO_ENOBUFS, 1)           \
    X(SO_ETIMEDOUT, 2)         \
    X(SO_EISCONN, 3)           \
    X(SO_EOPNOTSUPP, 4)        \
    X(SO_ECONNABORTED, 5)      \
    X(SO_EWOULDBLOCK, 6)       \
    X(SO_ECONNREFUSED, 7)      \
    X(SO_ECONNRESET, 8)        \
    X(SO_ENOTCONN, 9)          \
    X(SO_EALREADY, 10)         \
    X(SO_EINVAL, 11)           \
    X(SO_EMSGSIZE, 12)         \
    X(SO_EPIPE, 13)            \
    X(SO_EDESTADDRREQ, 14)     \
    X(SO_ESHUTDOWN, 15)        \
    X(SO_ENOPROTOOPT, 16)      \
    X(SO_EHAVEOOB, 17)         \
    X(SO_ENOMEM, 18)           \
    X(SO_EADDRNOTAVAIL, 19)    \
    X(SO_EADDRINUSE, 20)       \
    X(SO_EAFNOSUPPORT, 21)     \
    X(SO_EINPROGRESS, 22)      \
    X(SO_ELOWER, 23)           \
    X(SO_ENOTSOCK, 24)         \
    X(SO_EIEIO, 27)            \
    X(SO_ETOOMANYREFS, 28)     \
    X(SO_EFAULT, 29)           \
    X(SO_ENETUNREACH, 30)      \
    X(SO_EPROTONOSUPPORT, 31)  \
    X(SO_EPROTOTYPE, 32)       \
    X(SO_ERROR, 41)            \
    X(SO_ENOLIBRM, 42)         \
    X(SO_ELIBNOTREADY, 43)     \
    X(SO_EBUSY, 44)            \
    X(SO_EUNKNOWN, 45)         \
    X(SO_EAPIERROR, 46)        \
    X(SO_EBADERRORCODE, 47)    \
    X(SO_ENORESOURCES, 48)     \
    X(SO_EBADF, 49)            \
    X(SO_EABORTED, 50)         \
    X(SO_EMFILE, 51)           \
    X(SO_EICMPUNREACH, 100)    \
    X(SO_EICMPQUENCH, 101)     \
    X(SO_EICMPREDIRECT, 102)   \
    X(SO_EICMPTIMEEXCEEDED, 103) \
    X(SO_EICMPPARAMPROBLEM, 104)

enum class SoError : std::int32_t {
#define WIIU_SO_ENUM(name, value) name = value,
    WIIU_SO_ERRORS(WIIU_SO_ENUM)
#undef WIIU_SO_ENUM
};

constexpr std::string_view errorName(SoError e)
{
    switch (e) {
#define WIIU_SO_NAME(name, value) \
    case SoError::name:           \
        return #name;
        WIIU_SO_ERRORS(WIIU_SO_NAME)
#undef WIIU_SO_NAME
    }
    return "SO_E?";
}

/// The EAI_* codes getaddrinfo and getnameinfo return (wut's netdb.h values). The trailing
/// underscore keeps them apart from the host's <netdb.h> macros.
enum Eai : std::int32_t {
    EAI_OK = 0,
    EAI_ADDRFAMILY_ = 1,
    EAI_AGAIN_ = 2,
    EAI_BADFLAGS_ = 3,
    EAI_FAIL_ = 4,
    EAI_FAMILY_ = 5,
    EAI_MEMORY_ = 6,
    EAI_NODATA_ = 7,
    EAI_NONAME_ = 8,
    EAI_SERVICE_ = 9,
    EAI_SOCKTYPE_ = 10,
    EAI_SYSTEM_ = 11,
    EAI_BADHINTS_ = 12,
    EAI_PROTOCOL_ = 13,
    EAI_OVERFLOW_ = 14,
    EAI_INPROGRESS_ = 15,  ///< getaddrinfo_async: the lookup goes on, ask again (capture2cloud notes)
};

/// The console's name of an EAI code (what the import table's trace prints, found by ADL).
constexpr std::string_view resultName(Eai e)
{
    constexpr std::string_view kNames[] = {
        "0",           "EAI_ADDRFAMILY", "EAI_AGAIN",   "EAI_BADFLAGS", "EAI_FAIL",
        "EAI_FAMILY",  "EAI_MEMORY",     "EAI_NODATA",  "EAI_NONAME",   "EAI_SERVICE",
        "EAI_SOCKTYPE", "EAI_SYSTEM",    "EAI_BADHINTS", "EAI_PROTOCOL", "EAI_OVERFLOW",
        "EAI_INPROGRESS",
    };
    const auto i = static_cast<std::int32_t>(e);
    return i >= 0 && i < static_cast<std::int32_t>(std::size(kNames)) ? kNames[i] : "EAI_?";
}

}  // namespace wiiu::nsysnet

#undef WIIU_SO_ERRORS  // names SO_ERROR: of no use once the macro is back
#pragma pop_macro("SO_ERROR")
