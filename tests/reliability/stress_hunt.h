// The race hunt's guest program (stress_test.cpp runs it on three threads): shared slots of
// contexts, connections and sessions, the operations on them, and the invariants each checks.
// The library reuses handle numbers (lowest free first), so, as a careful game does, an operation
// that ends a handle closes its gate before the call and drains it after, and no connection is
// created on another context meanwhile. What a user still in flight sees of an ending handle must
// be a documented code, but its data checks are excused (counted as inconclusive).
#pragma once

#include <array>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <shared_mutex>

#include "hle/nssl/service.h"
#include "reliability/reliability_util.h"
#include "reliability/stress_harness.h"

namespace wiiu::test::stress {

using E = nssl::NsslError;

constexpr int kThreads = 3, kContexts = 2, kConnections = 4;
constexpr std::size_t kMaxSessions = 12;
constexpr std::uint32_t kMaxChunk = 8192;
constexpr std::uint64_t kMaxOutstanding = 64 * 1024;  ///< written but not yet read back

/// The host name a connection is created with: it names its context slot and generation.
inline std::string tagOf(int slot, std::uint32_t gen) { return fmt::format("c{}g{}.stress", slot, gen); }

struct ContextSlot {
    Gate gate;
    std::shared_mutex creating;  ///< shared by NSSLCreateConnection on this context
    std::int32_t handle = -1;
    std::uint32_t gen = 0;
};

struct ConnectionSlot {
    enum State { Empty, Reserved, Live };
    Gate gate;
    std::atomic<int> state{Empty};
    std::int32_t handle = -1, fd = -1;
    int ctx = -1;
    std::uint32_t ctxGen = 0;
    std::uint64_t stream = 0;  ///< seed of its byte stream; unique per connection
    std::atomic<bool> fdClosed{false}, broken{false};
    std::atomic_flag reading, writing;  ///< one reader and one writer at a time, on any threads
    std::atomic<std::uint64_t> written{0}, received{0};
};

/// The session references the guest holds, by handle: whose session, and how many.
struct Held {
    std::uint64_t stream;
    int ctx;
    std::uint32_t ctxGen, refs;
};

struct Worker {
    guest::GuestThreadId thread;
    guest::GuestAddress buffer, word, host;
    std::mt19937 rng;
    Tally tally;
};

class Stress {
public:
    Stress(NsslGuest& g, std::uint16_t port) : g_(g), sockaddr_(g.sockaddr(port)) { global_.open(); }

    void run(Worker& w, std::chrono::steady_clock::time_point end)
    {
        while (std::chrono::steady_clock::now() < end) {
            if (std::chrono::steady_clock::now() > nextFinish_.load() && !finishing_.exchange(true)) {
                finishOp(w);
                continue;
            }
            Pin global(global_);
            if (!global) {
                std::this_thread::yield();
                continue;
            }
            const int s = pick(w, kContexts), k = pick(w, kConnections);
            // Weights: enough teardown to race everything, enough life for data and sessions.
            static constexpr std::array<int, 12> kWeights{2, 1, 1, 4, 2, 1, 3, 9, 9, 3, 2, 1};
            int op = pick(w, 38);
            std::size_t i = 0;
            while (op >= kWeights[i])
                op -= kWeights[i++];
            switch (i) {
            case 0: createContext(w); break;
            case 1: destroyContext(w, s); break;
            case 2: addServerPki(w, s); break;
            case 3: createConnection(w, s); break;
            case 4: destroyConnection(w, k); break;
            case 5: closeSocket(w, k); break;
            case 6: handshake(w, k); break;
            case 7: write(w, k); break;
            case 8: read(w, k); break;
            case 9: getSession(w, k); break;
            case 10: sessionOp(w, true); break;
            default: sessionOp(w, false); break;
            }
        }
    }

    /// Ends every handle through the import table; then nothing may be left.
    void finishAll(Worker& w)
    {
        for (int k = 0; k < kConnections; ++k)
            if (conn_[k].state == ConnectionSlot::Live)
                expect(w, "NSSLDestroyConnection", call(w, "NSSLDestroyConnection", {u(conn_[k].handle)}),
                       {{E::OK, E::SSL_SHUTDOWN_ERROR}});
        resetConnections(w);
        for (ContextSlot& c : ctx_)
            if (c.handle >= 0)
                expect(w, "NSSLDestroyContext", call(w, "NSSLDestroyContext", {u(c.handle)}), {{E::OK}});
        for (const auto& [handle, held] : sessions_)
            for (std::uint32_t i = 0; i < held.refs; ++i)
                expect(w, "NSSLFreeSession", call(w, "NSSLFreeSession", {u(handle)}), {{E::OK}});
        checkEmpty(w, "after every handle was released");
        expect(w, "NSSLFinish", call(w, "NSSLFinish", {}), {{E::OK}});
        checkEmpty(w, "after the final NSSLFinish");
    }

    int finishes() const { return finishes_; }

private:
    static int pick(Worker& w, int n) { return static_cast<int>(w.rng() % static_cast<unsigned>(n)); }

    std::int32_t call(Worker& w, std::string_view name, std::initializer_list<std::uint32_t> args)
    {
        const std::int32_t r = g_.nssl(name, args, w.thread);
        w.tally.count(name, r);
        return r;
    }
    void expect(Worker& w, std::string_view name, std::int32_t r, Allowed allowed)
    {
        if (!allowed.admits(r))
            w.tally.violate(fmt::format("{} returned {}, not documented here", name, codeName(r)));
    }
    /// A handle whose end has begun: what its stale users see is inconclusive.
    bool doomed(const ConnectionSlot& c) const { return !c.gate.isOpen() || !ctx_[c.ctx].gate.isOpen(); }

    void closeFdOnce(Worker& w, ConnectionSlot& c)
    {
        if (!c.fdClosed.exchange(true))
            expect(w, "socketclose", call(w, "socketclose", {u(c.fd)}), {{E::OK}});
    }
    /// Closes and drains a connection slot whose handle ended, and frees it.
    void retire(Worker& w, ConnectionSlot& c)
    {
        c.gate.close();
        if (!c.gate.drain())
            w.tally.violate("a guest thread stayed blocked on an ended connection for 10 s");
        closeFdOnce(w, c);
        c.state = ConnectionSlot::Empty;
    }

    void createContext(Worker& w)
    {
        std::lock_guard lock(lifecycle_);
        for (int s = 0; s < kContexts; ++s) {
            ContextSlot& c = ctx_[s];
            if (c.handle >= 0)
                continue;
            const std::int32_t r = call(w, "NSSLCreateContext", {0});
            expect(w, "NSSLCreateContext", r, {{E::LIB_NOT_READY}, true});
            if (r >= 0) {
                c.handle = r;
                c.gen = ++generation_;
                c.gate.open();
            }
            return;
        }
    }

    void destroyContext(Worker& w, int s)
    {
        std::lock_guard lock(lifecycle_);
        ContextSlot& c = ctx_[s];
        if (!c.gate.isOpen())
            return;
        // Connections may be created on this context meanwhile (the race), on no other one: a
        // handle freed here must not be handed to another context's user still in flight.
        std::unique_lock other(ctx_[1 - s].creating);
        c.gate.close();
        expect(w, "NSSLDestroyContext", call(w, "NSSLDestroyContext", {u(c.handle)}), {{E::OK, E::LIB_NOT_READY}});
        if (!c.gate.drain())
            w.tally.violate("a guest thread stayed inside a destroyed context for 10 s");
        for (ConnectionSlot& k : conn_)
            if (k.state == ConnectionSlot::Live && k.ctx == s && k.ctxGen == c.gen)
                retire(w, k);
        // docs/abi.md: a context's connections are destroyed with it (issue 22, item 2).
        for (const auto& st : g_.process().state()->nssl().status().connections)
            if (st.host == tagOf(s, c.gen)) {
                w.tally.violate(fmt::format("connection {} of destroyed context {} is still in the table "
                                            "[issue 22 #2: NSSLDestroyContext racing NSSLCreateConnection]",
                                            st.handle, c.handle));
                call(w, "NSSLDestroyConnection", {u(st.handle)});  // so later checks stand on their own
            }
        c.handle = -1;
    }

    void addServerPki(Worker& w, int s)
    {
        Pin pin(ctx_[s].gate);
        if (pin)
            expect(w, "NSSLAddServerPKI", call(w, "NSSLAddServerPKI", {u(ctx_[s].handle), u(kTestRootId)}),
                   {{E::OK, E::INVALID_NSSL_CONTEXT, E::LIB_NOT_READY}});
    }

    void createConnection(Worker& w, int s)
    {
        std::shared_lock creating(ctx_[s].creating);
        Pin pin(ctx_[s].gate);
        if (!pin)
            return;
        ConnectionSlot* slot = nullptr;
        for (ConnectionSlot& k : conn_) {
            int empty = ConnectionSlot::Empty;
            if (k.state.compare_exchange_strong(empty, ConnectionSlot::Reserved)) {
                slot = &k;
                break;
            }
        }
        if (!slot)
            return;
        ConnectionSlot& k = *slot;
        const std::int32_t fd = call(w, "socket", {2, 1, 6});
        expect(w, "socket", fd, {{}, true});
        if (fd >= 0)
            expect(w, "connect", call(w, "connect", {u(fd), sockaddr_, 16}), {{E::OK}});
        const std::string host = tagOf(s, ctx_[s].gen);
        std::memcpy(g_.host(w.host), host.c_str(), host.size() + 1);
        const std::int32_t r = call(w, "NSSLCreateConnection",
                                    {u(ctx_[s].handle), w.host, u(static_cast<std::int32_t>(host.size())), 0, u(fd), 1});
        expect(w, "NSSLCreateConnection", r, {{E::INVALID_NSSL_CONTEXT, E::LIB_NOT_READY}, true});
        if (r < 0) {
            if (fd >= 0)
                expect(w, "socketclose", call(w, "socketclose", {u(fd)}), {{E::OK}});
            k.state = ConnectionSlot::Empty;
            return;
        }
        k.handle = r, k.fd = fd, k.ctx = s, k.ctxGen = ctx_[s].gen, k.stream = ++streams_;
        k.fdClosed = false, k.broken = false, k.written = 0, k.received = 0;
        offerSession(w, k);
        k.state = ConnectionSlot::Live;
        k.gate.open();
    }

    void offerSession(Worker& w, ConnectionSlot& k)
    {
        std::lock_guard lock(sessionsMutex_);
        for (const auto& [handle, held] : sessions_) {
            if (held.ctx != k.ctx || held.ctxGen != k.ctxGen || pick(w, 2))
                continue;
            const std::int32_t r = call(w, "NSSLSetSession", {u(k.handle), u(handle)});
            expect(w, "NSSLSetSession", r, {{E::OK, E::NO_SESSION, E::INVALID_NSSL_CONNECTION, E::LIB_NOT_READY}});
            if (r == nssl::code(E::INVALID_NSSL_SESSION) && ctx_[k.ctx].gate.isOpen())
                w.tally.violate(fmt::format("NSSLSetSession refused session {} of the connection's own live context "
                                            "[issue 22 #1]", handle));
            return;
        }
    }

    void destroyConnection(Worker& w, int k)
    {
        std::lock_guard lock(lifecycle_);
        std::unique_lock c0(ctx_[0].creating), c1(ctx_[1].creating);  // no handle reuse until drained
        ConnectionSlot& c = conn_[k];
        if (c.state != ConnectionSlot::Live)
            return;
        c.gate.close();
        const std::int32_t r = call(w, "NSSLDestroyConnection", {u(c.handle)});
        expect(w, "NSSLDestroyConnection", r, {{E::OK, E::SSL_SHUTDOWN_ERROR, E::LIB_NOT_READY}});
        retire(w, c);
        if (r == nssl::code(E::OK) || r == nssl::code(E::SSL_SHUTDOWN_ERROR))
            for (const auto& st : g_.process().state()->nssl().status().connections)
                if (st.handle == c.handle)
                    w.tally.violate(fmt::format("connection {} is still in the table after NSSLDestroyConnection",
                                                c.handle));
    }

    void closeSocket(Worker& w, int k)
    {
        ConnectionSlot& c = conn_[k];
        if (Pin pin(c.gate); pin)
            closeFdOnce(w, c);
    }

    void handshake(Worker& w, int k)
    {
        ConnectionSlot& c = conn_[k];
        if (Pin pin(c.gate); pin)
            // ZERO_RETURN: NSSLDestroyConnection's close_notify went out under it (docs/abi.md).
            expect(w, "NSSLDoHandshake", call(w, "NSSLDoHandshake", {u(c.handle)}),
                   {{E::OK, E::IO_ERROR, E::ZERO_RETURN, E::INVALID_NSSL_CONNECTION, E::LIB_NOT_READY}});
    }

    void write(Worker& w, int k)
    {
        ConnectionSlot& c = conn_[k];
        Pin pin(c.gate);
        if (!pin || c.broken || c.written - c.received > kMaxOutstanding || c.writing.test_and_set())
            return;
        const auto n = static_cast<std::uint32_t>(1 + w.rng() % kMaxChunk);
        // Counted before the call: the echo may be read back before NSSLWrite returns.
        const std::uint64_t at = c.written.fetch_add(n);
        auto* out = reinterpret_cast<std::uint8_t*>(g_.host(w.buffer));
        for (std::uint32_t i = 0; i < n; ++i)
            out[i] = streamByte(c.stream, at + i);
        const std::int32_t r = call(w, "NSSLWrite", {u(c.handle), w.buffer, n, w.word});
        expect(w, "NSSLWrite", r,
               {{E::OK, E::IO_ERROR, E::ZERO_RETURN, E::INVALID_NSSL_CONNECTION, E::LIB_NOT_READY}});
        if (r == 0 && g_.readBe32(w.word) != n)
            w.tally.violate(fmt::format("blocking NSSLWrite of {} wrote {}", n, g_.readBe32(w.word)));
        c.broken = r != 0;  // after a failure, what went out is unknown: write no more
        c.writing.clear();
    }

    void read(Worker& w, int k)
    {
        ConnectionSlot& c = conn_[k];
        Pin pin(c.gate);
        // With nothing outstanding the read blocks: that is the moment to destroy or close under it.
        const bool awaited = !c.broken && c.written > c.received;  // an echo is on its way
        if (!pin || (!awaited && pick(w, 8)) || c.reading.test_and_set())
            return;
        const std::int32_t r = call(w, "NSSLRead", {u(c.handle), w.buffer, kMaxChunk, w.word});
        expect(w, "NSSLRead", r,
               {{E::OK, E::ZERO_RETURN, E::IO_ERROR, E::INVALID_NSSL_CONNECTION, E::LIB_NOT_READY}});
        if (r == 0) {
            const std::uint32_t got = g_.readBe32(w.word);
            const std::uint64_t at = c.received;
            const auto* in = reinterpret_cast<const std::uint8_t*>(g_.host(w.buffer));
            std::uint32_t i = 0;
            while (i < got && in[i] == streamByte(c.stream, at + i))
                ++i;
            if (got == 0 || got > kMaxChunk || i < got || at + got > c.written) {
                if (doomed(c))
                    ++w.tally.excused;
                else
                    w.tally.violate(fmt::format("NSSLRead on connection {}: {} bytes at offset {}, first wrong at "
                                                "{}, {} written", c.handle, got, at, i, c.written.load()));
            }
            w.tally.bytesVerified += i;
            c.received = at + got;
        }
        c.reading.clear();
    }

    void getSession(Worker& w, int k)
    {
        ConnectionSlot& c = conn_[k];
        Pin pin(c.gate);
        if (!pin || sessionCount() >= kMaxSessions)
            return;
        const std::int32_t h = call(w, "NSSLGetSession", {u(c.handle)});
        expect(w, "NSSLGetSession", h, {{E::NO_SESSION, E::INVALID_NSSL_CONNECTION, E::LIB_NOT_READY}, true});
        if (h < 0)
            return;
        std::lock_guard lock(sessionsMutex_);
        auto [it, inserted] = sessions_.try_emplace(h, Held{c.stream, c.ctx, c.ctxGen, 0});
        if (!inserted && it->second.stream != c.stream && !doomed(c))
            w.tally.violate(fmt::format("NSSLGetSession(connection {}) returned session {}, which belongs to "
                                        "another connection [issue 22 #1]", c.handle, h));
        ++it->second.refs;
    }

    std::size_t sessionCount()
    {
        std::lock_guard lock(sessionsMutex_);
        return sessions_.size();
    }

    /// FreeSession (drops one reference) or RemoveSession, from whichever thread picks it.
    void sessionOp(Worker& w, bool free)
    {
        std::unique_lock lock(sessionsMutex_);
        if (sessions_.empty())
            return;
        auto it = std::next(sessions_.begin(), pick(w, static_cast<int>(sessions_.size())));
        const std::int32_t h = it->first;
        if (!free) {  // under the lock: the reference cannot be freed meanwhile
            expect(w, "NSSLRemoveSession", call(w, "NSSLRemoveSession", {u(h)}), {{E::OK, E::LIB_NOT_READY}});
            return;
        }
        if (--it->second.refs == 0)
            sessions_.erase(it);  // before the call: a handle is only handed out again after it
        lock.unlock();
        expect(w, "NSSLFreeSession", call(w, "NSSLFreeSession", {u(h)}), {{E::OK, E::LIB_NOT_READY}});
    }

    /// NSSLFinish while the others are in calls, then a check that nothing survived it, then
    /// NSSLInit again. Only this thread re-initialises, so the check sees no new handle.
    void finishOp(Worker& w)
    {
        global_.close();
        expect(w, "NSSLFinish", call(w, "NSSLFinish", {}), {{E::OK}});
        if (!global_.drain())
            w.tally.violate("a guest thread stayed in a call for 10 s after NSSLFinish");
        const auto st = g_.process().state()->nssl().status();
        if (!st.contexts.empty() || !st.connections.empty() || st.sessions != 0) {
            w.tally.violate(fmt::format("after NSSLFinish: {} contexts, {} connections, {} sessions left "
                                        "[issue 22 #3: NSSLFinish racing a create]",
                                        st.contexts.size(), st.connections.size(), st.sessions));
            call(w, "NSSLInit", {});
            call(w, "NSSLFinish", {});  // quiet now: clears them, so later checks stand on their own
        }
        resetConnections(w);
        for (ContextSlot& c : ctx_)
            c.gate.close(), c.handle = -1;
        sessions_.clear();
        expect(w, "NSSLInit", call(w, "NSSLInit", {}), {{E::OK}});
        ++finishes_;
        nextFinish_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(300 + pick(w, 700));
        global_.open();
        finishing_ = false;
    }

    void resetConnections(Worker& w)
    {
        for (ConnectionSlot& c : conn_)
            if (c.state == ConnectionSlot::Live)
                retire(w, c);
    }

    void checkEmpty(Worker& w, std::string_view when)
    {
        const auto st = g_.process().state()->nssl().status();
        if (!st.contexts.empty() || !st.connections.empty() || st.sessions != 0)
            w.tally.violate(fmt::format("{}: {} contexts, {} connections, {} sessions left", when,
                                        st.contexts.size(), st.connections.size(), st.sessions));
    }

    NsslGuest& g_;
    const guest::GuestAddress sockaddr_;
    Gate global_;  ///< every operation but NSSLFinish's; NSSLFinish drains it
    std::atomic<bool> finishing_{false};
    std::atomic<std::chrono::steady_clock::time_point> nextFinish_{std::chrono::steady_clock::now() +
                                                                   std::chrono::milliseconds(500)};
    int finishes_ = 0;
    std::mutex lifecycle_;  ///< context create/destroy and connection destroy, one at a time
    std::array<ContextSlot, kContexts> ctx_;
    std::array<ConnectionSlot, kConnections> conn_;
    std::atomic<std::uint32_t> generation_{0};
    std::atomic<std::uint64_t> streams_{0};
    std::mutex sessionsMutex_;
    std::map<std::int32_t, Held> sessions_;
};

}  // namespace wiiu::test::stress
