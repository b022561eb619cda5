// What an export returns when it cannot do its work: when it is not implemented (logged once
// per process), or when the host failed under it (an exception caught at the import table's
// boundary). Each exports list names one of these for its exports (guest::ExportList::fail).
#pragma once

#include <wiiu_nssl/import_table.h>

namespace wiiu::failure {

/// NSSL call: NSSL_ERROR_UNKNOWN, or NSSL_ERROR_OUT_OF_MEMORY.
void nssl(guest::Call& call, guest::CallFailure why) noexcept;
/// Socket-style call: -1 and socketlasterr() (SO_EOPNOTSUPP, SO_ENOMEM or SO_EUNKNOWN).
void minusOne(guest::Call& call, guest::CallFailure why) noexcept;
/// Call returning a pointer or a truth value (gethostbyname, inet_aton, ...): NULL / 0, and
/// socketlasterr() as for minusOne.
void zero(guest::Call& call, guest::CallFailure why) noexcept;
/// getaddrinfo / getnameinfo: EAI_MEMORY, else EAI_SYSTEM with socketlasterr().
void eai(guest::Call& call, guest::CallFailure why) noexcept;

}  // namespace wiiu::failure
