// The bookkeeping of the race hunt (stress_test.cpp): gates that keep a handle's users from
// outliving it, the deterministic byte stream each connection echoes, the documented result
// codes per export, and per-thread tallies that are merged once the threads are done.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "hle/nssl/errors.h"

namespace wiiu::test::stress {

/// Who may use a handle. An operation pins the gate for one call; an operation that ends the
/// handle closes the gate BEFORE its library call (so that call races the users already in) and
/// drains it AFTER: no stale user is left when the library hands the number out again.
class Gate {
public:
    bool pin()
    {
        users_.fetch_add(1);
        if (open_.load())
            return true;
        users_.fetch_sub(1);
        return false;
    }
    void unpin() { users_.fetch_sub(1); }
    void open() { open_.store(true); }
    void close() { open_.store(false); }
    bool isOpen() const { return open_.load(); }
    /// Waits for the users to leave; false after `limit` (a stuck guest thread).
    bool drain(std::chrono::milliseconds limit = std::chrono::seconds(10)) const
    {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (users_.load() != 0) {
            if (std::chrono::steady_clock::now() > end)
                return false;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        return true;
    }

private:
    std::atomic<bool> open_{false};
    std::atomic<int> users_{0};
};

/// A pin held for one scope.
class Pin {
public:
    explicit Pin(Gate& gate) : gate_(gate.pin() ? &gate : nullptr) {}
    ~Pin()
    {
        if (gate_)
            gate_->unpin();
    }
    Pin(const Pin&) = delete;
    Pin& operator=(const Pin&) = delete;
    explicit operator bool() const { return gate_ != nullptr; }

private:
    Gate* gate_;
};

/// Byte `i` of stream `seed`: any chunk of it can be checked without knowing how it was cut.
inline std::uint8_t streamByte(std::uint64_t seed, std::uint64_t i)
{
    std::uint64_t x = seed ^ (i * 0x9E3779B97F4A7C15ull);
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    return static_cast<std::uint8_t>(x >> 24);
}

/// A result is documented when it is one of `codes`, or a handle (>= 0) where one may come back.
struct Allowed {
    std::initializer_list<nssl::NsslError> codes;
    bool handle = false;

    bool admits(std::int32_t r) const
    {
        if (handle && r >= 0)
            return true;
        for (nssl::NsslError e : codes)
            if (nssl::code(e) == r)
                return true;
        return false;
    }
};

inline std::string codeName(std::int32_t r)
{
    return r >= 0 ? fmt::format("{}", r) : std::string(nssl::resultName(static_cast<nssl::NsslError>(r)));
}

/// What one guest thread saw; merged after the threads end, so the hot path takes no lock.
struct Tally {
    std::map<std::string, std::map<std::string, std::uint64_t>> results;  ///< export -> result -> count
    std::vector<std::string> violations;
    std::uint64_t bytesVerified = 0;
    std::uint64_t excused = 0;  ///< mismatches on a handle that was being ended (inconclusive)

    void count(std::string_view name, std::int32_t r) { ++results[std::string(name)][r >= 0 ? "ok/handle" : codeName(r)]; }
    void violate(std::string what) { violations.push_back(std::move(what)); }

    void merge(const Tally& other)
    {
        for (const auto& [name, codes] : other.results)
            for (const auto& [code, n] : codes)
                results[name][code] += n;
        violations.insert(violations.end(), other.violations.begin(), other.violations.end());
        bytesVerified += other.bytesVerified;
        excused += other.excused;
    }

    std::string summary() const
    {
        std::string out;
        for (const auto& [name, codes] : results) {
            out += fmt::format("  {:<24}", name);
            for (const auto& [code, n] : codes)
                out += fmt::format(" {}={}", code, n);
            out += '\n';
        }
        return out;
    }
};

}  // namespace wiiu::test::stress
