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
/// certificate. Any problem is an error naming the file; nothing partial is returned.
Expected<std::shared_ptr<const CertStore>, LoadError> readConsoleDump(const std::filesystem::path& mlcOrContent,
                                                                      const std::filesystem::path& otpBin);

}  // namespace wiiu::certstore
