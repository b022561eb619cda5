#include "tls/host_name.h"

#include <arpa/inet.h>

namespace wiiu::tls {

std::optional<pki::Bytes> ipLiteral(const std::string& host)
{
    unsigned char buf[16];
    if (::inet_pton(AF_INET, host.c_str(), buf) == 1)
        return pki::Bytes(buf, buf + 4);
    if (::inet_pton(AF_INET6, host.c_str(), buf) == 1)
        return pki::Bytes(buf, buf + 16);
    return std::nullopt;
}

}  // namespace wiiu::tls
