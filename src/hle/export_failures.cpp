#include "hle/export_failures.h"

#include "common/log.h"
#include "hle/nssl/errors.h"
#include <wiiu_nssl/nsysnet_errors.h>
#include "hle/process_state.h"

namespace wiiu::failure {

namespace {

using guest::CallFailure;

/// The calling thread's socketlasterr(); setting it may allocate, which must not escalate here.
void setSocketError(guest::Call& call, nsysnet::SoError error) noexcept
{
    try {
        call.process().sockets().lastErrors().set(call.thread(), error);
    } catch (...) {
        // Out of memory for the error slot: r3 alone says the call failed.
    }
}

nsysnet::SoError socketError(CallFailure::Kind kind)
{
    switch (kind) {
    case CallFailure::NotImplemented:
        return nsysnet::SoError::SO_EOPNOTSUPP;
    case CallFailure::OutOfMemory:
        return nsysnet::SoError::SO_ENOMEM;
    case CallFailure::Exception:
        break;
    }
    return nsysnet::SoError::SO_EUNKNOWN;
}

void report(guest::Call& call, CallFailure why) noexcept
{
    try {
        if (!call.process().firstFailureOf(call.exportIndex()))
            return;
        const guest::ExportEntry& entry = call.exportEntry();
        if (why.kind == CallFailure::NotImplemented)
            log::get(entry.channel).warn("{}::{} is not implemented; returning an error (logged once per process)",
                               entry.library, entry.name);
        else
            log::get(entry.channel).error("{}::{} failed on the host ({}); returned its failure result, the process goes "
                                "on (logged once per process)",
                                entry.library, entry.name, why.what);
    } catch (...) {
        // No memory even for the log line: the guest has its result, which is what matters.
    }
}

}  // namespace

void nssl(guest::Call& call, CallFailure why) noexcept
{
    const bool outOfMemory = why.kind == CallFailure::OutOfMemory;
    call.frame().setResult(
        static_cast<std::uint32_t>(nssl::code(outOfMemory ? nssl::NsslError::OUT_OF_MEMORY : nssl::NsslError::UNKNOWN)));
    report(call, why);
}

void minusOne(guest::Call& call, CallFailure why) noexcept
{
    call.frame().setResult(static_cast<std::uint32_t>(-1));
    setSocketError(call, socketError(why.kind));
    report(call, why);
}

void zero(guest::Call& call, CallFailure why) noexcept
{
    call.frame().setResult(0);
    setSocketError(call, socketError(why.kind));
    report(call, why);
}

void eai(guest::Call& call, CallFailure why) noexcept
{
    const bool outOfMemory = why.kind == CallFailure::OutOfMemory;
    call.frame().setResult(outOfMemory ? nsysnet::EAI_MEMORY_ : nsysnet::EAI_SYSTEM_);
    if (!outOfMemory)
        setSocketError(call, socketError(why.kind));
    report(call, why);
}

}  // namespace wiiu::failure
