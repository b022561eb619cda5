// Real TLS servers for interop tests: `openssl s_server`, `gnutls-serv` and a small python3
// `ssl` echo server, each launched on 127.0.0.1 with a free port, waited for until it listens,
// with its stdout+stderr captured (to check what it printed) and its stdin kept open.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace wiiu::test {

/// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t freePort();

class TlsPeer {
public:
    enum class Kind {
        OpenSsl,  ///< openssl s_server: one connection at a time; prints what it receives and
                  ///< sends what is written to its stdin
        GnuTls,   ///< gnutls-serv --echo: echoes, several connections
        Python,   ///< python3 ssl, threaded echo, session cache without tickets
    };
    enum class Version { Default, Tls10, Tls11, Tls12 };

    struct Options {
        Kind kind = Kind::OpenSsl;
        std::string cert;       ///< PEM file of the server certificate
        std::string key;        ///< PEM file of its key
        std::string chain;      ///< optional PEM file of intermediates to send after it
        std::string clientCA;   ///< when set, a client certificate verified by this CA file is required
        Version version = Version::Default;  ///< pin the server to one version
        std::string keyLogFile;              ///< openssl only: -keylogfile
        bool reportSni = false;              ///< openssl only: print "Hostname in TLS extension"
        std::string script;  ///< python only: run this file instead of the echo server, with the
                             ///< arguments PORT CERT KEY (CERT followed by the chain) and extraArgs
        std::vector<std::string> extraArgs;
    };

    /// Starts the server; nullptr (with the reason in `why`) when it does not come up.
    static std::unique_ptr<TlsPeer> start(const Options& options, std::string* why = nullptr);
    ~TlsPeer();
    TlsPeer(const TlsPeer&) = delete;
    TlsPeer& operator=(const TlsPeer&) = delete;

    std::uint16_t port() const { return port_; }
    /// Everything the server printed so far (stdout and stderr interleaved).
    std::string output() const;
    /// Waits until the output contains `text` `count` times; false on timeout.
    bool waitForOutput(std::string_view text, std::chrono::milliseconds timeout =
                                                  std::chrono::seconds(5), std::size_t count = 1);
    /// Writes to the server's stdin (s_server sends it to the connected client).
    void writeStdin(std::string_view text);
    /// Terminates the server (SIGTERM, then SIGKILL) and collects it.
    void stop();

private:
    TlsPeer() = default;
    bool launch(const std::vector<std::string>& argv, std::string* why);
    bool waitListening(std::chrono::milliseconds timeout, std::string* why);
    void readLoop();

    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    int stdinFd_ = -1;
    int outFd_ = -1;
    std::thread reader_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::string output_;
};

/// Options for a server of `kind` with the test PKI's server certificate, key and intermediate.
TlsPeer::Options testServerOptions(TlsPeer::Kind kind, TlsPeer::Version version = TlsPeer::Version::Default);

}  // namespace wiiu::test
