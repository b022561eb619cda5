/* guest_rt.h - the whole "C runtime" of the PowerPC guest test programs (freestanding, no libc).
 *
 * Imports work the way an RPL import section does: guest_rt.c holds a table of {library, name}
 * string pairs in the section ".wiiu_imports" and a same-sized array of function pointers in
 * ".wiiu_import_ptrs"; the program header (".wiiu_header", first in the image) tells the loader
 * where both are. The loader resolves each pair through wiiu::importTable().find() and writes the
 * address of a `blr` stub into the pointer array; the wrappers below call through it.
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

/* ---- the program header the loader reads ---- */
#define GUEST_MAGIC 0x57555047u /* 'WUPG' */
struct guest_header {
    u32 magic;
    u32 entry;          /* int guest_main(const struct guest_params *) */
    u32 imports_begin;  /* struct guest_import[] */
    u32 imports_end;
    u32 import_ptrs;    /* void *[] of the same count, filled by the loader */
    u32 bss_begin;      /* zeroed by the loader */
    u32 bss_end;
};
struct guest_import {
    const char *library;
    const char *name;
};

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
 * "host" is the test harness's own pseudo-library: host_nop does nothing (the benchmark's
 * baseline), host_echo returns its argument (registers read and written, no import table), host_barrier returns 0 once every guest thread of the run has reached it (else 1). */
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

/* ---- the import wrappers ---- */
enum guest_import_index {
#define GUEST_IMPORT_ENUM(lib, ret, name, params, args) GUEST_IMPORT_##name,
    GUEST_IMPORTS(GUEST_IMPORT_ENUM)
#undef GUEST_IMPORT_ENUM
    GUEST_IMPORT_COUNT
};
extern void *wiiu_import_ptrs[GUEST_IMPORT_COUNT];

#define GUEST_IMPORT_WRAPPER(lib, ret, name, params, args)                           \
    static inline ret name params                                                    \
    {                                                                                \
        return ((ret(*) params)wiiu_import_ptrs[GUEST_IMPORT_##name]) args;          \
    }
GUEST_IMPORTS(GUEST_IMPORT_WRAPPER)
#undef GUEST_IMPORT_WRAPPER

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

/* The program's entry point. Each guest thread gets its own stack; programs keep no mutable
 * globals, so several guest threads can run one image at once. */
int guest_main(struct guest_params *p);

#endif
