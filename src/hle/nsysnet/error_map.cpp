#include "hle/nsysnet/error_map.h"

#include <cerrno>

#include <boost/asio/error.hpp>

namespace wiiu::nsysnet {

SoError soErrorFromErrno(int hostErrno)
{
    switch (hostErrno) {
    case 0: return SoError::SO_SUCCESS;
    case ENOBUFS: return SoError::SO_ENOBUFS;
    case ETIMEDOUT: return SoError::SO_ETIMEDOUT;
    case EISCONN: return SoError::SO_EISCONN;
    case EOPNOTSUPP: return SoError::SO_EOPNOTSUPP;
    case ECONNABORTED: return SoError::SO_ECONNABORTED;
    case EAGAIN: return SoError::SO_EWOULDBLOCK;  // == EWOULDBLOCK on Linux
    case ECONNREFUSED: return SoError::SO_ECONNREFUSED;
    case ECONNRESET: return SoError::SO_ECONNRESET;
    case ENOTCONN: return SoError::SO_ENOTCONN;
    case EALREADY: return SoError::SO_EALREADY;
    case EINVAL: return SoError::SO_EINVAL;
    case EMSGSIZE: return SoError::SO_EMSGSIZE;
    case EPIPE: return SoError::SO_EPIPE;
    case EDESTADDRREQ: return SoError::SO_EDESTADDRREQ;
    case ESHUTDOWN: return SoError::SO_ESHUTDOWN;
    case ENOPROTOOPT: return SoError::SO_ENOPROTOOPT;
    case ENOMEM: return SoError::SO_ENOMEM;
    case EADDRNOTAVAIL: return SoError::SO_EADDRNOTAVAIL;
    case EADDRINUSE: return SoError::SO_EADDRINUSE;
    case EAFNOSUPPORT: return SoError::SO_EAFNOSUPPORT;
    case EINPROGRESS: return SoError::SO_EINPROGRESS;
    case ENOTSOCK: return SoError::SO_ENOTSOCK;
    case EIO: return SoError::SO_EIEIO;
    case ETOOMANYREFS: return SoError::SO_ETOOMANYREFS;
    case EFAULT: return SoError::SO_EFAULT;
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ENETDOWN:
    case EHOSTDOWN: return SoError::SO_ENETUNREACH;
    case EPROTONOSUPPORT: return SoError::SO_EPROTONOSUPPORT;
    case EPROTOTYPE: return SoError::SO_EPROTOTYPE;
    case EBADF: return SoError::SO_EBADF;
    case EMFILE:
    case ENFILE: return SoError::SO_EMFILE;
    case EINTR: return SoError::SO_EABORTED;
    case EACCES:
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
