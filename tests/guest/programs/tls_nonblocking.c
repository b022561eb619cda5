/* The flow in non-blocking mode: a non-blocking connect, then every NSSL call retried after a
 * select() on the direction NSSL asks for (WANT_READ -> readfds, WANT_WRITE -> writefds).
 * out[0]: the connection; out[1]: WANT_READ seen; out[2]: WANT_WRITE seen; out[3]: selects. */
#include "guest_rt.h"

static const char kHost[] = "localhost";
static const char kRequest[] = "non-blocking hello from a PowerPC guest";

/* Waits (at most 5 s) until fd is ready the way `code` asks; 0 on success. */
static int wait_for(struct guest_params *p, s32 fd, s32 code)
{
    u32 rd = 0, wr = 0, mask = 1u << fd;
    struct timeval tv;
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    if (code == NSSL_ERROR_WANT_READ) {
        rd = mask;
        p->out[1]++;
    } else {
        wr = mask;
        p->out[2]++;
    }
    p->out[3]++;
    if (select(fd + 1, rd ? &rd : NULL, wr ? &wr : NULL, NULL, &tv) != 1)
        return 1;
    return ((rd | wr) & mask) ? 0 : 1;
}

#define RETRY(p, fd, expr, code)                                                  \
    do {                                                                          \
        s32 r_;                                                                   \
        while ((r_ = (expr)) == NSSL_ERROR_WANT_READ || r_ == NSSL_ERROR_WANT_WRITE) \
            check(wait_for(p, fd, r_) == 0, (code) + 50);                         \
        check(r_ == NSSL_OK, code);                                               \
    } while (0)

int guest_main(struct guest_params *p)
{
    struct sockaddr_in sa;
    s32 one = 1, value = -1, len = 4, fd, ctx, conn, n, got, r;
    char reply[64];
    const s32 reqlen = (s32)strlen(kRequest);

    check(socket_lib_init() == 0, 1);
    fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check(fd > 0, 2);
    check(setsockopt(fd, SOL_SOCKET, SO_NONBLOCK, &one, 4) == 0, 3);
    check(getsockopt(fd, SOL_SOCKET, SO_NONBLOCK, &value, &len) == 0 && value == 1, 4);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = (u16)p->port;
    sa.sin_addr = 0x7F000001u;
    r = connect(fd, &sa, sizeof sa);
    check(r == 0 || socketlasterr() == SO_EINPROGRESS, 5);

    check(NSSLInit() == NSSL_OK, 6);
    ctx = NSSLCreateContext(0);
    check(ctx >= 0, 7);
    check(NSSLAddServerPKIExternal(ctx, (const void *)p->ca_der, (s32)p->ca_der_size, 0) == NSSL_OK, 8);
    conn = NSSLCreateConnection(ctx, kHost, (s32)strlen(kHost), 0x7, fd, 0);
    check(conn >= 0, 9);
    p->out[0] = (u32)conn;

    RETRY(p, fd, NSSLDoHandshake(conn), 10);
    n = 0;
    RETRY(p, fd, NSSLWrite(conn, kRequest, reqlen, &n), 11);
    check(n == reqlen, 12);
    for (got = 0; got < reqlen; got += n) {
        n = 0;
        RETRY(p, fd, NSSLRead(conn, reply + got, (s32)sizeof reply - got, &n), 13);
        check(n > 0, 14);
    }
    check(got == reqlen && memcmp(reply, kRequest, (size_t)reqlen) == 0, 15);
    check(p->out[1] > 0, 16); /* the handshake must have waited for the server at least once */

    /* Nothing more is coming: a read now must say WANT_READ, not block. */
    n = 0;
    check(NSSLRead(conn, reply, (s32)sizeof reply, &n) == NSSL_ERROR_WANT_READ, 17);
    check(NSSLGetPending(conn, &n) == NSSL_OK && n == 0, 18);

    check(NSSLDestroyConnection(conn) == NSSL_OK, 19);
    check(socketclose(fd) == 0, 20);
    check(NSSLDestroyContext(ctx) == NSSL_OK, 21);
    check(NSSLFinish() == NSSL_OK, 22);
    return 0;
}
