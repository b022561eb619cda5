#include "hle/nsysnet/error_map.h"

#include <cerrno>

#include <boost/asio/error.hpp>

namespace wiiu::nsysnet {

SoError soErrorFromErrno(int hostErrno)
{
    switch (hostErrno) {
    case 0: return SoError::SO_SUCCESS;
    case ENOBUFS:
    case 10055: return SoError::SO_ENOBUFS;  // WSAENOBUFS
    case ETIMEDOUT:
    case 10060: return SoError::SO_ETIMEDOUT;  // WSAETIMEDOUT
    case EISCONN:
    case 10056: return SoError::SO_EISCONN;  // WSAEISCONN
    case EOPNOTSUPP:
    case 10045: return SoError::SO_EOPNOTSUPP;  // WSAEOPNOTSUPP
    case ECONNABORTED:
    case 10053: return SoError::SO_ECONNABORTED;  // WSAECONNABORTED
    case EAGAIN:
    case 10035: return SoError::SO_EWOULDBLOCK;  // WSAEWOULDBLOCK; == EWOULDBLOCK on Linux
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return SoError::SO_EWOULDBLOCK;
#endif
    case ECONNREFUSED:
    case 10061: return SoError::SO_ECONNREFUSED;  // WSAECONNREFUSED
    case ECONNRESET:
    case 10054: return SoError::SO_ECONNRESET;  // WSAECONNRESET
    case ENOTCONN:
    case 10057: return SoError::SO_ENOTCONN;  // WSAENOTCONN
    case EALREADY:
    case 10037: return SoError::SO_EALREADY;  // WSAEALREADY
    case EINVAL:
    case 10022: return SoError::SO_EINVAL;  // WSAEINVAL
    case EMSGSIZE:
    case 10040: return SoError::SO_EMSGSIZE;  // WSAEMSGSIZE
    case EPIPE: return SoError::SO_EPIPE;
    case EDESTADDRREQ:
    case 10039: return SoError::SO_EDESTADDRREQ;  // WSAEDESTADDRREQ
#ifdef ESHUTDOWN
    case ESHUTDOWN:
#endif
    case 10058: return SoError::SO_ESHUTDOWN;  // WSAESHUTDOWN
    case ENOPROTOOPT:
    case 10042: return SoError::SO_ENOPROTOOPT;  // WSAENOPROTOOPT
    case ENOMEM: return SoError::SO_ENOMEM;
    case EADDRNOTAVAIL:
    case 10049: return SoError::SO_EADDRNOTAVAIL;  // WSAEADDRNOTAVAIL
    case EADDRINUSE:
    case 10048: return SoError::SO_EADDRINUSE;  // WSAEADDRINUSE
    case EAFNOSUPPORT:
    case 10047: return SoError::SO_EAFNOSUPPORT;  // WSAEAFNOSUPPORT
    case EINPROGRESS:
    case 10036: return SoError::SO_EINPROGRESS;  // WSAEINPROGRESS
    case ENOTSOCK:
    case 10038: return SoError::SO_ENOTSOCK;  // WSAENOTSOCK
    case EIO: return SoError::SO_EIEIO;
#ifdef ETOOMANYREFS
    case ETOOMANYREFS:
#endif
    case 10059: return SoError::SO_ETOOMANYREFS;  // WSAETOOMANYREFS
    case EFAULT:
    case 10014: return SoError::SO_EFAULT;  // WSAEFAULT
    case ENETUNREACH:
    case 10051:  // WSAENETUNREACH
    case EHOSTUNREACH:
    case 10065:  // WSAEHOSTUNREACH
    case ENETDOWN:
    case 10050:  // WSAENETDOWN
#ifdef EHOSTDOWN
    case EHOSTDOWN:
#endif
    case 10064: return SoError::SO_ENETUNREACH;  // WSAEHOSTDOWN
    case EPROTONOSUPPORT:
    case 10043: return SoError::SO_EPROTONOSUPPORT;  // WSAEPROTONOSUPPORT
    case EPROTOTYPE:
    case 10041: return SoError::SO_EPROTOTYPE;  // WSAEPROTOTYPE
    case EBADF:
    case 10009: return SoError::SO_EBADF;  // WSAEBADF
    case EMFILE:
    case 10024:  // WSAEMFILE
    case ENFILE: return SoError::SO_EMFILE;
    case EINTR:
    case 10004: return SoError::SO_EABORTED;  // WSAEINTR
    case EACCES:
    case 10013:  // WSAEACCES
    case EPERM: return SoError::SO_EINVAL;  // e.g. broadcast without SO_BROADCAST; the console has no EACCES
    default: return SoError::SO_EUNKNOWN;
    }
}

SoError soErrorFrom(const boost::system::error_code& ec)
{
    if (!ec)
        return SoError::SO_SUCCESS;
    if (ec.category() == boost::system::system_category() || ec.category() == boost::system::generic_category())
        return soErrorFromErrno(ec.value());
    if (ec == boost::asio::error::eof)
        return SoError::SO_ENOTCONN;  // callers report EOF as an orderly close before mapping
    if (ec == boost::asio::error::already_open)
        return SoError::SO_EISCONN;
    return SoError::SO_EUNKNOWN;
}

}  // namespace wiiu::nsysnet
