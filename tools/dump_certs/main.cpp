// dump_certs: turns a Wii U console dump (certificate title + otp.bin) into the portable store
// an emulator loads, and verifies such a store.
//
// Exit codes: 0 success, 1 usage error, 2 bad input (missing/corrupt file, wrong key, ...).
#include <filesystem>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include <wiiu_nssl/console_dump.h>
#include <wiiu_nssl/portable_store.h>
#include "report.h"

namespace {

constexpr int kExitUsage = 1;
constexpr int kExitBadInput = 2;

constexpr const char* kFooter = R"(Where the files are on a console dump:
  --mlc  The console's MLC (internal storage) as dumped, e.g. by the homebrew "dumpling"
         (its mlc01 folder). The certificates are in the system title 0005001B-10054000:
           <mlc>/sys/title/0005001b/10054000/content/certstore_metadata.txt
           <mlc>/sys/title/0005001b/10054000/content/scerts/*.der
           <mlc>/sys/title/0005001b/10054000/content/ccerts/*_CERT.der, *_RSA_KEY.aes
         The content/ folder itself is accepted too.
  --otp  otp.bin, the console's 1024-byte OTP dump (dumpling, or the Aroma/Mocha OTP dump).
         The client keys (*_RSA_KEY.aes) are encrypted with the key at its offset 0x120.

Examples:
  dump_certs --mlc ~/dumps/mlc01 --otp ~/dumps/otp.bin --out ~/.local/share/wiiu_certs
  dump_certs --verify ~/.local/share/wiiu_certs --json

The output folder contains private keys of your console: keep it to yourself.
Exit codes: 0 ok, 1 usage error, 2 bad input.)";

struct Options {
    std::string mlc, otp, out, verify;
    bool force = false, json = false, strict = false;
};

int report(const wiiu::dump_certs::Report& r, const Options& o)
{
    if (o.json) wiiu::dump_certs::printJson(std::cout, r);
    else wiiu::dump_certs::printTable(std::cout, r);
    if (o.strict && !r.warnings.empty()) {
        if (!o.json) std::cerr << "error: --strict: " << r.warnings.size() << " fingerprint mismatch(es)\n";
        return kExitBadInput;
    }
    return 0;
}

int failWith(const Options& o, const std::string& mode, const std::string& message)
{
    if (o.json) wiiu::dump_certs::printJsonError(std::cout, mode, message);
    std::cerr << "error: " << message << "\n";
    return kExitBadInput;
}

int runDump(const Options& o)
{
    // Fail before the slow part: an existing folder is never overwritten silently.
    std::error_code ec;
    if (!o.force && std::filesystem::exists(o.out, ec))
        return failWith(o, "dump", o.out + ": already exists (use --force to replace it)");
    auto store = wiiu::certstore::readConsoleDump(o.mlc, o.otp);
    if (!store) return failWith(o, "dump", store.error().message);
    auto written = wiiu::certstore::writePortableStore(**store, o.out, {.replace = o.force});
    if (!written) return failWith(o, "dump", written.error().message);
    // Read back what was written: the user learns now, not at the emulator's start.
    auto check = wiiu::certstore::loadPortableStore(o.out, {.deepCheck = true});
    if (!check) return failWith(o, "dump", "written store does not load back: " + check.error().message);
    return report(wiiu::dump_certs::buildReport(**check, "dump", o.out), o);
}

int runVerify(const Options& o)
{
    auto store = wiiu::certstore::loadPortableStore(o.verify, {.deepCheck = true});
    if (!store) return failWith(o, "verify", store.error().message);
    return report(wiiu::dump_certs::buildReport(**store, "verify", o.verify), o);
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Dump the Wii U certificate store (title 0005001B-10054000) into a portable store "
                 "for wiiu_nssl, or verify one.",
                 "dump_certs"};
    app.footer(kFooter);
    Options o;
    auto* mlc = app.add_option("--mlc", o.mlc, "MLC folder of the console dump (or the title's content/ folder)");
    auto* otp = app.add_option("--otp", o.otp, "otp.bin of the same console (1024 bytes)");
    auto* out = app.add_option("--out", o.out, "Portable store folder to create");
    auto* force = app.add_flag("--force", o.force, "Replace --out if it already exists");
    auto* verify = app.add_option("--verify", o.verify, "Check an existing portable store folder");
    app.add_flag("--json", o.json, "Machine-readable output on stdout");
    app.add_flag("--strict", o.strict, "Treat a SHA-1 that differs from the known fingerprint as an error");
    mlc->needs(otp, out);
    otp->needs(mlc);
    out->needs(mlc);
    force->needs(out);
    verify->excludes(mlc, otp, out);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : kExitUsage;  // --help is a success; every parse error is "usage"
    }
    if (o.mlc.empty() && o.verify.empty()) {
        std::cerr << "error: give --mlc/--otp/--out to dump, or --verify <dir>\n\n" << app.help();
        return kExitUsage;
    }
    return o.verify.empty() ? runDump(o) : runVerify(o);
}
