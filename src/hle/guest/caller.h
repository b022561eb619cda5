// Marks the module's entry points that host threads call (the nlibcurl bridge), so hooks can
// tell them from guest threads (guest::currentCaller(), <wiiu_nssl/hooks.h>).
#pragma once

namespace wiiu::guest {

/// While alive, currentCaller() on this host thread answers HostThread.
class HostCallerScope {
public:
    HostCallerScope();
    ~HostCallerScope();
    HostCallerScope(const HostCallerScope&) = delete;
    HostCallerScope& operator=(const HostCallerScope&) = delete;
};

}  // namespace wiiu::guest
