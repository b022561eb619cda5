// dump_certs: turns a Wii U console dump (certificate title + otp.bin) into the portable store
// an emulator loads, and verifies such a store.
//
// Exit codes: 0 success, 1 usage error, 2 bad input (missing/corrupt file, wrong key, ...),
// 3 with --partial: a store written without the certificates the dump could not give.
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <wiiu_nssl/console_dump.h>
#include <wiiu_nssl/portable_store.h>
#include "certstore/public_cas.h"
#include "platform/file.h"
#include "report.h"

namespace {

constexpr int kExitUsage = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitPartial = 3;

constexpr const char* kFooter = R"(Where the files are on a console dump:
  --mlc  The console's MLC (internal storage) as dumped, e.g. by the homebrew "dumpling"
         (its mlc01 folder). The certificates are in the system title 0005001B-10054000:
           <mlc>/sys/title/0005001b/10054000/content/certstore_metadata.txt
           <mlc>/sys/title/0005001b/10054000/content/scerts/*.der
           <mlc>/sys/title/0005001b/10054000/content/ccerts/*_CERT.der, *_RSA_KEY.aes
         The content/ folder itself is accepted too.
  --otp  otp.bin, the console's 1024-byte OTP dump (dumpling, or the Aroma/Mocha OTP dump).
         The client keys (*_RSA_KEY.aes) are encrypted with the key at its offset 0x120.
  --partial  A dump that is not complete (files missing, another console's otp.bin, a cut
         metadata file): write what loads and list on stderr what was left out and why.

  --public-cas [BUNDLE]  Without a console: the console's commercial CAs that are public roots,
         taken from a PEM bundle (default /etc/ssl/certs/ca-certificates.crt, package
         ca-certificates) when their SHA-1 equals the console's fingerprint; never any other.
         With --mlc/--otp they are added to the console's store (its own entries win).

Examples:
  dump_certs --mlc ~/dumps/mlc01 --otp ~/dumps/otp.bin --out ~/.local/share/wiiu_certs
  dump_certs --public-cas --out ~/.local/share/wiiu_certs
  dump_certs --verify ~/.local/share/wiiu_certs --json

The output folder contains private keys of your console: keep it to yourself.
Exit codes: 0 ok, 1 usage error, 2 bad input, 3 written without some certificates (--partial).)";

struct Options {
    std::string mlc, otp, out, verify;
    std::optional<std::string> publicCas;  ///< the bundle; set (maybe to the default) when given
    bool force = false, json = false, strict = false, partial = false;
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

using StoreResult = wiiu::Expected<std::shared_ptr<const wiiu::certstore::CertStore>, wiiu::certstore::LoadError>;

// The console dump, the public CAs of the bundle, or the dump with the public CAs it lacks.
// With --partial, `left` says what the dump could not give.
StoreResult readStore(const Options& o, wiiu::certstore::LoadReport& left)
{
    using namespace wiiu::certstore;
    std::shared_ptr<const CertStore> console;
    if (!o.mlc.empty()) {
        const auto mlc = wiiu::platform::pathFromUtf8(o.mlc);
        const auto otp = wiiu::platform::pathFromUtf8(o.otp);
        auto dumped = o.partial ? readConsoleDump(mlc, otp, left) : readConsoleDump(mlc, otp);
        if (!dumped) return wiiu::fail(dumped.error());
        console = *dumped;
    }
    if (!o.publicCas) return console;
    auto found = publicCasFromBundle(wiiu::platform::pathFromUtf8(*o.publicCas));
    if (!found) return wiiu::fail(found.error());
    std::cerr << "public CAs: " << found->size() << " of the console's server CAs are in " << *o.publicCas
              << (found->empty() ? "" : ":");
    for (const Entry& e : *found) std::cerr << " " << e.id;
    std::cerr << "\n";
    if (!console && found->empty())
        return wiiu::fail(LoadError{*o.publicCas + ": no certificate matches a console CA fingerprint"});
    if (!console) return CertStore::create(std::move(*found));
    return addEntries(*console, std::move(*found));
}

int runDump(const Options& o)
{
    // Fail before the slow part: an existing folder is never overwritten silently.
    const auto out = wiiu::platform::pathFromUtf8(o.out);
    std::error_code ec;
    if (!o.force && std::filesystem::exists(out, ec))
        return failWith(o, "dump", o.out + ": already exists (use --force to replace it)");
    wiiu::certstore::LoadReport left;
    auto store = readStore(o, left);
    if (!store) return failWith(o, "dump", store.error().message);
    if ((*store)->size() == 0) return failWith(o, "dump", o.mlc + ": no certificate could be loaded");
    auto written = wiiu::certstore::writePortableStore(**store, out, {.replace = o.force});
    if (!written) return failWith(o, "dump", written.error().message);
    // Read back what was written: the user learns now, not at the emulator's start.
    auto check = wiiu::certstore::loadPortableStore(out, {.deepCheck = true});
    if (!check) return failWith(o, "dump", "written store does not load back: " + check.error().message);
    const int rc = report(wiiu::dump_certs::buildReport(**check, "dump", o.out), o);
    if (rc != 0 || left.complete()) return rc;
    std::cerr << "partial: " << left.summary() << "\n";
    for (const auto& line : left.entries)
        if (line.status != wiiu::certstore::EntryStatus::Loaded)
            std::cerr << "  left out: " << line.id << " " << line.name << ": " << entryStatusName(line.status) << ": "
                      << line.reason << "\n";
    for (const auto& note : left.notes) std::cerr << "  note: " << note << "\n";
    return kExitPartial;
}

int runVerify(const Options& o)
{
    auto store = wiiu::certstore::loadPortableStore(wiiu::platform::pathFromUtf8(o.verify), {.deepCheck = true});
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
    std::string bundle;
    auto* publicCas = app.add_option("--public-cas", bundle,
                                     "Take the console's public CAs from this PEM bundle (default: the system's)")
                          ->expected(0, 1);
    app.add_flag("--json", o.json, "Machine-readable output on stdout");
    app.add_flag("--strict", o.strict, "Treat a SHA-1 that differs from the known fingerprint as an error");
    auto* partial = app.add_flag("--partial", o.partial,
                                 "Write what an incomplete dump gives; list what was left out (exit code 3)");
    partial->needs(mlc);
    mlc->needs(otp, out);
    otp->needs(mlc);
    publicCas->needs(out);
    force->needs(out);
    verify->excludes(mlc, otp, out, publicCas);

    try {
        // UTF-8 on every host (Windows' argv is in the ANSI code page); paths are made with
        // platform::pathFromUtf8 from these strings.
        const wiiu::platform::Utf8Argv args(argc, argv);
        app.parse(args.argc(), args.argv());
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : kExitUsage;  // --help is a success; every parse error is "usage"
    }
    if (publicCas->count() > 0)
        o.publicCas = bundle.empty() ? std::string(wiiu::certstore::kSystemCaBundle) : bundle;
    if (!o.out.empty() && o.mlc.empty() && !o.publicCas) {
        std::cerr << "error: --out needs --mlc/--otp or --public-cas\n";
        return kExitUsage;
    }
    if (o.mlc.empty() && !o.publicCas && o.verify.empty()) {
        std::cerr << "error: give --mlc/--otp/--out or --public-cas --out to dump, or --verify <dir>\n\n"
                  << app.help();
        return kExitUsage;
    }
    return o.verify.empty() ? runDump(o) : runVerify(o);
}
