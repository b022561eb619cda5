// The probe's call log, folded so that a long transfer stays readable: a run of consecutive calls
// with the same text (export, arguments, note) is one entry with a call count, a byte total and a
// count per result. A 256 MiB download is a handful of entries, not 16,384 NSSLRead objects.
//
// What stays visible: every entry shows the first call of its run as it was made; a failing call
// (a negative result other than WANT_READ / WANT_WRITE, or a socket call's -1) is never folded
// into a run: it stands alone, and the call after it starts a new entry.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wiiu::probe {

/// One guest call as the call log shows it.
struct CallRecord {
    std::string text;    ///< the module's trace of the call, "NSSLDoHandshake(conn=0)", plus the probe's note
    std::int32_t result = 0;
    std::string resultName;  ///< "NSSL_ERROR_OK", "3", "-1 (SO_ECONNREFUSED)", as the module traces it
    std::optional<std::uint64_t> bytes;  ///< what a data call (NSSLRead, NSSLWrite) moved
};

/// A run of consecutive calls of the same text; a lone call is a run of one.
struct CallEntry {
    CallRecord first;  ///< the run's first call
    std::uint64_t count = 1;
    std::uint64_t bytes = 0;  ///< moved by all calls of the run
    std::map<std::string, std::uint64_t> results;  ///< result name -> calls that returned it

    bool dataCall() const { return first.bytes.has_value(); }
};

/// A failing call stands alone in the log. WANT_READ / WANT_WRITE are not failures: a
/// non-blocking call answers them in normal operation.
bool isFailure(const CallRecord& record);

class CallLog {
public:
    /// `onCall` sees every call that opens an entry (the text output prints it as it happens);
    /// `onRun` sees a run of two or more calls once it has ended.
    void onCall(std::function<void(const CallRecord&)> sink) { onCall_ = std::move(sink); }
    void onRun(std::function<void(const CallEntry&)> sink) { onRun_ = std::move(sink); }

    void add(CallRecord record);
    /// Ends the open run (call once the last call was made).
    void finish();

    const std::vector<CallEntry>& entries() const { return entries_; }
    const CallRecord& last() const { return last_; }

private:
    void closeRun();

    std::vector<CallEntry> entries_;
    CallRecord last_;
    bool open_ = false;  ///< whether entries_.back() may take more calls
    std::function<void(const CallRecord&)> onCall_;
    std::function<void(const CallEntry&)> onRun_;
};

}  // namespace wiiu::probe
