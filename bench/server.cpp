#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "common.h"

namespace wiiu::bench {

namespace {

/// Client on CPU 0, server on CPU 1 (when there are two and BENCH_NO_PIN is unset): neither
/// migrates nor steals the other's core mid-row, which narrows the spread between repetitions.
void pinToCpu(int cpu)
{
    if (std::getenv("BENCH_NO_PIN") || std::thread::hardware_concurrency() < 2)
        return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    ::sched_setaffinity(0, sizeof set, &set);  // best effort: unpinned is still a valid run
}

bool readFull(SSL* ssl, unsigned char* p, std::size_t n)
{
    while (n > 0) {
        const int r = SSL_read(ssl, p, static_cast<int>(n));
        if (r <= 0)
            return false;
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

void serve(SSL_CTX* ctx, int fd)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
        std::vector<unsigned char> block(64 * 1024, 0x5a);
        unsigned char cmd[kCommandSize];
        while (readFull(ssl, cmd, sizeof cmd)) {
            std::uint64_t n = 0;
            for (int i = 1; i < 9; ++i)
                n = (n << 8) | cmd[i];
            bool ok = true;
            if (cmd[0] == 'R') {
                while (ok && n > 0) {
                    const std::size_t chunk = n < block.size() ? n : block.size();
                    ok = SSL_write(ssl, block.data(), static_cast<int>(chunk)) == static_cast<int>(chunk);
                    n -= chunk;
                }
            } else if (cmd[0] == 'W') {
                while (ok && n > 0) {
                    const int r = SSL_read(ssl, block.data(),
                                           static_cast<int>(n < block.size() ? n : block.size()));
                    ok = r > 0;
                    if (ok)
                        n -= static_cast<std::size_t>(r);
                }
                const unsigned char k = 'K';
                ok = ok && SSL_write(ssl, &k, 1) == 1;
            } else {
                ok = false;
            }
            if (!ok)
                break;
        }
        if (SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN)
            SSL_shutdown(ssl);  // answer the client's close_notify
    }
    SSL_free(ssl);
    ::close(fd);
}

[[noreturn]] void runChild(int listenFd, const std::string& cert, const std::string& chain, const std::string& key)
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::signal(SIGPIPE, SIG_IGN);
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(ctx, "ECDHE-RSA-AES128-GCM-SHA256");
    SSL_CTX_set1_groups_list(ctx, "X25519");
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    static const unsigned char sid[] = "wiiu-nssl-bench";
    SSL_CTX_set_session_id_context(ctx, sid, sizeof sid - 1);
    if (SSL_CTX_use_certificate_file(ctx, cert.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
        ERR_print_errors_fp(stderr);
        std::_Exit(2);
    }
    if (FILE* f = std::fopen(chain.c_str(), "r")) {
        while (X509* x = PEM_read_X509(f, nullptr, nullptr, nullptr))
            SSL_CTX_add_extra_chain_cert(ctx, x);  // the context owns it now
        std::fclose(f);
    }
    for (;;) {
        const int fd = ::accept(listenFd, nullptr, nullptr);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            std::_Exit(0);
        }
        std::thread(serve, ctx, fd).detach();
    }
}

}  // namespace

bool BenchServer::start(const std::string& certPem, const std::string& chainPem, const std::string& keyPem,
                        std::string& why)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 512) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        why = std::string("listen: ") + std::strerror(errno);
        return false;
    }
    port_ = ntohs(addr.sin_port);
    std::fflush(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) {
        why = std::string("fork: ") + std::strerror(errno);
        return false;
    }
    if (pid_ == 0) {
        pinToCpu(1);
        runChild(fd, certPem, chainPem, keyPem);
    }
    pinToCpu(0);
    ::close(fd);  // the child keeps listening; connections queue until it accepts
    return true;
}

void BenchServer::stop()
{
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
}

BenchServer::~BenchServer() { stop(); }

}  // namespace wiiu::bench
