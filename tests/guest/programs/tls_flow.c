/* The seed's full NSSL flow, blocking: sockets, a context trusting the test root (internal ID,
 * group and external DER), a verified connection with an echo round trip, then a second
 * connection resuming the first one's session, and the teardown.
 * out[0], out[1]: the two connection handles; out[2]: the session handle; out[3]: CAs added by
 * NSSLAddServerPKIGroups. */
#include "guest_rt.h"

static const char kHost[] = "localhost";
static const char kRequest[] = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";

static s32 tcp_connect(u32 port)
{
    struct sockaddr_in sa;
    s32 fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = (u16)port;
    sa.sin_addr = 0x7F000001u;
    if (connect(fd, &sa, sizeof sa) != 0) {
        socketclose(fd);
        return -1;
    }
    return fd;
}

/* Writes the request, reads until the whole echo is back; 0 or a check number. */
static int round_trip(s32 conn, int base)
{
    char reply[128];
    s32 n = 0, got = 0;
    const s32 len = (s32)strlen(kRequest);
    check(NSSLWrite(conn, kRequest, len, &n) == NSSL_OK, base + 0);
    check(n == len, base + 1);
    while (got < len) {
        n = 0;
        check(NSSLRead(conn, reply + got, (s32)sizeof reply - got, &n) == NSSL_OK, base + 2);
        check(n > 0 && n <= len - got, base + 3);
        got += n;
    }
    check(memcmp(reply, kRequest, (size_t)len) == 0, base + 4);
    return 0;
}

int guest_main(struct guest_params *p)
{
    s32 valid = -1, invalid = -1, ctx, fd1, fd2, conn1, conn2, session, r;
    const int shared = (p->flags & GUEST_FLAG_SHARED_LIB) != 0;

    check(socket_lib_init() == 0, 1);
    check(NSSLInit() == NSSL_OK, 2);
    ctx = NSSLCreateContext(0);
    check(ctx >= 0, 3);
    check(NSSLAddServerPKI(ctx, (s32)p->root_cert_id) == NSSL_OK, 4);
    check(NSSLAddServerPKIGroups(ctx, 0x1, &valid, &invalid) == NSSL_OK, 5);
    check(valid >= 1 && invalid >= 0, 6);
    p->out[3] = (u32)valid;
    check(NSSLAddServerPKIExternal(ctx, (const void *)p->ca_der, (s32)p->ca_der_size, 0) == NSSL_OK, 7);

    /* First connection: full handshake, verified chain, host name and dates. */
    fd1 = tcp_connect(p->port);
    check(fd1 > 0, 8);
    conn1 = NSSLCreateConnection(ctx, kHost, (s32)strlen(kHost), 0x7, fd1, 1);
    check(conn1 >= 0, 9);
    p->out[0] = (u32)conn1;
    check(host_barrier() == 0, 50); /* every guest thread holds a live connection at this point */
    check(NSSLDoHandshake(conn1) == NSSL_OK, 10);
    r = round_trip(conn1, 11);
    if (r)
        return r;
    session = NSSLGetSession(conn1);
    check(session >= 0, 20);
    p->out[2] = (u32)session;
    check(NSSLGetSession(conn1) == session, 21); /* same handle, one more reference */
    check(NSSLFreeSession(session) == NSSL_OK, 22);
    check(NSSLDestroyConnection(conn1) == NSSL_OK, 23);
    check(socketclose(fd1) == 0, 24);

    /* Second connection: offers the session; the host checks that it resumed. */
    fd2 = tcp_connect(p->port);
    check(fd2 > 0, 30);
    conn2 = NSSLCreateConnection(ctx, kHost, (s32)strlen(kHost), 0x7, fd2, 1);
    check(conn2 >= 0, 31);
    p->out[1] = (u32)conn2;
    check(NSSLSetSession(conn2, session) == NSSL_OK, 32);
    check(NSSLDoHandshake(conn2) == NSSL_OK, 33);
    r = round_trip(conn2, 34);
    if (r)
        return r;
    check(NSSLFreeSession(session) == NSSL_OK, 40);
    check(NSSLSetSession(conn2, session) != NSSL_OK, 41); /* freed, and the handshake is done */
    check(NSSLDestroyConnection(conn2) == NSSL_OK, 42);
    check(socketclose(fd2) == 0, 43);

    check(NSSLDestroyContext(ctx) == NSSL_OK, 44);
    check(NSSLDestroyContext(ctx) == NSSL_ERROR_INVALID_NSSL_CONTEXT, 45);
    if (!shared) {
        check(NSSLFinish() == NSSL_OK, 46);
        check(NSSLCreateContext(0) == NSSL_ERROR_LIB_NOT_READY, 47);
    }
    return 0;
}
