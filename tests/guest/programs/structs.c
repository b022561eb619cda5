/* Struct-heavy calls, with the big-endian results read in the guest: getaddrinfo's chain,
 * getsockopt, NSSLGetCipherInfo's 68-byte record and NSSLGetPeerCert(Size).
 * out[0]: cipher suite; out[1]: version; out[2]: peer certificate size; out[3]: addrinfo entries;
 * out[4]: the first four bytes of the cipher name. */
#include "guest_rt.h"

static const char kHost[] = "localhost";

static int check_addrinfo(struct guest_params *p)
{
    struct addrinfo hints, *res = NULL, *ai;
    u32 entries = 0;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    check(getaddrinfo("localhost", "443", &hints, &res) == 0, 1);
    check(res != NULL, 2);
    for (ai = res; ai; ai = ai->ai_next) {
        ++entries;
        check(ai->ai_family == AF_INET, 3);
        check(ai->ai_socktype == SOCK_STREAM, 4);
        check(ai->ai_addrlen == 16, 5);
        check(ai->ai_addr != NULL, 6);
        check(ai->ai_addr->sin_family == AF_INET, 7);
        check(ai->ai_addr->sin_port == 443, 8);
        check(ai->ai_addr->sin_addr == 0x7F000001u, 9);
        check(ntohl(ai->ai_addr->sin_addr) == 0x7F000001u, 10); /* big-endian guest: identity */
        check(entries < 16, 11);
    }
    p->out[3] = entries;
    check(entries == 1, 12);
    freeaddrinfo(res);
    check(getaddrinfo("localhost", NULL, &hints, BAD_PTR) != 0, 13);
    return 0;
}

int guest_main(struct guest_params *p)
{
    struct sockaddr_in sa;
    struct nssl_cipher_info info;
    u8 cert[4096];
    s32 fd, ctx, conn, value, len, type, size, r, i;
    u32 io;

    check(socket_lib_init() == 0, 20);
    r = check_addrinfo(p);
    if (r)
        return r;

    fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check(fd > 0, 21);
    value = -1;
    len = 4;
    check(getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, &len) == 0, 22);
    check(value == SOCK_STREAM && len == 4, 23);
    value = -1;
    check(getsockopt(fd, SOL_SOCKET, SO_NONBLOCK, &value, &len) == 0 && value == 0, 24);

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = (u16)p->port;
    sa.sin_addr = 0x7F000001u;
    check(connect(fd, &sa, sizeof sa) == 0, 25);

    check(NSSLInit() == NSSL_OK, 26);
    ctx = NSSLCreateContext(0);
    check(ctx >= 0, 27);
    check(NSSLAddServerPKI(ctx, (s32)p->root_cert_id) == NSSL_OK, 28);
    conn = NSSLCreateConnection(ctx, kHost, (s32)strlen(kHost), 0x7, fd, 1);
    check(conn >= 0, 29);
    check(NSSLDoHandshake(conn) == NSSL_OK, 30);

    /* NSSLGetCipherInfo: u16 suite, u16 version, char name[64]. */
    memset(&info, 0xAA, sizeof info);
    check(NSSLGetCipherInfo(conn, &info) == NSSL_OK, 31);
    check(info.suite != 0 && info.suite != 0xAAAA, 32);
    check(info.version >= 0x0301 && info.version <= 0x0303, 33);
    check(strncmp(info.name, "TLS_", 4) == 0, 34);
    for (i = 0; i < 64 && info.name[i]; ++i) {
    }
    check(i > 4 && i < 64, 35); /* NUL-terminated inside the field */
    p->out[0] = info.suite;
    p->out[1] = info.version;
    memcpy(&p->out[4], info.name, 4);

    /* Peer certificate: size, too-small buffer, the DER itself. */
    size = -1;
    check(NSSLGetPeerCertSize(conn, &size) == NSSL_OK, 40);
    check(size == (s32)p->leaf_der_size, 41);
    p->out[2] = (u32)size;
    io = 0;
    check(NSSLGetPeerCert(conn, NULL, &io, &type) == NSSL_OK && io == (u32)size, 42);
    io = 16;
    check(NSSLGetPeerCert(conn, cert, &io, &type) == NSSL_ERROR_INSUFFICIENT_SIZE, 43);
    check(io == (u32)size, 44);
    check((u32)size <= sizeof cert, 45);
    io = sizeof cert;
    type = -1;
    check(NSSLGetPeerCert(conn, cert, &io, &type) == NSSL_OK, 46);
    check(io == (u32)size && type == 0, 47);
    check(memcmp(cert, (const void *)p->leaf_der, (size_t)size) == 0, 48);
    check(cert[0] == 0x30, 49); /* a DER SEQUENCE */
    io = sizeof cert;
    check(NSSLGetPeerCert(conn, BAD_PTR, &io, &type) == NSSL_ERROR_INVALID_ARG, 50);

    check(NSSLDestroyConnection(conn) == NSSL_OK, 51);
    check(socketclose(fd) == 0, 52);
    check(NSSLDestroyContext(ctx) == NSSL_OK, 53);
    check(NSSLFinish() == NSSL_OK, 54);
    check(socket_lib_finish() == 0, 55);
    return 0;
}
