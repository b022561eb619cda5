// What a transfer had received when it ended, in words: the byte count and, for an HTTP reply,
// whether its body was complete by its Content-Length. An operator reads this next to the reason
// a read failed ("closed without close_notify") to tell a cut reply from a merely unclean end.
#pragma once

#include <string>
#include <string_view>

namespace wiiu::probe {

/// "2097190 bytes received, body complete (2097152 bytes by Content-Length)",
/// "1048614 bytes received, body incomplete (1048576 of 2097152 bytes by Content-Length)", ...
std::string describeReceived(std::string_view received);

}  // namespace wiiu::probe
