#include "hle/exports.h"

#include <stdexcept>

#include <fmt/format.h>

#include "common/log.h"
#include "hle/known_exports.h"
#include "hle/nssl/errors.h"
#include "hle/nssl/exports.h"
#include "hle/nsysnet/errors.h"
#include "hle/nsysnet/exports/exports.h"
#include "hle/process.h"

namespace wiiu {

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
            entry.logger->warn("{}::{} is not implemented; returning an error (logged once per process)",
                               entry.library, entry.name);
        else
            entry.logger->error("{}::{} failed on the host ({}); returned its failure result, the process goes "
                                "on (logged once per process)",
                                entry.library, entry.name, why.what);
    } catch (...) {
        // No memory even for the log line: the guest has its result, which is what matters.
    }
}

/// The FailFunction of every export whose failure result is `Result` (known_exports.h).
template <FailureResult Result>
void fail(guest::Call& call, CallFailure why) noexcept
{
    const bool outOfMemory = why.kind == CallFailure::OutOfMemory;
    switch (Result) {
    case FailureResult::MinusOne:
    case FailureResult::Zero:
        call.frame().setResult(Result == FailureResult::Zero ? 0 : static_cast<std::uint32_t>(-1));
        setSocketError(call, socketError(why.kind));
        break;
    case FailureResult::Nssl:
        call.frame().setResult(static_cast<std::uint32_t>(
            nssl::code(outOfMemory ? nssl::NsslError::OUT_OF_MEMORY : nssl::NsslError::UNKNOWN)));
        break;
    case FailureResult::Eai:
        call.frame().setResult(outOfMemory ? nsysnet::EAI_MEMORY_ : nsysnet::EAI_SYSTEM_);
        if (!outOfMemory)
            setSocketError(call, socketError(why.kind));
        break;
    }
    report(call, why);
}

guest::FailFunction failFunction(FailureResult result)
{
    switch (result) {
    case FailureResult::MinusOne:
        return fail<FailureResult::MinusOne>;
    case FailureResult::Zero:
        return fail<FailureResult::Zero>;
    case FailureResult::Eai:
        return fail<FailureResult::Eai>;
    case FailureResult::Nssl:
        break;
    }
    return fail<FailureResult::Nssl>;
}

void notImplemented(guest::Call& call)
{
    call.exportEntry().fail(call, {CallFailure::NotImplemented, {}});
}

/// Gives every export its failure result; the exports no library implements are registered
/// as not implemented. An implemented export missing from the list is a bug in the module.
void registerFailures(guest::ImportTable& table)
{
    for (const KnownExport& known : knownExports()) {
        if (auto index = table.find(known.library, known.name)) {
            table.setFail(*index, failFunction(known.failure));
            continue;
        }
        const bool isNssl = known.name.starts_with("NSSL");
        table.add({.library = std::string(known.library),
                   .name = std::string(known.name),
                   .function = notImplemented,
                   .implemented = false,
                   .logger = isNssl ? &log::nssl() : &log::nsysnet(),
                   .fail = failFunction(known.failure)});
    }
    for (const guest::ExportEntry& entry : table.entries())
        if (!entry.fail)
            throw std::logic_error(fmt::format("export {}::{} is not in known_exports.cpp", entry.library, entry.name));
}

}  // namespace

void registerExports(guest::ImportTable& table)
{
    nsysnet::registerExports(table);
    nssl::registerExports(table);
    nssl::registerNets2Exports(table);
    registerFailures(table);
}

const guest::ImportTable& importTable()
{
    static const guest::ImportTable table = [] {
        guest::ImportTable t;
        registerExports(t);
        return t;
    }();
    return table;
}

}  // namespace wiiu
