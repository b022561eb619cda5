// The NSSL exports of nsysnet.rpl: each translates guest arguments into one service call and
// the answer into a console code (docs/abi.md has the table these follow).
#include "hle/nssl/exports/exports.h"

#include <algorithm>
#include <cstring>

#include "common/log.h"
#include "hle/export_failures.h"
#include "hle/guest/marshal.h"
#include "hle/nssl/service.h"
#include <wiiu_nssl/nssl_structs.h>
#include "hle/process_state.h"

namespace wiiu::nssl {

namespace {

using guest::be16;
using guest::be32;
using guest::bei32;
using guest::Call;
using guest::GuestPtr;

/// Host names longer than this are refused (DNS names stop at 253 characters).
constexpr std::int32_t kMaxHostLength = 1024;

Service& nssl(Call& call)
{
    return call.process().nssl();
}

/// Every call but NSSLInit answers LIB_NOT_READY before NSSLInit, whatever its arguments.
#define WIIU_REQUIRE_READY(call)                  \
    if (!nssl(call).ready())                      \
        return NsslError::LIB_NOT_READY;

/// A guest input buffer of `size` bytes: refused (nothing) when null, negative or not wholly in
/// guest memory.
std::optional<std::span<const std::uint8_t>> input(Call& call, GuestPtr<const std::uint8_t> ptr, std::int32_t size)
{
    if (size <= 0)
        return std::nullopt;
    return call.memory().span(ptr, static_cast<std::uint32_t>(size));
}

/// A created handle, or the error that prevented it, as the export returns it in r3.
template <class Handle>
HandleOrError handleOrError(const Result<Handle>& r)
{
    return static_cast<HandleOrError>(r ? static_cast<std::int32_t>(*r) : code(r.error()));
}
HandleOrError handleOrError(NsslError e)
{
    return static_cast<HandleOrError>(code(e));
}

NsslError NSSLInit(Call& call)
{
    return nssl(call).init();
}

NsslError NSSLFinish(Call& call)
{
    return nssl(call).finish();
}

HandleOrError NSSLCreateContext(Call& call, std::int32_t version)
{
    return handleOrError(nssl(call).createContext(version));
}

NsslError NSSLDestroyContext(Call& call, ContextHandle ctx)
{
    return nssl(call).destroyContext(ctx);
}

NsslError NSSLSetClientPKI(Call& call, ContextHandle ctx, std::int32_t certId)
{
    return nssl(call).setClientPki(ctx, certId);
}

NsslError NSSLSetClientPKIExternal(Call& call, ContextHandle ctx, GuestPtr<const std::uint8_t> cert,
                                   std::int32_t certSize, std::int32_t certType, GuestPtr<const std::uint8_t> key,
                                   std::int32_t keySize, std::int32_t keyType)
{
    WIIU_REQUIRE_READY(call)
    const Config& config = nssl(call).config();
    if (certSize > 0 && static_cast<std::size_t>(certSize) > config.maxCertSize)
        return NsslError::CERT_SIZE_LIMIT;
    if (keySize > 0 && static_cast<std::size_t>(keySize) > config.maxKeySize)
        return NsslError::PRIVATE_KEY_SIZE_LIMIT;
    auto certBytes = input(call, cert, certSize);
    auto keyBytes = input(call, key, keySize);
    if (!certBytes || !keyBytes)
        return NsslError::INVALID_ARG;
    return nssl(call).setClientPkiExternal(ctx, *certBytes, certType, *keyBytes, keyType);
}

NsslError NSSLAddServerPKI(Call& call, ContextHandle ctx, std::int32_t certId)
{
    return nssl(call).addServerPki(ctx, certId);
}

NsslError NSSLAddServerPKIExternal(Call& call, ContextHandle ctx, GuestPtr<const std::uint8_t> cert,
                                   std::int32_t certSize, std::int32_t certType)
{
    WIIU_REQUIRE_READY(call)
    // decaf's nsysnet wrapper judges the arguments before IOS sees the context.
    if (!cert || certSize <= 0)
        return NsslError::INVALID_ARG;
    if (certType != kCertTypeDer)
        return NsslError::INVALID_CERT_TYPE;
    if (static_cast<std::size_t>(certSize) > nssl(call).config().maxCertSize)
        return NsslError::CERT_SIZE_LIMIT;
    auto bytes = input(call, cert, certSize);
    if (!bytes)
        return NsslError::INVALID_ARG;
    return nssl(call).addServerPkiExternal(ctx, *bytes, certType);
}

NsslError NSSLAddServerPKIGroups(Call& call, ContextHandle ctx, std::uint32_t groupMask, GuestPtr<bei32> outValid,
                                 GuestPtr<bei32> outInvalid)
{
    WIIU_REQUIRE_READY(call)
    // Either output may be NULL; one that is not must be writable before any work is done.
    if ((outValid && !call.memory().object(outValid)) || (outInvalid && !call.memory().object(outInvalid)))
        return NsslError::INVALID_ARG;
    auto counts = nssl(call).addServerPkiGroups(ctx, groupMask);
    if (!counts)
        return counts.error();
    if (outValid)
        call.memory().store(outValid, bei32(counts->added));
    if (outInvalid)
        call.memory().store(outInvalid, bei32(counts->missing + counts->denied));
    return NsslError::OK;
}

HandleOrError NSSLCreateConnection(Call& call, ContextHandle ctx, GuestPtr<const char> host, std::int32_t hostLength,
                                  std::int32_t options, std::int32_t socketFd, std::int32_t block)
{
    if (!nssl(call).ready())
        return handleOrError(NsslError::LIB_NOT_READY);
    std::string name;
    if (hostLength < 0 || hostLength > kMaxHostLength)
        return handleOrError(NsslError::INVALID_ARG);
    if (hostLength > 0) {
        auto chars = call.memory().chars(host, static_cast<std::uint32_t>(hostLength));
        if (!chars)
            return handleOrError(NsslError::INVALID_ARG);
        // Not necessarily NUL-terminated; a caller passing strlen + 1 includes the terminator.
        name = chars->substr(0, chars->find('\0'));
    }
    return handleOrError(
        nssl(call).createConnection(ctx, std::move(name), static_cast<std::uint32_t>(options), socketFd, block != 0));
}

NsslError NSSLDestroyConnection(Call& call, ConnectionHandle conn)
{
    return nssl(call).destroyConnection(conn);
}

NsslError NSSLDoHandshake(Call& call, ConnectionHandle conn)
{
    return nssl(call).doHandshake(conn);
}

NsslError NSSLRead(Call& call, ConnectionHandle conn, GuestPtr<std::uint8_t> buf, std::int32_t len,
                   GuestPtr<bei32> outRead)
{
    WIIU_REQUIRE_READY(call)
    if (len < 0)
        return NsslError::INVALID_ARG;
    auto dst = call.memory().span(buf, static_cast<std::uint32_t>(len));
    bei32* out = call.memory().object(outRead);
    if (!dst || !out)
        return NsslError::INVALID_ARG;  // checked before reading: no decrypted byte is lost
    auto got = nssl(call).read(conn, *dst);
    if (!got)
        return got.error();
    *out = static_cast<std::int32_t>(*got);
    return NsslError::OK;
}

NsslError NSSLWrite(Call& call, ConnectionHandle conn, GuestPtr<const std::uint8_t> buf, std::int32_t len,
                    GuestPtr<bei32> outWritten)
{
    WIIU_REQUIRE_READY(call)
    if (len < 0)
        return NsslError::INVALID_ARG;
    auto src = call.memory().span(buf, static_cast<std::uint32_t>(len));
    bei32* out = call.memory().object(outWritten);
    if (!src || !out)
        return NsslError::INVALID_ARG;
    auto written = nssl(call).write(conn, *src);
    if (!written)
        return written.error();
    *out = static_cast<std::int32_t>(*written);
    return NsslError::OK;
}

NsslError NSSLGetPending(Call& call, ConnectionHandle conn, GuestPtr<bei32> outPending)
{
    WIIU_REQUIRE_READY(call)
    bei32* out = call.memory().object(outPending);
    if (!out)
        return NsslError::INVALID_ARG;
    auto pending = nssl(call).pending(conn);
    if (!pending)
        return pending.error();
    *out = static_cast<std::int32_t>(*pending);
    return NsslError::OK;
}

NsslError NSSLGetPeerCertSize(Call& call, ConnectionHandle conn, GuestPtr<bei32> outSize)
{
    WIIU_REQUIRE_READY(call)
    bei32* out = call.memory().object(outSize);
    if (!out)
        return NsslError::INVALID_ARG;
    auto der = nssl(call).peerCertificate(conn);
    if (!der)
        return der.error();
    *out = static_cast<std::int32_t>(der->size());
    return NsslError::OK;
}

/// A guest output buffer with its in/out size word (the export calls' common contract): the
/// buffer is NULL or its size 0 to ask only for the size. Every check runs before anything is
/// written, so a refused call leaves guest memory as it was.
class SizedOutput {
public:
    /// INVALID_ARG for an unusable size word or a buffer not wholly in guest memory,
    /// INSUFFICIENT_SIZE when the buffer is smaller than `needed` (the size is still reported).
    static NsslError check(Call& call, GuestPtr<std::uint8_t> buf, GuestPtr<be32> inoutSize, std::size_t needed,
                           SizedOutput& out)
    {
        out.size_ = call.memory().object(inoutSize);
        if (!out.size_)
            return NsslError::INVALID_ARG;
        const std::uint32_t capacity = *out.size_;
        out.needed_ = static_cast<std::uint32_t>(needed);
        if (!buf || capacity == 0)
            return NsslError::OK;
        if (capacity < needed)
            return NsslError::INSUFFICIENT_SIZE;
        auto dst = call.memory().span(buf, out.needed_);
        if (!dst)
            return NsslError::INVALID_ARG;
        out.dst_ = *dst;
        return NsslError::OK;
    }

    /// Only after a successful check(): the bytes (unless only the size was asked) and the size.
    void write(std::span<const std::uint8_t> data) const
    {
        if (dst_)
            std::copy(data.begin(), data.end(), dst_->begin());
        reportSize();
    }
    void reportSize() const { *size_ = needed_; }

private:
    be32* size_ = nullptr;
    std::uint32_t needed_ = 0;
    std::optional<std::span<std::uint8_t>> dst_;
};

/// A certificate export: the DER into a SizedOutput, then the type (0 = DER) when asked for.
template <class Source>
NsslError copyCertificateOut(Call& call, Source&& source, GuestPtr<std::uint8_t> buf, GuestPtr<be32> inoutSize,
                             GuestPtr<bei32> outCertType)
{
    if (outCertType && !call.memory().object(outCertType))
        return NsslError::INVALID_ARG;
    auto der = source();
    if (!der)
        return der.error();
    SizedOutput out;
    const NsslError e = SizedOutput::check(call, buf, inoutSize, der->size(), out);
    if (e == NsslError::INSUFFICIENT_SIZE)
        out.reportSize();
    if (e != NsslError::OK)
        return e;
    out.write(*der);
    if (outCertType)
        call.memory().store(outCertType, bei32(kCertTypeDer));
    return NsslError::OK;
}

NsslError NSSLGetPeerCert(Call& call, ConnectionHandle conn, GuestPtr<std::uint8_t> buf, GuestPtr<be32> inoutSize,
                          GuestPtr<bei32> outCertType)
{
    WIIU_REQUIRE_READY(call)
    return copyCertificateOut(call, [&] { return nssl(call).peerCertificate(conn); }, buf, inoutSize, outCertType);
}

NsslError NSSLGetCipherInfo(Call& call, ConnectionHandle conn, GuestPtr<GuestCipherInfo> out)
{
    WIIU_REQUIRE_READY(call)
    GuestCipherInfo* info = call.memory().object(out);
    if (!info)
        return NsslError::INVALID_ARG;
    auto cipher = nssl(call).cipherInfo(conn);
    if (!cipher)
        return cipher.error();
    GuestCipherInfo result{};
    result.suite = cipher->suite;
    result.version = cipher->version;
    std::memcpy(result.name, cipher->name.data(), std::min(cipher->name.size(), sizeof result.name - 1));
    *info = result;
    return NsslError::OK;
}

HandleOrError NSSLGetSession(Call& call, ConnectionHandle conn)
{
    if (!nssl(call).ready())
        return handleOrError(NsslError::LIB_NOT_READY);
    return handleOrError(nssl(call).getSession(conn));
}

NsslError NSSLSetSession(Call& call, ConnectionHandle conn, SessionHandle session)
{
    return nssl(call).setSession(conn, session);
}

NsslError NSSLFreeSession(Call& call, SessionHandle session)
{
    return nssl(call).freeSession(session);
}

NsslError NSSLRemoveSession(Call& call, SessionHandle session)
{
    return nssl(call).removeSession(session);
}

NsslError NSSLExportInternalServerCertificate(Call& call, std::int32_t certId, GuestPtr<std::uint8_t> buf,
                                              GuestPtr<be32> inoutSize, GuestPtr<bei32> outCertType)
{
    WIIU_REQUIRE_READY(call)
    if (!outCertType || !inoutSize)
        return NsslError::INVALID_ARG;  // checked before the ID, as decaf's nsysnet wrapper does
    return copyCertificateOut(call, [&] { return nssl(call).exportServerCertificate(certId); }, buf, inoutSize,
                              outCertType);
}

NsslError NSSLExportInternalClientCertificate(Call& call, std::int32_t certId, GuestPtr<std::uint8_t> certBuf,
                                              GuestPtr<be32> inoutCertSize, GuestPtr<bei32> outCertType,
                                              GuestPtr<std::uint8_t> keyBuf, GuestPtr<be32> inoutKeySize,
                                              GuestPtr<bei32> outKeyType)
{
    WIIU_REQUIRE_READY(call)
    // Both types are required, as decaf's nsysnet wrapper checks before the ID reaches IOS.
    if (!call.memory().object(outCertType) || !call.memory().object(outKeyType) ||
        !call.memory().object(inoutCertSize) || !call.memory().object(inoutKeySize))
        return NsslError::INVALID_ARG;
    auto exported = nssl(call).exportClientCertificate(certId);
    if (!exported)
        return exported.error();
    // Both outputs are checked before either is written, so a refusal leaves both untouched; a
    // buffer too small for its part reports both sizes.
    SizedOutput cert, key;
    const NsslError certCheck = SizedOutput::check(call, certBuf, inoutCertSize, exported->certDer.size(), cert);
    const NsslError keyCheck = SizedOutput::check(call, keyBuf, inoutKeySize, exported->keyDer.size(), key);
    if (certCheck == NsslError::INVALID_ARG || keyCheck == NsslError::INVALID_ARG)
        return NsslError::INVALID_ARG;
    if (certCheck == NsslError::INSUFFICIENT_SIZE || keyCheck == NsslError::INSUFFICIENT_SIZE) {
        cert.reportSize();
        key.reportSize();
        return NsslError::INSUFFICIENT_SIZE;
    }
    cert.write(exported->certDer);
    key.write(exported->keyDer);
    call.memory().store(outCertType, bei32(kCertTypeDer));
    call.memory().store(outKeyType, bei32(kKeyTypeDer));
    return NsslError::OK;
}

}  // namespace

void registerExports(guest::ImportTableBuilder& table)
{
    static constexpr guest::ExportDef kExports[] = {
        WIIU_EXPORT(NSSLInit),
        WIIU_EXPORT(NSSLFinish),
        WIIU_EXPORT(NSSLCreateContext),
        WIIU_EXPORT(NSSLDestroyContext),
        WIIU_EXPORT(NSSLSetClientPKI),
        WIIU_EXPORT(NSSLSetClientPKIExternal),
        WIIU_EXPORT(NSSLAddServerPKI),
        WIIU_EXPORT(NSSLAddServerPKIExternal),
        WIIU_EXPORT(NSSLAddServerPKIGroups),
        WIIU_EXPORT(NSSLCreateConnection),
        WIIU_EXPORT(NSSLDestroyConnection),
        WIIU_EXPORT(NSSLDoHandshake),
        WIIU_EXPORT(NSSLRead),
        WIIU_EXPORT(NSSLWrite),
        WIIU_EXPORT(NSSLGetPending),
        WIIU_EXPORT(NSSLGetPeerCertSize),
        WIIU_EXPORT(NSSLGetPeerCert),
        WIIU_EXPORT(NSSLGetCipherInfo),
        WIIU_EXPORT(NSSLGetSession),
        WIIU_EXPORT(NSSLSetSession),
        WIIU_EXPORT(NSSLFreeSession),
        WIIU_EXPORT(NSSLRemoveSession),
        WIIU_EXPORT(NSSLExportInternalServerCertificate),
        WIIU_EXPORT(NSSLExportInternalClientCertificate),
        // Signatures unknown (docs/abi.md).
        WIIU_NOT_IMPLEMENTED("NSSLEncrypt"),
        WIIU_NOT_IMPLEMENTED("NSSLNSECEncrypt"),
    };
    table.add({guest::ExportPart::Nssl, "nsysnet", log::Channel::nssl, failure::nssl, kExports});
    registerNets2Exports(table);
}

}  // namespace wiiu::nssl
