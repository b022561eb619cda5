// The NSSL service's sessions (NSSLGetSession & co.) and the console store's certificate exports.
#include "hle/nssl/service.h"

namespace wiiu::nssl {

Result<SessionHandle> Service::getSession(ConnectionHandle conn)
{
    auto found = connectionFor(conn);
    if (!found)
        return fail(found.error());
    Connection& connection = **found;
    auto parameters = connection.sessionParameters();
    if (!parameters)
        return fail(NsslError::NO_SESSION);  // no completed handshake, or the server gave no session ID
    std::vector<pki::Bytes> chain = connection.peerChain();

    auto session = std::make_shared<Session>();
    session->context = connection.context();
    session->parameters = std::move(*parameters);
    session->peerChain = std::move(chain);
    session->references = 1;

    std::lock_guard lock(mutex_);
    // NSSLFinish or NSSLDestroyConnection may have run since the lookup: a session handed out
    // now would outlive the library state it belongs to.
    if (!ready_)
        return fail(NsslError::LIB_NOT_READY);
    if (connections_.find(conn) != *found)
        return fail(NsslError::INVALID_NSSL_CONNECTION);
    // The same connection asked before and its own session still holds that handle: one more
    // reference to it (a freed handle may since hold another connection's session).
    const auto& obtained = connection.obtainedSession();
    if (auto existing = sessions_.find(obtained.handle); existing && existing == obtained.session.lock()) {
        ++existing->references;
        return obtained.handle;
    }
    auto handle = sessions_.insert(session);
    if (!handle)
        return fail(NsslError::RESOURCE_LIMIT);
    connection.rememberObtainedSession(*handle, session);
    return *handle;
}

NsslError Service::setSession(ConnectionHandle conn, SessionHandle session)
{
    auto connection = connectionFor(conn);
    if (!connection)
        return connection.error();
    std::shared_ptr<Session> s;
    {
        std::lock_guard lock(mutex_);
        s = sessions_.find(session);
    }
    if (!s || s->context.lock() != (*connection)->context())
        return NsslError::INVALID_NSSL_SESSION;  // freed, never issued, or of another context
    if (s->removed)
        return NsslError::NO_SESSION;
    return (*connection)->offerSession(std::move(s));
}

Result<std::shared_ptr<Session>> Service::sessionLocked(SessionHandle session) const
{
    if (!ready_)
        return fail(NsslError::LIB_NOT_READY);
    auto s = sessions_.find(session);
    if (!s)
        return fail(NsslError::INVALID_NSSL_SESSION);
    return s;
}

NsslError Service::freeSession(SessionHandle session)
{
    std::lock_guard lock(mutex_);
    auto s = sessionLocked(session);
    if (!s)
        return s.error();
    if (--(*s)->references <= 0)
        sessions_.erase(session);
    return NsslError::OK;
}

NsslError Service::removeSession(SessionHandle session)
{
    std::lock_guard lock(mutex_);
    auto s = sessionLocked(session);
    if (!s)
        return s.error();
    (*s)->removed = true;
    return NsslError::OK;
}

namespace {

NsslError exportErrorCode(certstore::ExportError e)
{
    switch (e) {
    case certstore::ExportError::UnknownId:
        return NsslError::INVALID_CERT_ID2;
    case certstore::ExportError::NoAccess:
        return NsslError::CERT_NO_ACCESS;
    case certstore::ExportError::NotExportable:
        return NsslError::CERT_NOT_EXPORTABLE;
    case certstore::ExportError::WrongType:
        return NsslError::INVALID_CERT_TYPE;
    case certstore::ExportError::WrongEncoding:
        return NsslError::INVALID_CERT_ENCODING;
    }
    return NsslError::CERT_STORE_ERROR;
}

}  // namespace

Result<std::span<const std::uint8_t>> Service::exportServerCertificate(std::int32_t certId)
{
    {
        std::lock_guard lock(mutex_);
        if (!ready_)
            return fail(NsslError::LIB_NOT_READY);
    }
    auto der = store_->exportServerCertificate(certId, config_.caller ? &*config_.caller : nullptr);
    if (!der)
        return fail(exportErrorCode(der.error()));
    return *der;
}

Result<certstore::ClientExport> Service::exportClientCertificate(std::int32_t certId)
{
    {
        std::lock_guard lock(mutex_);
        if (!ready_)
            return fail(NsslError::LIB_NOT_READY);
    }
    auto exported = store_->exportClientCertificate(certId, config_.caller ? &*config_.caller : nullptr);
    if (!exported)
        return fail(exportErrorCode(exported.error()));
    return *exported;
}

}  // namespace wiiu::nssl
