// The module's thread_locals belong to host threads, while guest threads are fibers that may
// resume on another host thread after any hook that waits (Cemu's multi-core mode, decaf).
// Compilers take a thread_local's address as constant within a function, and within its callers
// once inlined (link-time optimisation included): a caller that waited in between would go on
// using the host thread it parked on. So every thread_local of the module is reached through an
// accessor that is never inlined and looks the address up anew:
//
//     thread_local int heldHere = 0;
//     WIIU_NOINLINE int& held() { return *opaqueAddress(&heldHere); }
//
// cl.exe gets the same from /GT, which every module target sets (cmake/WiiuNsslTarget.cmake).
#pragma once

#if defined(_MSC_VER) && !defined(__clang__)
#define WIIU_NOINLINE __declspec(noinline)
#else
#define WIIU_NOINLINE [[gnu::noinline]]
#endif

namespace wiiu {

/// `address`, with what the optimiser knows of where it points erased (clang propagates a
/// thread_local's address even out of a function that is not inlined).
template <class T>
inline T* opaqueAddress(T* address)
{
#if defined(__GNUC__) || defined(__clang__)
    asm volatile("" : "+r"(address));
#endif
    return address;
}

}  // namespace wiiu
