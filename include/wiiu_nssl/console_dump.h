// Reads the certificate store straight from a console dump: the files of title
// 0005001B-10054000 plus otp.bin for the client keys.
#pragma once

#include <wiiu_nssl/language.h>

#include <filesystem>
#include <memory>

#include <wiiu_nssl/cert_store.h>

namespace wiiu::certstore {

/// `<mlc>/sys/title/0005001b/10054000/content`, or `dir` itself when it already is that
/// folder (holds certstore_metadata.txt, scerts/ or ccerts/). Error when neither fits.
Expected<std::filesystem::path, LoadError> findContentFolder(const std::filesystem::path& dir);

/// Parses the metadata (or falls back to the known-ID table when the file is missing), reads
/// every certificate, decrypts every key with otp.bin and checks each key against its
/// certificate. Any problem is an error naming the file; nothing partial is returned
/// (what `dump_certs --verify` checks).
Expected<std::shared_ptr<const CertStore>, LoadError> readConsoleDump(const std::filesystem::path& mlcOrContent,
                                                                      const std::filesystem::path& otpBin);

/// The same, taking what it can from a dump that is not complete, as users' dumps often are:
/// every certificate that loads is in the store, and `report` says for each one the dump names
/// whether it loaded or why not (missing file, undecryptable without the right otp.bin,
/// corrupt). A metadata line that cannot be read is noted and skipped; the known IDs it may
/// have named come from the known table when their files are there. Without a usable otp.bin
/// the certificates that are not encrypted still load. Refused only when `mlcOrContent` is no
/// dump at all (findContentFolder) or the metadata file cannot be read.
Expected<std::shared_ptr<const CertStore>, LoadError> readConsoleDump(const std::filesystem::path& mlcOrContent,
                                                                      const std::filesystem::path& otpBin,
                                                                      LoadReport& report);

}  // namespace wiiu::certstore
