#include "common.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "support/pki_fixture.h"

namespace wiiu::bench {

void encodeCommand(char letter, std::uint64_t n, unsigned char out[kCommandSize])
{
    out[0] = static_cast<unsigned char>(letter);
    for (int i = 8; i >= 1; --i, n >>= 8)
        out[i] = static_cast<unsigned char>(n & 0xff);
}

RunSizes& sizes()
{
    static RunSizes s;
    return s;
}

std::uint16_t& serverPort()
{
    static std::uint16_t port = 0;
    return port;
}

std::string pkiFile(const std::string& name) { return test::pkiPath(name).string(); }

std::vector<std::uint8_t> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string storeDir() { return std::string(WIIU_NSSL_BINARY_DIR) + "/bench-data/portable-store"; }

int tcpConnect(std::uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

std::size_t heapInUse()
{
    const struct mallinfo2 m = ::mallinfo2();
    return m.uordblks + m.hblkhd;
}

}  // namespace wiiu::bench
