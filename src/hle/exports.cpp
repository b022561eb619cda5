#include "hle/exports.h"

#include "common/log.h"
#include "hle/known_exports.h"
#include "hle/nssl/errors.h"
#include "hle/nssl/exports.h"
#include "hle/nsysnet/exports/exports.h"
#include "hle/process.h"

namespace wiiu {

namespace {

template <UnimplementedResult Result>
void notImplemented(guest::Call& call)
{
    const guest::ExportEntry& entry = call.exportEntry();
    if (call.process().firstCallOf(call.exportIndex()))
        entry.logger->warn("{}::{} is not implemented; returning an error (logged once per process)",
                           entry.library, entry.name);
    switch (Result) {
    case UnimplementedResult::MinusOne:
        call.process().sockets().lastErrors().set(call.thread(), nsysnet::SoError::SO_EOPNOTSUPP);
        call.frame().setResult(static_cast<std::uint32_t>(-1));
        break;
    case UnimplementedResult::NullPointer:
        call.frame().setResult(0);
        break;
    case UnimplementedResult::NsslUnknown:
        call.frame().setResult(static_cast<std::uint32_t>(nssl::code(nssl::NsslError::UNKNOWN)));
        break;
    }
}

guest::HostFunction notImplementedFunction(UnimplementedResult result)
{
    switch (result) {
    case UnimplementedResult::MinusOne:
        return notImplemented<UnimplementedResult::MinusOne>;
    case UnimplementedResult::NullPointer:
        return notImplemented<UnimplementedResult::NullPointer>;
    case UnimplementedResult::NsslUnknown:
        break;
    }
    return notImplemented<UnimplementedResult::NsslUnknown>;
}

void registerUnimplemented(guest::ImportTable& table)
{
    for (const KnownExport& known : knownExports()) {
        if (table.find(known.library, known.name))
            continue;
        const bool isNssl = known.name.starts_with("NSSL");
        table.add({.library = std::string(known.library),
                   .name = std::string(known.name),
                   .function = notImplementedFunction(known.unimplemented),
                   .implemented = false,
                   .logger = isNssl ? &log::nssl() : &log::nsysnet()});
    }
}

}  // namespace

void registerExports(guest::ImportTable& table)
{
    nsysnet::registerExports(table);
    nssl::registerExports(table);
    nssl::registerNets2Exports(table);
    registerUnimplemented(table);
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
