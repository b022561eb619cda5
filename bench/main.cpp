// wiiu_nssl_bench: the cost of emulation against raw BearSSL and OpenSSL, side by side.
// Run it through bench/run.sh, which builds in release mode and prints the table.
//
// Own flags (before Google Benchmark's): --bytes=N (bulk bytes per transfer), --handshakes=N
// (handshakes per repetition), --conns=N (live connections of the memory row).
#include <benchmark/benchmark.h>

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "rows.h"
#include "server.h"

using namespace wiiu::bench;

int main(int argc, char** argv)
{
    std::vector<char*> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](const char* flag) { return a.rfind(flag, 0) == 0 ? a.c_str() + std::strlen(flag) : nullptr; };
        if (const char* v = value("--bytes="))
            sizes().bulkBytes = std::strtoull(v, nullptr, 10);
        else if (const char* h = value("--handshakes="))
            sizes().handshakes = std::atoi(h);
        else if (const char* c = value("--conns="))
            sizes().connections = std::atoi(c);
        else
            rest.push_back(argv[i]);
    }
    ::signal(SIGPIPE, SIG_IGN);

    pkiFile("root.der");  // generates the test PKI (make_pki.sh) before the server forks
    BenchServer server;
    std::string why;
    if (!server.start(pkiFile("server.pem"), pkiFile("int.pem"), pkiFile("server.key"), why)) {
        std::fprintf(stderr, "bench server: %s\n", why.c_str());
        return 1;
    }
    serverPort() = server.port();
    if (!ensurePortableStore(why)) {
        std::fprintf(stderr, "portable store: %s\n", why.c_str());
        return 1;
    }

    registerCallRow();
    registerBulkRows();
    registerHandshakeRows();
    registerFloorRow();
    registerMemoryRow();
    registerStoreRow();
    registerWakeRow();
    registerFiberRows();

    int n = static_cast<int>(rest.size());
    benchmark::Initialize(&n, rest.data());
    if (benchmark::ReportUnrecognizedArguments(n, rest.data()))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    server.stop();
    return 0;
}
