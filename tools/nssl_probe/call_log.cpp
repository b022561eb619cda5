#include "call_log.h"

namespace wiiu::probe {

bool isFailure(const CallRecord& record)
{
    return record.result < 0 && !record.resultName.starts_with("NSSL_ERROR_WANT_");
}

void CallLog::add(CallRecord record)
{
    last_ = record;
    const bool failure = isFailure(record);
    if (open_ && !failure && entries_.back().first.text == record.text) {
        CallEntry& run = entries_.back();
        ++run.count;
        run.bytes += record.bytes.value_or(0);
        ++run.results[record.resultName];
        return;
    }
    closeRun();
    CallEntry entry;
    entry.bytes = record.bytes.value_or(0);
    entry.results[record.resultName] = 1;
    entry.first = std::move(record);
    entries_.push_back(std::move(entry));
    open_ = !failure;
    if (onCall_)
        onCall_(entries_.back().first);
}

void CallLog::finish()
{
    closeRun();
}

void CallLog::closeRun()
{
    if (open_ && entries_.back().count > 1 && onRun_)
        onRun_(entries_.back());
    open_ = false;
}

}  // namespace wiiu::probe
