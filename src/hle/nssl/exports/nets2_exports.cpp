// nn_nets2.rpl's NSSL exports: CRLs, context flags and context mode (docs/abi.md: all chosen,
// as no public source documents them).
#include "hle/nssl/exports/exports.h"

#include "common/log.h"
#include "hle/export_failures.h"
#include "hle/guest/marshal.h"
#include "hle/nssl/service.h"
#include "hle/process_state.h"

namespace wiiu::nssl {

namespace {

using guest::be32;
using guest::Call;
using guest::GuestPtr;

NsslError NSSLAddCRLExternal(Call& call, ContextHandle ctx, GuestPtr<const std::uint8_t> crl, std::int32_t size,
                             std::int32_t type)
{
    Service& nssl = call.process().nssl();
    if (!nssl.ready())
        return NsslError::LIB_NOT_READY;
    if (size <= 0)
        return NsslError::INVALID_ARG;
    auto bytes = call.memory().span(crl, static_cast<std::uint32_t>(size));
    if (!bytes)
        return NsslError::INVALID_ARG;
    return nssl.addCrlExternal(ctx, *bytes, type);
}

NsslError NSSLContextSetFlags(Call& call, ContextHandle ctx, std::uint32_t flags)
{
    return call.process().nssl().setContextFlags(ctx, flags);
}

NsslError NSSLContextClearFlags(Call& call, ContextHandle ctx, std::uint32_t flags)
{
    return call.process().nssl().clearContextFlags(ctx, flags);
}

NsslError NSSLContextGetFlags(Call& call, ContextHandle ctx, GuestPtr<be32> outFlags)
{
    Service& nssl = call.process().nssl();
    if (!nssl.ready())
        return NsslError::LIB_NOT_READY;
    be32* out = call.memory().object(outFlags);
    if (!out)
        return NsslError::INVALID_ARG;
    auto flags = nssl.contextFlags(ctx);
    if (!flags)
        return flags.error();
    *out = *flags;
    return NsslError::OK;
}

NsslError NSSLContextSetMode(Call& call, ContextHandle ctx, std::int32_t mode)
{
    return call.process().nssl().setContextMode(ctx, mode);
}

}  // namespace

void registerNets2Exports(guest::ImportTableBuilder& table)
{
    static constexpr guest::ExportDef kExports[] = {
        WIIU_EXPORT(NSSLAddCRLExternal),
        WIIU_EXPORT(NSSLContextSetFlags),
        WIIU_EXPORT(NSSLContextClearFlags),
        WIIU_EXPORT(NSSLContextGetFlags),
        WIIU_EXPORT(NSSLContextSetMode),
    };
    table.add({guest::ExportPart::Nssl, "nn_nets2", log::Channel::nssl, failure::nssl, kExports});
}

}  // namespace wiiu::nssl
