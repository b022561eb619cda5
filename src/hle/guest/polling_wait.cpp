#include <wiiu_nssl/polling_wait.h>

#include <algorithm>

namespace wiiu::guest {

int pollThenSleep(std::span<WaitItem> items, Deadline deadline, const GuestSleep& sleep,
                  std::chrono::nanoseconds interval)
{
    if (const int ready = pollItems(items, 0); ready > 0)
        return ready;
    std::chrono::nanoseconds nap = interval;
    if (deadline)
        nap = std::min(nap, std::chrono::nanoseconds(*deadline - std::chrono::steady_clock::now()));
    if (nap.count() > 0)
        sleep(nap);
    return 0;  // the module looks at its signals and the deadline, then asks again
}

}  // namespace wiiu::guest
