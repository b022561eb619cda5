// The console's integer handles as distinct types: a session handle passed where a connection is
// expected does not compile. They are enums, so the export marshaling reads them straight from
// an argument word, and the trace shows their kind and number ("conn=3").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hle/nssl/errors.h"

namespace wiiu::nssl {

enum class ContextHandle : std::int32_t {};
enum class ConnectionHandle : std::int32_t {};
enum class SessionHandle : std::int32_t {};

// The import table's trace labels each handle argument with these.
constexpr std::string_view traceLabel(ContextHandle) { return "ctx"; }
constexpr std::string_view traceLabel(ConnectionHandle) { return "conn"; }
constexpr std::string_view traceLabel(SessionHandle) { return "session"; }

/// What a handle-creating export returns in r3: a handle (>= 0) or an NSSL_ERROR_* (< 0).
enum class HandleOrError : std::int32_t {};

/// "3" for a handle, the error's name otherwise (the import table's trace uses it).
inline std::string resultName(HandleOrError r)
{
    const auto v = static_cast<std::int32_t>(r);
    return v >= 0 ? std::to_string(v) : std::string(resultName(static_cast<NsslError>(v)));
}

}  // namespace wiiu::nssl
