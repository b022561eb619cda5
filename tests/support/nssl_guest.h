// A guest process that speaks NSSL through the import table, as a game would: the socket calls
// to make and connect a TCP socket, then the NSSL calls, with every argument in guest memory.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/cert_store.h>
#include <wiiu_nssl/nssl_config.h>
#include "hle/nssl/errors.h"
#include "support/guest_env.h"

namespace wiiu::test {

/// Internal certificate IDs of the test store (testCertStore()).
inline constexpr std::int32_t kTestRootId = 100;       ///< root.der, group 0x1
inline constexpr std::int32_t kTestEcRootId = 1001;    ///< ec-root.der, group 0x2
inline constexpr std::int32_t kTestClientId = 7;       ///< client.der + client.rsa.der, exportable
inline constexpr std::int32_t kTestPrivateCaId = 101;  ///< int.der, group 0x1, not exportable

/// A certificate store made from the test PKI (tests/fixtures/make_pki.sh).
std::shared_ptr<const certstore::CertStore> testCertStore();

class NsslGuest : public GuestEnv {
public:
    explicit NsslGuest(nssl::Config config = {}, std::shared_ptr<const certstore::CertStore> store = testCertStore(),
                       guest::EmbeddingHooks* hooks = nullptr);
    explicit NsslGuest(ProcessSettings settings);

    /// Any export by name; the r3 result as a signed word.
    std::int32_t call32(std::string_view library, std::string_view name, std::initializer_list<std::uint32_t> args,
                        guest::GuestThreadId thread = 1)
    {
        return static_cast<std::int32_t>(call(library, name, args, thread));
    }
    std::int32_t nssl(std::string_view name, std::initializer_list<std::uint32_t> args = {},
                      guest::GuestThreadId thread = 1)
    {
        return call32("nsysnet", name, args, thread);
    }
    static std::int32_t code(nssl::NsslError e) { return nssl::code(e); }

    /// socket_lib_init + socket + connect to 127.0.0.1:port; the guest descriptor (or -1). In an
    /// NSSL-only process (ProcessSettings::emulatorSockets), the emulator's socket instead.
    std::int32_t tcpConnect(std::uint16_t port, bool nonBlocking = false);
    /// A guest sockaddr_in for 127.0.0.1:port.
    guest::GuestAddress sockaddr(std::uint16_t port);
    std::int32_t lastSocketError(guest::GuestThreadId thread = 1) { return nssl("socketlasterr", {}, thread); }

    /// Bytes placed in guest memory; their address.
    guest::GuestAddress putBytes(std::span<const std::uint8_t> bytes);
    guest::GuestAddress putText(std::string_view text)
    {
        return putBytes({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    }

    /// NSSLInit + NSSLCreateContext(version) (+ the CA as external DER when given).
    std::int32_t context(std::int32_t version = 0, const std::vector<std::uint8_t>& caDer = {});
    /// NSSLCreateConnection on a fresh connected socket; the handle (or the error code).
    std::int32_t connection(std::int32_t ctx, std::uint16_t port, std::string_view host, std::uint32_t options,
                            bool blocking = true, std::int32_t* fdOut = nullptr);

    /// NSSLWrite of `text`; the NSSL code, `written` set from the guest's output.
    std::int32_t write(std::int32_t conn, std::string_view text, std::int32_t* written = nullptr);
    /// One NSSLRead of at most `max` bytes into `out` (appended).
    std::int32_t read(std::int32_t conn, std::string& out, std::uint32_t max = 16384);
    /// Reads until `expected` bytes have arrived or a call fails; the last code.
    std::int32_t readExactly(std::int32_t conn, std::string& out, std::size_t expected);
    /// Writes `text` and reads as many bytes back (an echo server); what came back, or the
    /// failing call's result as "<NSSLWrite|NSSLRead> <code>".
    std::string echo(std::int32_t conn, std::string_view text);

    static constexpr std::uint32_t kIoBufferSize = 64 * 1024;
    /// A guest buffer reused by read() and write(), so long transfers do not exhaust guest data.
    guest::GuestAddress ioBuffer() const { return ioBuffer_; }
    guest::GuestAddress ioWord() const { return ioWord_; }

private:
    std::function<std::int32_t(std::uint16_t, bool)> emulatorConnect_;
    guest::GuestAddress ioBuffer_ = 0;
    guest::GuestAddress ioWord_ = 0;
};

/// A TLS echo of `size` bytes over its own guest buffers, as guest thread `thread`; 0, or the
/// first failing call's result.
std::int32_t echoFlow(NsslGuest& g, std::int32_t ctx, std::uint16_t port, guest::GuestThreadId thread,
                      std::uint32_t size);
/// A select for reading on a fresh socket connected to 127.0.0.1:port that sends nothing, with a
/// 30 ms timeout, as guest thread `thread`: its result (0 when it timed out).
std::int32_t selectThatTimesOut(NsslGuest& g, std::uint16_t port, guest::GuestThreadId thread);

}  // namespace wiiu::test
