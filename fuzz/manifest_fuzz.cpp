// Fuzz target: the portable store's manifest reader. The input is written as manifest.json into
// a private temporary folder that also holds two valid certificates and a (junk) key file, and
// the store is loaded from there, with and without the deep check.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include <wiiu_nssl/portable_store.h>
#include "fuzz_data.h"

namespace {

namespace fs = std::filesystem;

void writeFile(const fs::path& path, const void* data, std::size_t size)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

struct Folder {
    fs::path dir;
    Folder()
    {
        spdlog::set_level(spdlog::level::off);
        std::string templ = (fs::temp_directory_path() / "wiiu_manifest_fuzz.XXXXXX").string();
        if (!::mkdtemp(templ.data()))
            std::abort();
        dir = templ;
        // The seed corpus' manifests name these files (with their SHA-1s).
        for (const char* name : {"root.der", "ec-root.der", "server.der"}) {
            const auto bytes = wiiu::fuzz::dataFile(name);
            if (bytes.empty())
                std::abort();
            writeFile(dir / name, bytes.data(), bytes.size());
        }
        const char junkKey[] = "not a key, only bytes";
        writeFile(dir / "client_KEY.der", junkKey, sizeof junkKey - 1);
        std::atexit([] { std::error_code ec; fs::remove_all(instance().dir, ec); });
    }
    static Folder& instance()
    {
        static Folder f;
        return f;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Folder& f = Folder::instance();
    writeFile(f.dir / wiiu::certstore::kManifestFile, data, size);
    for (bool deep : {false, true}) {
        // The partial load agrees with the strict one: it takes everything the strict load
        // takes, and reports every entry the strict load would have refused the store for.
        const auto strict = wiiu::certstore::loadPortableStore(f.dir, {.deepCheck = deep});
        wiiu::certstore::LoadReport report;
        const auto partial = wiiu::certstore::loadPortableStore(f.dir, report, {.deepCheck = deep});
        if (strict && (!partial || !report.complete() || (*partial)->size() != (*strict)->size()))
            std::abort();
        if (partial && report.count(wiiu::certstore::EntryStatus::Loaded) != (*partial)->size())
            std::abort();
    }
    return 0;
}
