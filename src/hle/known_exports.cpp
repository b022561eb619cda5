#include "hle/known_exports.h"

#include <array>

namespace wiiu {

namespace {

using enum UnimplementedResult;

constexpr std::array kExports{
    // nsysnet.rpl: NSSL (26)
    KnownExport{"nsysnet", "NSSLInit", NsslUnknown},
    KnownExport{"nsysnet", "NSSLFinish", NsslUnknown},
    KnownExport{"nsysnet", "NSSLCreateContext", NsslUnknown},
    KnownExport{"nsysnet", "NSSLDestroyContext", NsslUnknown},
    KnownExport{"nsysnet", "NSSLSetClientPKI", NsslUnknown},
    KnownExport{"nsysnet", "NSSLSetClientPKIExternal", NsslUnknown},
    KnownExport{"nsysnet", "NSSLAddServerPKI", NsslUnknown},
    KnownExport{"nsysnet", "NSSLAddServerPKIExternal", NsslUnknown},
    KnownExport{"nsysnet", "NSSLAddServerPKIGroups", NsslUnknown},
    KnownExport{"nsysnet", "NSSLCreateConnection", NsslUnknown},
    KnownExport{"nsysnet", "NSSLDestroyConnection", NsslUnknown},
    KnownExport{"nsysnet", "NSSLDoHandshake", NsslUnknown},
    KnownExport{"nsysnet", "NSSLRead", NsslUnknown},
    KnownExport{"nsysnet", "NSSLWrite", NsslUnknown},
    KnownExport{"nsysnet", "NSSLGetPending", NsslUnknown},
    KnownExport{"nsysnet", "NSSLGetPeerCertSize", NsslUnknown},
    KnownExport{"nsysnet", "NSSLGetPeerCert", NsslUnknown},
    KnownExport{"nsysnet", "NSSLGetCipherInfo", NsslUnknown},
    KnownExport{"nsysnet", "NSSLGetSession", NsslUnknown},
    KnownExport{"nsysnet", "NSSLSetSession", NsslUnknown},
    KnownExport{"nsysnet", "NSSLFreeSession", NsslUnknown},
    KnownExport{"nsysnet", "NSSLRemoveSession", NsslUnknown},
    KnownExport{"nsysnet", "NSSLExportInternalServerCertificate", NsslUnknown},
    KnownExport{"nsysnet", "NSSLExportInternalClientCertificate", NsslUnknown},
    KnownExport{"nsysnet", "NSSLEncrypt", NsslUnknown},
    KnownExport{"nsysnet", "NSSLNSECEncrypt", NsslUnknown},
    // nn_nets2.rpl: NSSL (5)
    KnownExport{"nn_nets2", "NSSLAddCRLExternal", NsslUnknown},
    KnownExport{"nn_nets2", "NSSLContextSetFlags", NsslUnknown},
    KnownExport{"nn_nets2", "NSSLContextGetFlags", NsslUnknown},
    KnownExport{"nn_nets2", "NSSLContextClearFlags", NsslUnknown},
    KnownExport{"nn_nets2", "NSSLContextSetMode", NsslUnknown},
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
    KnownExport{"nsysnet", "inet_aton", MinusOne},
    KnownExport{"nsysnet", "inet_ntoa", NullPointer},
    KnownExport{"nsysnet", "inet_ntoa_r", NullPointer},
    KnownExport{"nsysnet", "inet_ntop", NullPointer},
    KnownExport{"nsysnet", "inet_pton", MinusOne},
    KnownExport{"nsysnet", "htonl", MinusOne},
    KnownExport{"nsysnet", "htons", MinusOne},
    KnownExport{"nsysnet", "ntohl", MinusOne},
    KnownExport{"nsysnet", "ntohs", MinusOne},
    KnownExport{"nsysnet", "gethostbyname", NullPointer},
    KnownExport{"nsysnet", "gethostbyaddr", NullPointer},
    KnownExport{"nsysnet", "getaddrinfo", MinusOne},
    KnownExport{"nsysnet", "getaddrinfo_rs", MinusOne},
    KnownExport{"nsysnet", "getaddrinfo_async", MinusOne},
    KnownExport{"nsysnet", "getaddrinfo_async_rs", MinusOne},
    KnownExport{"nsysnet", "freeaddrinfo", MinusOne},
    KnownExport{"nsysnet", "getnameinfo", MinusOne},
    KnownExport{"nsysnet", "gai_strerror", NullPointer},
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
