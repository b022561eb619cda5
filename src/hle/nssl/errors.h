// NSSL results inside the module: a value or the console's error code (<wiiu_nssl/nssl_errors.h>).
#pragma once

#include <wiiu_nssl/expected.h>
#include <wiiu_nssl/nssl_errors.h>

namespace wiiu::nssl {

/// A value, or the NSSL error that stands in its way.
template <class T>
using Result = Expected<T, NsslError>;

}  // namespace wiiu::nssl
