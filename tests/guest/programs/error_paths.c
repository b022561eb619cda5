/* Error paths as a guest sees them: calls before init, bad handles, bad pointers (NULL and
 * 0xFFFFFFF0, outside guest memory), and the per-process context limit.
 * out[0]: contexts created before the limit; out[1]: the 33rd NSSLCreateContext's result. */
#include "guest_rt.h"

int guest_main(struct guest_params *p)
{
    s32 ctxs[40];
    s32 ctx, fd, i, n, value, len, valid = 77;
    struct nssl_cipher_info info;

    /* Before any init. */
    check(NSSLCreateContext(0) == NSSL_ERROR_LIB_NOT_READY, 1);
    check(NSSLDestroyContext(0) == NSSL_ERROR_LIB_NOT_READY, 2);
    check(NSSLRead(0, BAD_PTR, 16, BAD_PTR) == NSSL_ERROR_LIB_NOT_READY, 3);
    check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) == -1, 4);
    check(socketlasterr() == SO_ELIBNOTREADY, 5);

    check(socket_lib_init() == 0, 6);
    check(NSSLInit() == NSSL_OK, 7);
    check(NSSLInit() == NSSL_OK, 8); /* idempotent */

    /* Bad handles. */
    check(NSSLDestroyContext(5) == NSSL_ERROR_INVALID_NSSL_CONTEXT, 10);
    check(NSSLDestroyContext(-1) == NSSL_ERROR_INVALID_NSSL_CONTEXT, 11);
    check(NSSLDestroyConnection(7) == NSSL_ERROR_INVALID_NSSL_CONNECTION, 12);
    check(NSSLGetCipherInfo(3, &info) == NSSL_ERROR_INVALID_NSSL_CONNECTION, 13);
    check(NSSLFreeSession(9) == NSSL_ERROR_INVALID_NSSL_SESSION, 14);
    check(NSSLCreateContext(9) == NSSL_ERROR_INVALID_ARG, 15); /* no such version */
    check(socketclose(17) == -1 && socketlasterr() == SO_EBADF, 16);

    ctx = NSSLCreateContext(0);
    check(ctx >= 0, 20);
    check(NSSLAddServerPKI(ctx, 99999) == NSSL_ERROR_INVALID_CERT_ID, 21);
    check(NSSLAddServerPKI(ctx + 1, (s32)p->root_cert_id) == NSSL_ERROR_INVALID_NSSL_CONTEXT, 22);
    check(NSSLCreateConnection(ctx, "localhost", 9, 0, 17, 1) == NSSL_ERROR_INVALID_FD, 23);

    /* Bad pointers: refused, and nothing written. */
    check(NSSLAddServerPKIExternal(ctx, NULL, 16, 0) == NSSL_ERROR_INVALID_ARG, 30);
    check(NSSLAddServerPKIExternal(ctx, BAD_PTR, 16, 0) == NSSL_ERROR_INVALID_ARG, 31);
    check(NSSLAddServerPKIExternal(ctx, (const void *)p->ca_der, 0x7FFFFFFF, 0) != NSSL_OK, 32);
    check(NSSLAddServerPKIGroups(ctx, 0x1, BAD_PTR, NULL) == NSSL_ERROR_INVALID_ARG, 33);
    check(NSSLAddServerPKIGroups(ctx, 0x1, &valid, BAD_PTR) == NSSL_ERROR_INVALID_ARG && valid == 77, 34);
    fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check(fd > 0, 36);
    check(NSSLCreateConnection(ctx, BAD_PTR, 9, 0, fd, 1) == NSSL_ERROR_INVALID_ARG, 37);
    len = 4;
    check(getsockopt(fd, SOL_SOCKET, SO_TYPE, BAD_PTR, &len) == -1 && socketlasterr() == SO_EFAULT, 38);
    check(getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, BAD_PTR) == -1, 39);
    check(connect(fd, BAD_PTR, 16) == -1 && socketlasterr() == SO_EFAULT, 40);
    check(socketclose(fd) == 0, 41);

    /* An unconnected handshake target: the connection exists but has no peer certificate yet. */
    fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check(fd > 0, 42);
    i = NSSLCreateConnection(ctx, "localhost", 9, 0, fd, 1);
    check(i >= 0, 43);
    check(NSSLGetPeerCertSize(i, &n) == NSSL_ERROR_NO_PEER_CERT, 44);
    check(NSSLGetCipherInfo(i, &info) == NSSL_ERROR_NO_CIPHER, 45);
    n = NSSLGetCipherInfo(i, BAD_PTR); /* either refusal is fine; never a write */
    check(n == NSSL_ERROR_INVALID_ARG || n == NSSL_ERROR_NO_CIPHER, 46);
    check(NSSLGetPending(i, BAD_PTR) == NSSL_ERROR_INVALID_ARG, 47);
    NSSLDestroyConnection(i); /* never connected: OK or SSL_SHUTDOWN_ERROR, freed either way */
    check(NSSLGetPending(i, &n) == NSSL_ERROR_INVALID_NSSL_CONNECTION, 49);
    check(socketclose(fd) == 0, 50);

    /* The context limit: 32 per process, the 33rd is refused. */
    ctxs[0] = ctx;
    for (i = 1; i < 40; ++i) {
        ctxs[i] = NSSLCreateContext(0);
        if (ctxs[i] < 0)
            break;
    }
    p->out[0] = (u32)i;
    p->out[1] = (u32)ctxs[i < 40 ? i : 39];
    check(i == 32, 60);
    check(ctxs[32] == NSSL_ERROR_PROCESS_MAX_CONTEXTS, 61);
    check(NSSLDestroyContext(ctxs[5]) == NSSL_OK, 62);
    n = NSSLCreateContext(0);
    check(n == ctxs[5], 63); /* the lowest free handle is reused */
    ctxs[5] = n;
    for (i = 0; i < 32; ++i)
        check(NSSLDestroyContext(ctxs[i]) == NSSL_OK, 64);

    /* After NSSLFinish everything is refused again. */
    check(NSSLFinish() == NSSL_OK, 70);
    check(NSSLCreateContext(0) == NSSL_ERROR_LIB_NOT_READY, 71);
    check(NSSLGetPending(0, BAD_PTR) == NSSL_ERROR_LIB_NOT_READY, 72);
    return 0;
}
