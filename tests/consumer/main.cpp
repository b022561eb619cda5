// An emulator's first guest calls through the installed API: guest memory, default hooks, one
// Process, the import table, a log sink. Exits 0 when every answer is the console's.
//
// The platform's headers come first, as in an emulator's precompiled header (Cemu's pulls in X11
// on Linux and <windows.h> on Windows): the public headers must survive their macros (None,
// Bool, Status, Success, ERROR, DELETE, IN, OUT, interface, min, max, SO_ERROR, EAI_*, ...).
// The Windows set builds this file with and without WIN32_LEAN_AND_MEAN and NOMINMAX.
#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#else
#include <X11/Xlib.h>
#include <netdb.h>
#include <sys/socket.h>
#endif

#include <cstdio>
#include <string>
#include <vector>

#include <wiiu_nssl/wiiu_nssl.h>

namespace {

constexpr wiiu::guest::GuestAddress kBase = 0x10000000;

std::uint32_t call(wiiu::Process& process, wiiu::guest::GuestMemory& memory, const char* name,
                   std::vector<std::uint32_t> words)
{
    const auto index = wiiu::importTable().find("nsysnet.rpl", name);
    if (!index) {
        std::fprintf(stderr, "consumer: no export %s\n", name);
        std::exit(1);
    }
    wiiu::guest::CallFrame frame;
    frame.thread = 1;
    frame.gpr[1] = kBase + 0x8000;  // stack pointer
    frame.setArguments(words, memory);
    wiiu::importTable().call(*index, process, memory, frame);
    return frame.result();
}

}  // namespace

int main()
{
    std::vector<std::string> logged;
    wiiu::log::setSink([&](wiiu::log::Channel, wiiu::log::Level, std::string_view message) {
        logged.emplace_back(message);  // this program calls from one thread only
    });

    std::vector<std::byte> ram(1 << 20);
    wiiu::guest::FlatGuestMemory memory(ram.data(), kBase, static_cast<std::uint32_t>(ram.size()));
    wiiu::guest::DefaultHooks hooks(kBase + 0x80000, 0x80000);
    int failures = 0;
    {
        wiiu::Process process(hooks);
        failures += call(process, memory, "NSSLInit", {}) != 0;
        const auto ctx = static_cast<std::int32_t>(call(process, memory, "NSSLCreateContext", {0}));
        failures += ctx < 0;
        failures += call(process, memory, "NSSLDestroyContext", {static_cast<std::uint32_t>(ctx)}) != 0;
        failures += call(process, memory, "NSSLNSECEncrypt", {}) == 0;  // not implemented: an error, logged
        failures += call(process, memory, "NSSLFinish", {}) != 0;
    }
    failures += wiiu::tls::failureReasonName(wiiu::tls::FailureReason::NoFailure) != "NoFailure";
    failures += logged.empty();
    std::printf("consumer: %d failure(s), %zu log line(s) through the sink\n", failures, logged.size());
    return failures == 0 ? 0 : 1;
}
