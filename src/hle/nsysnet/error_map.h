// The one table from host errors (errno values, Windows' WSA values, Boost error codes) to the
// console's SO_E* codes.
#pragma once

#include <boost/system/error_code.hpp>

#include <wiiu_nssl/nsysnet_errors.h>

namespace wiiu::nsysnet {

/// SO_E* for a host error: an errno value or a WSA value (10000 and up, Windows; the table lists
/// them by number, as Microsoft documents them, so it needs no Winsock header and stays one
/// table on every host); 0 is SO_SUCCESS, anything unlisted is SO_EUNKNOWN.
SoError soErrorFromErrno(int hostErrno);

/// SO_E* for an error code from Asio: system-category codes go through soErrorFromErrno; Asio's
/// own categories (EOF, misc) are mapped explicitly.
SoError soErrorFrom(const boost::system::error_code& ec);

}  // namespace wiiu::nsysnet
