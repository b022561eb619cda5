#include <algorithm>

#include <wiiu_nssl/cert_entry.h>

namespace wiiu::certstore {

bool Permissions::allows(const Caller& caller) const
{
    if ((capabilityMask & caller.capabilities) != 0)
        return true;
    if (std::find(titleIds.begin(), titleIds.end(), caller.titleId) != titleIds.end())
        return true;
    for (const std::int32_t pid : processIds) {
        switch (pid) {
        case -1:
            return false;  // ends the list
        case -4:
            return true;
        case -2:
            if (caller.processId <= kIosProcessTest)
                return true;
            break;
        case -3:
            if (caller.processId >= kIosProcessCosKernel)
                return true;
            break;
        default:
            if (pid == caller.processId)
                return true;
        }
    }
    return false;
}

}  // namespace wiiu::certstore
