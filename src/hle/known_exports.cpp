#include "hle/known_exports.h"

#include <array>

namespace wiiu {

namespace {

using enum FailureResult;

constexpr std::array kExports{
    // nsysnet.rpl: NSSL (26)
    KnownExport{"nsysnet", "NSSLInit", Nssl},
    KnownExport{"nsysnet", "NSSLFinish", Nssl},
    KnownExport{"nsysnet", "NSSLCreateContext", Nssl},
    KnownExport{"nsysnet", "NSSLDestroyContext", Nssl},
    KnownExport{"nsysnet", "NSSLSetClientPKI", Nssl},
    KnownExport{"nsysnet", "NSSLSetClientPKIExternal", Nssl},
    KnownExport{"nsysnet", "NSSLAddServerPKI", Nssl},
    KnownExport{"nsysnet", "NSSLAddServerPKIExternal", Nssl},
    KnownExport{"nsysnet", "NSSLAddServerPKIGroups", Nssl},
    KnownExport{"nsysnet", "NSSLCreateConnection", Nssl},
    KnownExport{"nsysnet", "NSSLDestroyConnection", Nssl},
    KnownExport{"nsysnet", "NSSLDoHandshake", Nssl},
    KnownExport{"nsysnet", "NSSLRead", Nssl},
    KnownExport{"nsysnet", "NSSLWrite", Nssl},
    KnownExport{"nsysnet", "NSSLGetPending", Nssl},
    KnownExport{"nsysnet", "NSSLGetPeerCertSize", Nssl},
    KnownExport{"nsysnet", "NSSLGetPeerCert", Nssl},
    KnownExport{"nsysnet", "NSSLGetCipherInfo", Nssl},
    KnownExport{"nsysnet", "NSSLGetSession", Nssl},
    KnownExport{"nsysnet", "NSSLSetSession", Nssl},
    KnownExport{"nsysnet", "NSSLFreeSession", Nssl},
    KnownExport{"nsysnet", "NSSLRemoveSession", Nssl},
    KnownExport{"nsysnet", "NSSLExportInternalServerCertificate", Nssl},
    KnownExport{"nsysnet", "NSSLExportInternalClientCertificate", Nssl},
    KnownExport{"nsysnet", "NSSLEncrypt", Nssl},
    KnownExport{"nsysnet", "NSSLNSECEncrypt", Nssl},
    // nn_nets2.rpl: NSSL (5)
    KnownExport{"nn_nets2", "NSSLAddCRLExternal", Nssl},
    KnownExport{"nn_nets2", "NSSLContextSetFlags", Nssl},
    KnownExport{"nn_nets2", "NSSLContextGetFlags", Nssl},
    KnownExport{"nn_nets2", "NSSLContextClearFlags", Nssl},
    KnownExport{"nn_nets2", "NSSLContextSetMode", Nssl},
    // nsysnet.rpl: sockets and resolver
    KnownExport{"nsysnet", "socket_lib_init", MinusOne},
    KnownExport{"nsysnet", "socket_lib_finish", MinusOne},
    KnownExport{"nsysnet", "socket", MinusOne},
    KnownExport{"nsysnet", "mw_socket", MinusOne},
    KnownExport{"nsysnet", "socketclose", MinusOne},
    KnownExport{"nsysnet", "socketclose_all", MinusOne},
    KnownExport{"nsysnet", "shutdown", MinusOne},
    KnownExport{"nsysnet", "connect", MinusOne},
    KnownExport{"nsysnet", "bind", MinusOne},
    KnownExport{"nsysnet", "listen", MinusOne},
    KnownExport{"nsysnet", "accept", MinusOne},
    KnownExport{"nsysnet", "send", MinusOne},
    KnownExport{"nsysnet", "recv", MinusOne},
    KnownExport{"nsysnet", "sendto", MinusOne},
    KnownExport{"nsysnet", "recvfrom", MinusOne},
    KnownExport{"nsysnet", "recvfrom_ex", MinusOne},
    KnownExport{"nsysnet", "recvfrom_multi", MinusOne},
    KnownExport{"nsysnet", "sendto_multi", MinusOne},
    KnownExport{"nsysnet", "sendto_multi_ex", MinusOne},
    KnownExport{"nsysnet", "setsockopt", MinusOne},
    KnownExport{"nsysnet", "getsockopt", MinusOne},
    KnownExport{"nsysnet", "select", MinusOne},
    KnownExport{"nsysnet", "getpeername", MinusOne},
    KnownExport{"nsysnet", "getsockname", MinusOne},
    KnownExport{"nsysnet", "socketlasterr", MinusOne},
    KnownExport{"nsysnet", "socket_lib_decode_error", MinusOne},
    KnownExport{"nsysnet", "getsocklibopt", MinusOne},
    KnownExport{"nsysnet", "setsocklibopt", MinusOne},
    KnownExport{"nsysnet", "set_multicast_state", MinusOne},
    KnownExport{"nsysnet", "inet_aton", Zero},
    KnownExport{"nsysnet", "inet_ntoa", Zero},
    KnownExport{"nsysnet", "inet_ntoa_r", Zero},
    KnownExport{"nsysnet", "inet_ntop", Zero},
    KnownExport{"nsysnet", "inet_pton", MinusOne},
    KnownExport{"nsysnet", "htonl", MinusOne},
    KnownExport{"nsysnet", "htons", MinusOne},
    KnownExport{"nsysnet", "ntohl", MinusOne},
    KnownExport{"nsysnet", "ntohs", MinusOne},
    KnownExport{"nsysnet", "gethostbyname", Zero},
    KnownExport{"nsysnet", "gethostbyaddr", Zero},
    KnownExport{"nsysnet", "getaddrinfo", Eai},
    KnownExport{"nsysnet", "getaddrinfo_rs", MinusOne},
    KnownExport{"nsysnet", "getaddrinfo_async", MinusOne},
    KnownExport{"nsysnet", "getaddrinfo_async_rs", MinusOne},
    KnownExport{"nsysnet", "freeaddrinfo", MinusOne},
    KnownExport{"nsysnet", "getnameinfo", Eai},
    KnownExport{"nsysnet", "gai_strerror", Zero},
    KnownExport{"nsysnet", "get_h_errno", MinusOne},
    KnownExport{"nsysnet", "clear_resolver_cache", MinusOne},
    KnownExport{"nsysnet", "set_resolver_allocator", MinusOne},
    KnownExport{"nsysnet", "dns_abort_by_hname", MinusOne},
    KnownExport{"nsysnet", "simple_ping", MinusOne},
    KnownExport{"nsysnet", "simple_ping_result", MinusOne},
    KnownExport{"nsysnet", "get_socket_rm_fd", MinusOne},
    KnownExport{"nsysnet", "get_nssl_rm_fd", MinusOne},
    KnownExport{"nsysnet", "SOGetProxyConfig", MinusOne},
};

}  // namespace

std::span<const KnownExport> knownExports()
{
    return kExports;
}

}  // namespace wiiu
