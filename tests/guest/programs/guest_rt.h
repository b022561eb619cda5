/* guest_rt.h - the whole "C runtime" of the PowerPC guest test programs (freestanding, no libc).
 *
 * The programs are RPX files: crt0.S is the start-up code, rpx.ld the layout, and every call to a
 * library goes through an import stub that tools/import_stubs generated from the module's export
 * list (nsysnet, nn_nets2) or the runner's own list (runner_imports.txt: coreinit, host). elf2rpx
 * turns the linked ELF into the RPX; the runner's loader binds each stub by library and name.
 * The programs are compiled with -mlongcall -mno-pltseq: a call to an import (at 0xC0000000, beyond a bl's
 * reach) loads the address with lis/addi, relocated like any other address.
 *
 * Everything the guest sees is big-endian: the guest is a big-endian PowerPC, so plain C structs
 * laid out like the console's are already in the console's byte order.
 */
#ifndef WIIU_GUEST_RT_H
#define WIIU_GUEST_RT_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef signed int s32;
typedef unsigned long size_t;

#define NULL ((void *)0)
#define BAD_PTR ((void *)0xFFFFFFF0u) /* outside guest memory: every export must refuse it */

/* ---- what the host passes in r3 (written by the host test, big-endian) ---- */
struct guest_params {
    u32 port;          /* 0x00 TLS server on 127.0.0.1 */
    u32 ca_der;        /* 0x04 guest address of the root CA (DER) */
    u32 ca_der_size;   /* 0x08 */
    u32 root_cert_id;  /* 0x0C internal ID of the same root in the certificate store */
    u32 leaf_der;      /* 0x10 the server's leaf certificate (DER), for comparisons */
    u32 leaf_der_size; /* 0x14 */
    u32 flags;         /* 0x18 GUEST_FLAG_* */
    u32 count;         /* 0x1C loop count (benchmark) */
    u32 out[8];        /* 0x20 values the program reports back to the host */
};
#define GUEST_FLAG_SHARED_LIB 0x1 /* another guest thread owns NSSLInit/NSSLFinish: skip Finish */

/* ---- imports: X(library, return type, name, (parameters), (arguments)) ----
 * The library is for the reader: the stub a call binds to names it (tools/import_stubs).
 * "host" is the test runner's own pseudo-library: host_nop does nothing (the benchmark's
 * baseline), host_echo returns its argument (registers read and written, no import table),
 * host_barrier returns 0 once every guest thread of the run has reached it (else 1). */
#define GUEST_IMPORTS(X)                                                                          \
    X("nsysnet", s32, socket_lib_init, (void), ())                                                \
    X("nsysnet", s32, socket_lib_finish, (void), ())                                              \
    X("nsysnet", s32, socket, (s32 f, s32 t, s32 p), (f, t, p))                                   \
    X("nsysnet", s32, connect, (s32 fd, const void *a, s32 l), (fd, a, l))                        \
    X("nsysnet", s32, socketclose, (s32 fd), (fd))                                                \
    X("nsysnet", s32, socketlasterr, (void), ())                                                  \
    X("nsysnet", s32, setsockopt, (s32 fd, s32 lv, s32 o, const void *v, s32 l), (fd, lv, o, v, l)) \
    X("nsysnet", s32, getsockopt, (s32 fd, s32 lv, s32 o, void *v, s32 *l), (fd, lv, o, v, l))    \
    X("nsysnet", s32, select, (s32 n, u32 *r, u32 *w, u32 *e, struct timeval *t), (n, r, w, e, t)) \
    X("nsysnet", s32, getaddrinfo, (const char *n, const char *s, const struct addrinfo *h,       \
                                    struct addrinfo **res), (n, s, h, res))                       \
    X("nsysnet", void, freeaddrinfo, (struct addrinfo *a), (a))                                   \
    X("nsysnet", u32, ntohl, (u32 v), (v))                                                        \
    X("nsysnet", s32, NSSLInit, (void), ())                                                       \
    X("nsysnet", s32, NSSLFinish, (void), ())                                                     \
    X("nsysnet", s32, NSSLCreateContext, (s32 version), (version))                                \
    X("nsysnet", s32, NSSLDestroyContext, (s32 ctx), (ctx))                                       \
    X("nsysnet", s32, NSSLAddServerPKI, (s32 ctx, s32 id), (ctx, id))                             \
    X("nsysnet", s32, NSSLAddServerPKIExternal, (s32 ctx, const void *c, s32 s, s32 t), (ctx, c, s, t)) \
    X("nsysnet", s32, NSSLAddServerPKIGroups, (s32 ctx, u32 m, s32 *v, s32 *i), (ctx, m, v, i))   \
    X("nsysnet", s32, NSSLCreateConnection, (s32 ctx, const char *h, s32 hl, s32 o, s32 fd, s32 b), \
      (ctx, h, hl, o, fd, b))                                                                     \
    X("nsysnet", s32, NSSLDestroyConnection, (s32 c), (c))                                        \
    X("nsysnet", s32, NSSLDoHandshake, (s32 c), (c))                                              \
    X("nsysnet", s32, NSSLRead, (s32 c, void *b, s32 l, s32 *o), (c, b, l, o))                    \
    X("nsysnet", s32, NSSLWrite, (s32 c, const void *b, s32 l, s32 *o), (c, b, l, o))             \
    X("nsysnet", s32, NSSLGetPending, (s32 c, s32 *o), (c, o))                                    \
    X("nsysnet", s32, NSSLGetPeerCertSize, (s32 c, s32 *o), (c, o))                               \
    X("nsysnet", s32, NSSLGetPeerCert, (s32 c, void *b, u32 *io, s32 *t), (c, b, io, t))          \
    X("nsysnet", s32, NSSLGetCipherInfo, (s32 c, struct nssl_cipher_info *o), (c, o))             \
    X("nsysnet", s32, NSSLGetSession, (s32 c), (c))                                               \
    X("nsysnet", s32, NSSLSetSession, (s32 c, s32 s), (c, s))                                     \
    X("nsysnet", s32, NSSLFreeSession, (s32 s), (s))                                              \
    X("host", void, host_nop, (void), ())                                                         \
    X("host", u32, host_echo, (u32 v), (v))                                                       \
    X("host", s32, host_barrier, (void), ())

/* ---- console structures (big-endian by construction) ---- */
struct sockaddr_in {
    u16 sin_family;
    u16 sin_port;
    u32 sin_addr;
    u8 sin_zero[8];
};
struct timeval {
    s32 tv_sec;
    s32 tv_usec;
};
struct addrinfo { /* nsysnet order: canonname (0x14) before addr (0x18) */
    s32 ai_flags;
    s32 ai_family;
    s32 ai_socktype;
    s32 ai_protocol;
    u32 ai_addrlen;
    char *ai_canonname;
    struct sockaddr_in *ai_addr;
    struct addrinfo *ai_next;
};
struct nssl_cipher_info {
    u16 suite;
    u16 version;
    char name[64];
};
typedef char guest_check_addrinfo_size[sizeof(struct addrinfo) == 0x20 ? 1 : -1];
typedef char guest_check_cipher_size[sizeof(struct nssl_cipher_info) == 68 ? 1 : -1];

#define AF_INET 2
#define SOCK_STREAM 1
#define IPPROTO_TCP 6
#define SOL_SOCKET (-1)
#define SO_TYPE 0x1008
#define SO_NONBLOCK 0x1016
#define SO_EINPROGRESS 22
#define SO_EFAULT 29
#define SO_ELIBNOTREADY 43
#define SO_EBADF 49

#define NSSL_ERR(n) (-(0x280000 + (n)))
#define NSSL_OK 0
#define NSSL_ERROR_INVALID_NSSL_CONTEXT NSSL_ERR(0x01)
#define NSSL_ERROR_INVALID_CERT_ID NSSL_ERR(0x02)
#define NSSL_ERROR_INVALID_NSSL_CONNECTION NSSL_ERR(0x04)
#define NSSL_ERROR_WANT_READ NSSL_ERR(0x07)
#define NSSL_ERROR_WANT_WRITE NSSL_ERR(0x08)
#define NSSL_ERROR_INVALID_FD NSSL_ERR(0x10)
#define NSSL_ERROR_LIB_NOT_READY NSSL_ERR(0x11)
#define NSSL_ERROR_NO_PEER_CERT NSSL_ERR(0x18)
#define NSSL_ERROR_INSUFFICIENT_SIZE NSSL_ERR(0x19)
#define NSSL_ERROR_NO_CIPHER NSSL_ERR(0x1a)
#define NSSL_ERROR_INVALID_ARG NSSL_ERR(0x1b)
#define NSSL_ERROR_INVALID_NSSL_SESSION NSSL_ERR(0x1c)
#define NSSL_ERROR_PROCESS_MAX_CONTEXTS NSSL_ERR(0x2d)

/* ---- the imports' prototypes ---- */
#define GUEST_IMPORT_PROTOTYPE(lib, ret, name, params, args) ret name params;
GUEST_IMPORTS(GUEST_IMPORT_PROTOTYPE)
#undef GUEST_IMPORT_PROTOTYPE
void exit(int status); /* coreinit: the runner ends the guest thread here (crt0.S calls it) */

/* ---- libc-free helpers (guest_rt.c); gcc emits memcpy/memset calls for struct copies ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

/* ---- verdicts: return 0 for pass, else the number of the first failed check ---- */
#define check(cond, code)      \
    do {                       \
        if (!(cond))           \
            return (code);     \
    } while (0)

/* The program's entry point, called by crt0.S. Each guest thread gets its own stack; the test
 * programs keep no mutable globals, so several guest threads can run one image at once.
 * (nssl-selftest takes argc/argv instead and defines GUEST_RT_NO_MAIN.) */
#ifndef GUEST_RT_NO_MAIN
int guest_main(struct guest_params *p);
#endif

#endif
