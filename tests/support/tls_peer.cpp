#include "support/tls_peer.h"

#include "support/pki_fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

extern char** environ;

namespace wiiu::test {

namespace {

// The python peer: threaded TLS echo server, session IDs cached server-side (no tickets).
constexpr const char* kPythonServer = R"PY(
import socket, ssl, sys, threading
port, cert, key, ca, ver = sys.argv[1:6]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.options |= ssl.OP_NO_TICKET
ctx.set_ciphers("DEFAULT@SECLEVEL=0")
v = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1, "1.2": ssl.TLSVersion.TLSv1_2}
if ver in v:
    ctx.minimum_version = ctx.maximum_version = v[ver]
else:
    ctx.minimum_version = ssl.TLSVersion.TLSv1
ctx.load_cert_chain(cert, key)
if ca:
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(ca)
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(port))); srv.listen(64)
lock = threading.Lock()
def say(*words):  # one whole line per write: print() from several threads interleaves its pieces
    with lock:
        sys.stdout.write(" ".join(str(w) for w in words) + "\n")
        sys.stdout.flush()
say("READY")
def serve(c):
    try:
        with ctx.wrap_socket(c, server_side=True) as s:
            say("HANDSHAKE", s.version(), s.cipher()[0], "reused" if s.session_reused else "new")
            while True:
                d = s.recv(65536)
                if not d: break
                s.sendall(d)
            s.unwrap()
    except Exception as e:
        say("ERROR", type(e).__name__, e)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
)PY";

/// The certificate followed by its chain in one PEM file, for the servers that send every
/// certificate of their certificate file (gnutls-serv, Python's load_cert_chain); `o.cert`
/// itself when there is no chain.
std::string certificateWithChain(const TlsPeer::Options& o, std::uint16_t port)
{
    if (o.chain.empty())
        return o.cert;
    std::string bundle = o.cert + ".bundle-" + std::to_string(port) + ".pem";
    std::ofstream out(bundle);
    out << std::ifstream(o.cert).rdbuf() << std::ifstream(o.chain).rdbuf();
    return bundle;
}

std::vector<std::string> buildArgv(const TlsPeer::Options& o, std::uint16_t port)
{
    using V = TlsPeer::Version;
    std::vector<std::string> a;
    switch (o.kind) {
    case TlsPeer::Kind::OpenSsl:
        a = {"openssl", "s_server", "-accept", std::to_string(port), "-cert", o.cert, "-key", o.key};
        if (!o.chain.empty()) a.insert(a.end(), {"-cert_chain", o.chain});
        if (!o.clientCA.empty())
            a.insert(a.end(), {"-Verify", "4", "-verify_return_error", "-CAfile", o.clientCA});
        if (o.version == V::Tls10) a.push_back("-tls1");
        if (o.version == V::Tls11) a.push_back("-tls1_1");
        if (o.version == V::Tls12) a.push_back("-tls1_2");
        // OpenSSL 3 refuses TLS 1.0/1.1 signatures at the default security level.
        a.insert(a.end(), {"-cipher", "DEFAULT@SECLEVEL=0"});
        if (!o.keyLogFile.empty()) a.insert(a.end(), {"-keylogfile", o.keyLogFile});
        if (o.reportSni)  // the SNI callback (and its message) needs a second certificate
            a.insert(a.end(), {"-servername", "localhost", "-cert2", o.cert, "-key2", o.key});
        break;
    case TlsPeer::Kind::GnuTls: {
        a = {"gnutls-serv", "--echo", "--port", std::to_string(port), "--x509certfile",
             certificateWithChain(o, port), "--x509keyfile", o.key};
        if (!o.clientCA.empty())
            a.insert(a.end(), {"--require-client-cert", "--verify-client-cert", "--x509cafile",
                               o.clientCA});
        std::string prio = "NORMAL";
        if (o.version == V::Tls10) prio += ":-VERS-ALL:+VERS-TLS1.0";
        if (o.version == V::Tls11) prio += ":-VERS-ALL:+VERS-TLS1.1";
        if (o.version == V::Tls12) prio += ":-VERS-ALL:+VERS-TLS1.2";
        a.insert(a.end(), {"--priority", prio});
        break;
    }
    case TlsPeer::Kind::Python: {
        const char* ver = o.version == V::Tls10   ? "1.0"
                          : o.version == V::Tls11 ? "1.1"
                          : o.version == V::Tls12 ? "1.2"
                                                  : "";
        const std::string cert = certificateWithChain(o, port);
        if (!o.script.empty())  // a script of its own: port, certificate with chain, key, then its arguments
            a = {"python3", "-u", o.script, std::to_string(port), cert, o.key};
        else
            a = {"python3", "-u", "-c", kPythonServer, std::to_string(port), cert, o.key, o.clientCA, ver};
        break;
    }
    }
    a.insert(a.end(), o.extraArgs.begin(), o.extraArgs.end());
    return a;
}

bool listening(std::uint16_t port)
{
    // /proc/net/tcp lists "local_address rem_address st" as hex "0100007F:PORT ... 0A" (LISTEN);
    // a connect() probe would use up one of s_server's accepts.
    // Servers may listen dual-stack on [::], which shows in tcp6 only.
    char want[16];
    std::snprintf(want, sizeof want, ":%04X", port);
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string sl, local, remote, state;
        fields >> sl >> local >> remote >> state;
        if (state == "0A" && local.size() > 5 && local.compare(local.size() - 5, 5, want) == 0)
            return true;
    }
    }
    return false;
}

}  // namespace

std::uint16_t freePort()
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    std::uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

std::unique_ptr<TlsPeer> TlsPeer::start(const Options& options, std::string* why)
{
    // A port can be taken between freePort() and the server's bind: retry a few times.
    for (int attempt = 0; attempt < 3; ++attempt) {
        std::unique_ptr<TlsPeer> peer(new TlsPeer());
        peer->port_ = freePort();
        if (!peer->launch(buildArgv(options, peer->port_), why)) return nullptr;
        // Generous: a Python peer on a loaded 2-core machine has taken over 5 s to listen.
        if (peer->waitListening(std::chrono::seconds(15), why)) return peer;
    }
    return nullptr;
}

bool TlsPeer::launch(const std::vector<std::string>& argv, std::string* why)
{
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return false;
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]), ::close(in[1]);
        return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, out[1], 2);
    std::vector<char*> args;
    for (const auto& s : argv) args.push_back(const_cast<char*>(s.c_str()));
    args.push_back(nullptr);
    int rc = ::posix_spawnp(&pid_, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]), ::close(out[0]);
        pid_ = -1;
        if (why) *why = "cannot start " + argv[0];
        return false;
    }
    stdinFd_ = in[1];
    outFd_ = out[0];
    reader_ = std::thread([this] { readLoop(); });
    return true;
}

void TlsPeer::readLoop()
{
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(outFd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::lock_guard lock(mutex_);
        output_.append(buf, static_cast<std::size_t>(n));
        changed_.notify_all();
    }
}

bool TlsPeer::waitListening(std::chrono::milliseconds timeout, std::string* why)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (listening(port_)) return true;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // it died (port taken, bad args, ...)
            pid_ = -1;
            if (why) *why = "server exited: " + output();
            stop();
            return false;
        }
        std::unique_lock lock(mutex_);  // wake early on output, else re-check every 10 ms
        changed_.wait_for(lock, std::chrono::milliseconds(10));
    }
    if (why) *why = "server did not listen in time: " + output();
    stop();
    return false;
}

std::string TlsPeer::output() const
{
    std::lock_guard lock(mutex_);
    return output_;
}

bool TlsPeer::waitForOutput(std::string_view text, std::chrono::milliseconds timeout,
                            std::size_t count)
{
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
        std::size_t found = 0;
        for (std::size_t at = output_.find(text); at != std::string::npos;
             at = output_.find(text, at + text.size()))
            ++found;
        return found >= count;
    });
}

void TlsPeer::writeStdin(std::string_view text)
{
    if (stdinFd_ < 0) return;
    while (!text.empty()) {
        ssize_t n = ::write(stdinFd_, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

void TlsPeer::stop()
{
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        bool reaped = false;
        for (int i = 0; i < 200 && !reaped; ++i) {  // up to 2 s, then force
            reaped = ::waitpid(pid_, &status, WNOHANG) == pid_;
            if (!reaped) ::usleep(10000);
        }
        if (!reaped) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
        pid_ = -1;
    }
    if (stdinFd_ >= 0) ::close(stdinFd_), stdinFd_ = -1;
    if (reader_.joinable()) reader_.join();
    if (outFd_ >= 0) ::close(outFd_), outFd_ = -1;
}

TlsPeer::~TlsPeer() { stop(); }

TlsPeer::Options testServerOptions(TlsPeer::Kind kind, TlsPeer::Version version)
{
    TlsPeer::Options o;
    o.kind = kind;
    o.cert = pkiPath("server.pem").string();
    o.key = pkiPath("server.key").string();
    o.chain = pkiPath("int.pem").string();
    o.version = version;
    return o;
}

}  // namespace wiiu::test
