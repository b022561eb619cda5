#include "tls/host_name.h"

#include "platform/socket.h"

namespace wiiu::tls {

std::optional<pki::Bytes> ipLiteral(const std::string& host)
{
    return platform::parseIpLiteral(host);  // pki::Bytes is the same byte vector
}

}  // namespace wiiu::tls
