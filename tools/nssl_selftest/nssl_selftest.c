/* nssl-selftest.rpx - a homebrew program that makes the NSSL and socket calls a game makes against
 * a server the user names, checks each answer the module documents (docs/abi.md) and reports each
 * check with OSReport ("PASS n name" / "FAIL n name: detail"). Its exit status is 0 when every
 * check passed, else the number of the first failed check.
 *
 * Arguments (argv, as a homebrew launcher passes them): [host [port]]; without them the server
 * the build was configured with (WIIU_NSSL_SELFTEST_HOST / _PORT, default localhost 443).
 * The server must present a chain to a CA of the console's groups 1|2 (Nintendo and commercial
 * CAs) for the host name; an echo or HTTP server answers the request it sends.
 *
 * Built with the guest programs' runtime (tests/guest/programs: crt0.S, rpx.ld, guest_rt.h) and
 * converted by elf2rpx. Run in the project's runner (tests/guest) and, not yet tried, on a console. */
#define GUEST_RT_NO_MAIN
#include "guest_rt.h"

#ifndef SELFTEST_HOST /* the build passes WIIU_NSSL_SELFTEST_HOST / _PORT */
#define SELFTEST_HOST "localhost"
#endif
#ifndef SELFTEST_PORT
#define SELFTEST_PORT 443u
#endif

void OSReport(const char *format, ...);

static int failed; /* the first failed check */

static int report(int ok, int number, const char *name, s32 detail)
{
    if (ok) {
        OSReport("PASS %d %s\n", number, name);
        return 1;
    }
    OSReport("FAIL %d %s: got %d (0x%x)\n", number, name, detail, (u32)detail);
    if (!failed)
        failed = number;
    return 0;
}

static u32 parse_port(const char *text)
{
    u32 port = 0;
    for (; *text >= '0' && *text <= '9'; ++text)
        port = port * 10 + (u32)(*text - '0');
    return port;
}

int guest_main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : SELFTEST_HOST;
    const u32 port = argc > 2 ? parse_port(argv[2]) : SELFTEST_PORT;
    static const char kRequestHead[] = "GET / HTTP/1.0\r\nHost: ";
    char request[160], reply[256];
    struct addrinfo hints, *res = NULL;
    struct sockaddr_in sa;
    struct nssl_cipher_info info;
    s32 r, fd = -1, ctx = -1, conn = -1, valid = -1, invalid = -1, n = 0, size = 0, got = 0;
    size_t hostLen = strlen(host), at = 0;

    OSReport("nssl-selftest: %s port %u\n", host, port);
    if (!report(hostLen > 0 && hostLen < 100 && port > 0 && port < 65536, 1, "arguments", (s32)port))
        return failed;
    r = socket_lib_init();
    report(r == 0, 2, "socket_lib_init", r);
    r = NSSLInit();
    report(r == NSSL_OK, 3, "NSSLInit", r);

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    r = getaddrinfo(host, NULL, &hints, &res);
    if (!report(r == 0 && res && res->ai_addr, 4, "getaddrinfo", r))
        return failed;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = (u16)port;
    sa.sin_addr = res->ai_addr->sin_addr;
    freeaddrinfo(res);

    fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (!report(fd > 0, 5, "socket", fd))
        return failed;
    r = connect(fd, &sa, sizeof sa);
    if (!report(r == 0, 6, "connect", socketlasterr()))
        return failed;

    ctx = NSSLCreateContext(0);
    if (!report(ctx >= 0, 7, "NSSLCreateContext", ctx))
        return failed;
    r = NSSLAddServerPKIGroups(ctx, 0x3, &valid, &invalid);
    report(r == NSSL_OK && valid > 0, 8, "NSSLAddServerPKIGroups(3)", r ? r : valid);
    OSReport("info: %d CAs added, %d of groups 1|2 missing\n", valid, invalid); /* a console: 0 missing */
    conn = NSSLCreateConnection(ctx, host, (s32)hostLen, 0x7, fd, 1); /* verify chain, name, dates */
    if (!report(conn >= 0, 9, "NSSLCreateConnection", conn))
        return failed;
    r = NSSLDoHandshake(conn);
    if (!report(r == NSSL_OK, 10, "NSSLDoHandshake", r))
        return failed;
    r = NSSLGetCipherInfo(conn, &info);
    report(r == NSSL_OK && info.name[0] != 0, 11, "NSSLGetCipherInfo", r);
    r = NSSLGetPeerCertSize(conn, &size);
    report(r == NSSL_OK && size > 0, 12, "NSSLGetPeerCertSize", r ? r : size);

    memcpy(request, kRequestHead, sizeof kRequestHead - 1);
    at = sizeof kRequestHead - 1;
    memcpy(request + at, host, hostLen);
    at += hostLen;
    memcpy(request + at, "\r\n\r\n", 4);
    at += 4;
    r = NSSLWrite(conn, request, (s32)at, &n);
    report(r == NSSL_OK && n == (s32)at, 13, "NSSLWrite", r ? r : n);
    r = NSSLRead(conn, reply, (s32)sizeof reply, &got);
    report(r == NSSL_OK && got > 0, 14, "NSSLRead", r ? r : got);

    r = NSSLDestroyConnection(conn);
    report(r == NSSL_OK, 15, "NSSLDestroyConnection", r);
    r = socketclose(fd);
    report(r == 0, 16, "socketclose", r);
    r = NSSLDestroyContext(ctx);
    report(r == NSSL_OK, 17, "NSSLDestroyContext", r);
    r = NSSLFinish();
    report(r == NSSL_OK, 18, "NSSLFinish", r);
    r = socket_lib_finish();
    report(r == 0, 19, "socket_lib_finish", r);
    OSReport(failed ? "nssl-selftest: FAILED (check %d)\n" : "nssl-selftest: all checks passed\n", failed);
    return failed;
}
