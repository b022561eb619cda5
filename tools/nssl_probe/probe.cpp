#include "probe.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include <wiiu_nssl/inspection.h>
#include <wiiu_nssl/nssl_errors.h>
#include <wiiu_nssl/nssl_structs.h>

#include "socket_steps.h"
#include "transfer.h"

namespace wiiu::probe {

namespace {

using nssl::NsslError;
using u32 = std::uint32_t;

constexpr u32 kIoChunk = 16 * 1024;

// The failure name of a setup call the library refused (a bad certificate, a limit, ...).
constexpr const char* kRefused = "BadConfig";

u32 w(std::int64_t v) { return static_cast<u32>(v); }
std::string name(NsslError e) { return std::string(nssl::resultName(e)); }

/// The flow of one run; each step is a guest call through the import table.
class Flow {
public:
    Flow(const ProbeSettings& s, const ProbeObserver& o)
        : s_(s), o_(o), guest_(s.store, s.config, s.clock), sockets_(guest_, s)
    {
        guest_.log().onCall(o.onCall);
        guest_.log().onRun(o.onRun);
        io_ = guest_.alloc(kIoChunk);
        word_ = guest_.alloc(4);
        word2_ = guest_.alloc(4);
    }

    ProbeReport run()
    {
        if (!s_.config.strict)
            report_.firmware = s_.config.firmware.text();
        guest_.call("nsysnet", "socket_lib_init", {});
        nsslCall("NSSLInit", {});
        const std::int32_t ctx =
            guest_.call("nsysnet", "NSSLCreateContext", {w(s_.version)});
        if (ctx < 0)
            return failed(static_cast<NsslError>(ctx), "NSSLCreateContext refused");
        if (setupContext(ctx)) {
            std::int32_t session = -1;
            for (int attempt = 0; attempt <= s_.resume; ++attempt) {
                report_.connections.push_back(connectOnce(ctx, attempt, session));
                const auto& c = report_.connections.back();
                if (c.result != "OK") {
                    if (report_.ok()) {
                        report_.result = c.result;
                        report_.code = c.code;
                        report_.reason = c.reason;
                        report_.failure = c.failure;
                    }
                    break;
                }
            }
            if (session >= 0)
                nsslCall("NSSLFreeSession", {w(session)});
        }
        nsslCall("NSSLDestroyContext", {w(ctx)});
        nsslCall("NSSLFinish", {});
        guest_.call("nsysnet", "socket_lib_finish", {});
        return finish();
    }

private:
    NsslError nsslCall(std::string_view fn, std::initializer_list<u32> args, std::string_view note = {},
                       std::string_view library = "nsysnet")
    {
        return static_cast<NsslError>(guest_.call(library, fn, args, note));
    }
    /// NSSLRead or NSSLWrite with word_ as the count argument: the call log adds up the bytes.
    NsslError dataCall(std::string_view fn, std::initializer_list<u32> args)
    {
        return static_cast<NsslError>(guest_.call("nsysnet", fn, args, {}, word_));
    }

    void note(const std::string& text)
    {
        if (o_.onNote)
            o_.onNote(text);
    }

    ProbeReport failed(NsslError e, std::string reason)
    {
        report_.result = name(e);
        report_.code = nssl::code(e);
        report_.reason = std::move(reason);
        report_.failure = kRefused;
        return finish();
    }

    ProbeReport finish()
    {
        guest_.log().finish();
        report_.calls = guest_.log().entries();
        return std::move(report_);
    }

    /// Records the first failing setup call; false stops the run.
    bool setupOk(NsslError e, std::string_view what)
    {
        if (e == NsslError::OK)
            return true;
        report_.result = name(e);
        report_.code = nssl::code(e);
        report_.reason = fmt::format("{} refused", what);
        report_.failure = kRefused;
        return false;
    }

    bool setupContext(std::int32_t ctx)
    {
        for (std::int32_t id : s_.caIds) {
            if (!setupOk(nsslCall("NSSLAddServerPKI", {w(ctx), w(id)}), fmt::format("CA {}", id)))
                return false;
        }
        if (s_.groups) {
            const NsslError e = nsslCall("NSSLAddServerPKIGroups", {w(ctx), s_.groups, word_, word2_});
            if (!setupOk(e, "NSSLAddServerPKIGroups"))
                return false;
            note(fmt::format("groups {:#x}: {} CAs added, {} missing from the store", s_.groups,
                             static_cast<std::int32_t>(guest_.loadBe32(word_)),
                             static_cast<std::int32_t>(guest_.loadBe32(word2_))));
        }
        for (std::size_t i = 0; i < s_.caFiles.size(); ++i) {
            const auto& der = s_.caFiles[i];
            const auto at = guest_.putBytes(der);
            if (!setupOk(nsslCall("NSSLAddServerPKIExternal", {w(ctx), at, w(der.size()), 0}, "DER certificate"),
                         fmt::format("--ca-file #{}", i + 1)))
                return false;
        }
        for (std::size_t i = 0; i < s_.crls.size(); ++i) {
            const auto& der = s_.crls[i];
            const auto at = guest_.putBytes(der);
            if (!setupOk(nsslCall("NSSLAddCRLExternal", {w(ctx), at, w(der.size()), 0}, "DER CRL", "nn_nets2"),
                         fmt::format("--crl-file #{}", i + 1)))
                return false;
        }
        if (s_.crlCheck &&
            !setupOk(nsslCall("NSSLContextSetFlags", {w(ctx), 1}, "CRL check", "nn_nets2"), "NSSLContextSetFlags"))
            return false;
        if (s_.clientId &&
            !setupOk(nsslCall("NSSLSetClientPKI", {w(ctx), w(*s_.clientId)}), "the client certificate"))
            return false;
        if (!s_.clientCert.empty()) {
            const auto cert = guest_.putBytes(s_.clientCert);
            const auto key = guest_.putBytes(s_.clientKey);
            if (!setupOk(nsslCall("NSSLSetClientPKIExternal",
                                  {w(ctx), cert, w(s_.clientCert.size()), 0, key, w(s_.clientKey.size()), 0},
                                  "DER certificate and key"),
                         "the external client certificate"))
                return false;
        }
        return true;
    }

    /// Repeats a non-blocking call while it wants to read or write, waiting with select.
    template <class F>
    NsslError retry(std::int32_t fd, F&& step)
    {
        for (;;) {
            const NsslError e = step();
            if (!s_.nonBlocking || (e != NsslError::WANT_READ && e != NsslError::WANT_WRITE))
                return e;
            if (!sockets_.wait(fd, e == NsslError::WANT_WRITE))
                return e;
        }
    }

    /// A socket call failed; to the guest's NSSL that is an I/O failure.
    ConnectionReport socketFailure(std::string reason)
    {
        ConnectionReport c;
        c.result = "SOCKET_ERROR";
        c.code = -1;
        c.reason = std::move(reason);
        c.failure = "Io";
        return c;
    }

    ConnectionReport connectOnce(std::int32_t ctx, int attempt, std::int32_t& session)
    {
        note(attempt == 0 ? fmt::format("connecting to {}:{} as '{}'", s_.connectHost, s_.port, s_.host)
                          : fmt::format("reconnect {} of {}, offering the session", attempt, s_.resume));
        const auto address = sockets_.resolve();
        if (!address)
            return socketFailure(fmt::format("cannot resolve '{}'", s_.connectHost));
        const std::int32_t fd = sockets_.open();
        if (fd < 0)
            return socketFailure("socket() failed: " + guest_.lastCall().resultName);
        ConnectionReport c = connectAndHandshake(ctx, fd, *address, attempt, session);
        guest_.call("nsysnet", "socketclose", {w(fd)});
        return c;
    }

    ConnectionReport connectAndHandshake(std::int32_t ctx, std::int32_t fd, u32 address, int attempt,
                                         std::int32_t& session)
    {
        const std::string peer = fmt::format("{}.{}.{}.{}:{}", address >> 24, (address >> 16) & 0xff,
                                             (address >> 8) & 0xff, address & 0xff, s_.port);
        if (std::string error = sockets_.connect(fd, address, peer); !error.empty())
            return socketFailure(std::move(error));

        const auto hostText = guest_.putString(s_.host);
        const std::int32_t conn = guest_.call(
            "nsysnet", "NSSLCreateConnection",
            {w(ctx), hostText, w(s_.host.size()), s_.verify, w(fd), s_.nonBlocking ? 0u : 1u},
            fmt::format("host \"{}\", verify options {:#x}", s_.host, s_.verify));
        ConnectionReport c;
        if (conn < 0) {
            c.result = name(static_cast<NsslError>(conn));
            c.code = conn;
            c.reason = "NSSLCreateConnection refused";
            c.failure = kRefused;
            return c;
        }
        if (attempt > 0 && session >= 0)
            nsslCall("NSSLSetSession", {w(conn), w(session)});

        step_ = "NSSLDoHandshake";
        NsslError e = retry(fd, [&] {
            return nsslCall("NSSLDoHandshake", {w(conn)});
        });
        collectDiagnostics(conn, c);
        if (e == NsslError::OK) {
            const auto info = guest_.alloc(sizeof(nssl::GuestCipherInfo));
            if (nsslCall("NSSLGetCipherInfo", {w(conn), info}) == NsslError::OK) {
                const auto cipher = guest_.load<nssl::GuestCipherInfo>(info);
                c.suite.assign(cipher.name, strnlen(cipher.name, sizeof cipher.name));
                c.version = cipher.version;
            }
            nsslCall("NSSLGetPeerCertSize", {w(conn), word_});
            if (attempt == 0 && s_.resume > 0)
                session = guest_.call("nsysnet", "NSSLGetSession", {w(conn)});
            if (attempt == 0 && (s_.send || !s_.sendFile.empty()))
                e = exchange(fd, conn, c);
        }
        if (e != NsslError::OK)
            describeFailure(conn, e, c);
        report_.statusTable += nssl::debug::formatStatusTable(inspect(guest_.process()).nssl);
        nsslCall("NSSLDestroyConnection", {w(conn)});
        return c;
    }

    /// The verdict is the result the guest saw; the reason says at which step, after what, and why.
    void describeFailure(std::int32_t conn, NsslError e, ConnectionReport& c)
    {
        c.result = name(e);
        c.code = nssl::code(e);
        std::string why = c.result;
        if (e == NsslError::WANT_READ || e == NsslError::WANT_WRITE) {
            c.failure = "Io";  // non-blocking: the select() that followed gave up
            why = fmt::format("{} (Io)", sockets_.waitFailed());
        } else if (const auto s = connectionStatus(conn); s.failureReason != tls::FailureReason::NoFailure) {
            c.failure = std::string(tls::failureReasonName(s.failureReason));
            why = fmt::format("{} ({})", s.failureText, c.failure);
        }
        c.reason = fmt::format("{}: {}", step_, why);
    }

    void collectDiagnostics(std::int32_t conn, ConnectionReport& c)
    {
        const auto s = connectionStatus(conn);
        for (const auto& der : s.peerChain)
            c.peerChain.push_back(describeCertificate(der));
        c.resumed = s.resumed;
        c.quirks = s.quirksUsed;
    }

    /// What the host sees of connection `conn` (<wiiu_nssl/inspection.h>); empty once it is gone.
    nssl::ConnectionStatus connectionStatus(std::int32_t conn)
    {
        for (auto& s : inspect(guest_.process()).nssl.connections)
            if (s.handle == conn)
                return std::move(s);
        return {};
    }

    /// Sends the request, then reads until the server closes (or a call fails). Only close_notify
    /// (ZERO_RETURN) ends a reply well: a bare FIN is IO_ERROR to the guest, body complete or not.
    /// Both directions go through the one guest buffer io_, a chunk at a time.
    NsslError exchange(std::int32_t fd, std::int32_t conn, ConnectionReport& c)
    {
        c.exchanged = true;
        Outgoing out = openOutgoing();
        for (;;) {
            const auto chunk = static_cast<u32>(out.read(guest_.bytes(io_, kIoChunk)));
            if (chunk == 0)
                break;
            for (u32 done = 0; done < chunk;) {
                const NsslError e =
                    retry(fd, [&] { return dataCall("NSSLWrite", {w(conn), io_ + done, chunk - done, word_}); });
                if (e != NsslError::OK) {
                    step_ = fmt::format("NSSLWrite after {} of {} bytes sent", c.bytesSent, out.size());
                    return e;
                }
                const u32 sent = guest_.loadBe32(word_);
                done += sent;
                c.bytesSent += sent;
            }
        }
        for (;;) {
            const NsslError e = retry(fd, [&] { return dataCall("NSSLRead", {w(conn), io_, kIoChunk, word_}); });
            if (e == NsslError::ZERO_RETURN)
                return NsslError::OK;
            if (e != NsslError::OK) {
                step_ = "NSSLRead after " + describeReceived(c.received);
                return e;
            }
            c.received.append(guest_.bytes(io_, guest_.loadBe32(word_)));
        }
    }

    Outgoing openOutgoing() const
    {
        if (s_.sendFile.empty())
            return Outgoing(*s_.send);
        std::string error;
        auto file = Outgoing::open(s_.sendFile, &error);
        if (!file)
            throw std::runtime_error(fmt::format("--send {}: {}", s_.sendFile, error));
        return std::move(*file);
    }

    const ProbeSettings& s_;
    const ProbeObserver& o_;
    GuestProcess guest_;
    ProbeReport report_;
    guest::GuestAddress io_ = 0, word_ = 0, word2_ = 0;
    SocketSteps sockets_;
    std::string step_;  ///< the NSSL step under way, for a failure's reason
};

}  // namespace

PeerCert describeCertificate(const Bytes& der)
{
    PeerCert p = pki::summarizeCertificate(der);
    if (!p.parsed)
        p.subject = "(unparsable certificate)";
    return p;
}

ProbeReport runProbe(const ProbeSettings& settings, const ProbeObserver& observer)
{
    return Flow(settings, observer).run();
}

}  // namespace wiiu::probe
