#!/usr/bin/env python3
"""Writes the seed scripts of the import_table fuzz target (corpus/import_table/).

    WIIU_FUZZ_PRINT_EXPORTS=1 build-fuzz/bin/fuzz_import_table -runs=0 > /tmp/exports.txt
    fuzz/make_import_table_seeds.py /tmp/exports.txt

The input format is described in import_table_fuzz.cpp; exports are chosen by their position in
name order, which the fuzz target prints.
"""
import pathlib
import struct
import sys

names = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 3 and parts[0].isdigit():
        names[parts[2]] = int(parts[0])


def small(v):  # -4..27
    return bytes([((v + 4) << 3) | 0])


def result(k):  # the k-th call's result (ring of 16)
    return bytes([(k << 3) | 1])


def ptr(off):  # guest data + off
    return bytes([2]) + struct.pack('<H', off)


def tail(k):  # the last k bytes of guest memory (k < 32): outputs that straddle the end
    return bytes([(k << 3) | 3])


def raw(v):
    return bytes([4]) + struct.pack('<I', v & 0xffffffff)


def script(data, calls, flags=0):
    out = struct.pack('<H', len(data)) + data + bytes([flags])
    for name, args in calls:
        out += struct.pack('<H', names[name]) + bytes([len(args) - 1 if args else 0])
        for a in args or [small(0)]:
            out += a
        out += bytes(16)  # stack words
    return out


sockaddr = struct.pack('>HHI', 2, 1, 0x7F000001) + bytes(8)  # odd port: the listener
# Offset 100 onwards: size words the outputs are given (4 KiB each).
data = sockaddr + b'localhost\0'.ljust(16, b'\0') + bytes(68) + struct.pack('>IIII', 4096, 4096, 4096, 4096) + bytes(12)
# Results: 0 NSSLInit, 1 socket_lib_init, then one per call.
tls = [
    ('NSSLCreateContext', [small(0)]),                                       # 2 ctx
    ('socket', [small(2), small(1), small(6)]),                              # 3 fd
    ('connect', [result(3), ptr(0), small(16)]),                             # 4
    ('NSSLCreateConnection', [result(2), ptr(16), small(9), small(7), result(3), small(0)]),  # 5 conn
    ('NSSLDoHandshake', [result(5)]),
    ('NSSLRead', [result(5), ptr(32), small(27), ptr(100)]),
    ('NSSLGetPending', [result(5), ptr(100)]),
    ('NSSLGetCipherInfo', [result(5), ptr(32)]),
    ('socketclose', [result(3)]),
    ('NSSLWrite', [result(5), ptr(32), small(8), ptr(100)]),
    ('NSSLDestroyConnection', [result(5)]),
    ('NSSLDestroyContext', [result(2)]),
]
root = pathlib.Path(__file__).resolve().parent
cert = (root / 'data' / 'root.der').read_bytes()
pki = [
    ('NSSLCreateContext', [small(0)]),                                       # 2
    ('NSSLAddServerPKIExternal', [result(2), ptr(128), raw(len(cert)), small(0)]),
    ('NSSLAddServerPKIGroups', [result(2), small(7), ptr(100), ptr(104)]),
    ('NSSLAddCRLExternal', [result(2), ptr(128), raw(len(cert)), small(0)]),
    ('NSSLContextSetFlags', [result(2), small(3)]),
    ('NSSLSetClientPKIExternal', [result(2), ptr(128), raw(len(cert)), small(0), ptr(128), raw(64), small(0)]),
    ('NSSLExportInternalServerCertificate', [raw(100), ptr(32), ptr(100), ptr(104)]),
    ('NSSLGetSession', [small(0)]),
    ('NSSLSetSession', [small(0), small(0)]),
    ('NSSLFreeSession', [small(0)]),
    ('NSSLFinish', []),
]
sockets = [
    ('socket', [small(2), small(2), small(17)]),                             # 2 udp
    ('sendto', [result(2), ptr(32), small(16), small(0), ptr(0), small(16)]),
    ('setsockopt', [result(2), raw(0xFFFF), raw(0x1016), ptr(100), small(4)]),
    ('recvfrom', [result(2), ptr(32), small(20), small(0), ptr(48), ptr(100)]),
    ('socket', [small(2), small(1), small(6)]),                              # 6 tcp
    ('select', [small(8), ptr(100), ptr(104), small(0), ptr(108)]),
    ('connect', [result(6), ptr(0), small(16)]),
    ('send', [result(6), ptr(32), small(20), small(0)]),
    ('recv', [result(6), ptr(32), small(20), small(0)]),
    ('getsockopt', [result(6), raw(0xFFFF), raw(0x1007), ptr(100), ptr(104)]),
    ('inet_ntoa', [raw(0x7F000001)]),
    ('socketclose', [result(2)]),
]
# The console's option table (issue 18): every new number, both directions, odd lengths.
options = [
    ('socket', [small(2), small(1), small(6)]),                              # 2 tcp
    ('socket', [small(2), small(2), small(17)]),                             # 3 udp
] + [
    (call, [result(fd), lvl, raw(name), ptr(100), small(4) if call == 'setsockopt' else ptr(104)])
    for fd in (2, 3)
    for lvl, name in ((raw(0xFFFFFFFF), 0x400), (raw(0xFFFFFFFF), 0x4000), (raw(0xFFFFFFFF), 0x1001),
                      (raw(0xFFFFFFFF), 0x1003), (raw(0xFFFFFFFF), 0x1009), (raw(0xFFFFFFFF), 0x1010),
                      (raw(0xFFFFFFFF), 0x1013), (raw(0xFFFFFFFF), 0x80), (small(6), 0x2001),
                      (small(6), 0x2002), (small(6), 0x2005))
    for call in ('setsockopt', 'getsockopt')
] + [
    ('setsockopt', [result(2), raw(0xFFFFFFFF), raw(0x80), tail(4), small(8)]),   # linger straddling the end
    ('getsockopt', [result(2), raw(0xFFFFFFFF), raw(0x1013), tail(2), ptr(104)]),
    ('get_h_errno', []),
]
# The resolver calls (issue 18); the harness turns every node into a name answered locally.
resolver = [
    ('getaddrinfo_async', [ptr(16), small(0), small(0), ptr(100)]),
    ('getaddrinfo_async_rs', [ptr(16), ptr(16), ptr(32), ptr(100)]),
    ('getaddrinfo_rs', [ptr(16), small(0), small(0), tail(2)]),
    ('freeaddrinfo', [result(2)]),
    ('dns_abort_by_hname', [ptr(16)]),
    ('dns_abort_by_hname', [tail(1)]),
    ('clear_resolver_cache', []),
    ('gai_strerror', [small(15)]),
    ('netconf_get_ifstate', [small(0), ptr(100)]),
]
tls_sockaddr = struct.pack('>HHI', 2, 2, 0x7F000001) + bytes(8)  # port 2 mod 4: the TLS server
tls_data = tls_sockaddr + data[16:]
# Two handshaken connections interleaving NSSLGetSession / NSSLFreeSession on reused handles.
sessions = [
    ('NSSLCreateContext', [small(0)]),                                       # 2 ctx
    ('NSSLContextSetFlags', [result(2), small(0)]),
    ('socket', [small(2), small(1), small(6)]),                              # 4 fd A
    ('connect', [result(4), ptr(0), small(16)]),
    ('NSSLCreateConnection', [result(2), ptr(16), small(9), small(0), result(4), small(1)]),  # 6 A
    ('NSSLDoHandshake', [result(6)]),
    ('socket', [small(2), small(1), small(6)]),                              # 8 fd B
    ('connect', [result(8), ptr(0), small(16)]),
    ('NSSLCreateConnection', [result(2), ptr(16), small(9), small(0), result(8), small(1)]),  # 10 B
    ('NSSLDoHandshake', [result(10)]),
    ('NSSLGetSession', [result(6)]),                                         # 12 session of A
    ('NSSLFreeSession', [result(12)]),
    ('NSSLGetSession', [result(10)]),                                        # 14 B's, same handle
    ('NSSLGetSession', [result(6)]),
    ('NSSLGetPeerCert', [result(6), tail(8), ptr(100), ptr(104)]),           # straddles the end
    ('NSSLRemoveSession', [result(14)]),
    ('NSSLFreeSession', [result(14)]),
]
# Every output pointer just before the end of guest memory.
straddling = [
    ('NSSLCreateContext', [small(0)]),                                       # 2 ctx
    ('NSSLExportInternalServerCertificate', [raw(100), tail(16), ptr(100), ptr(104)]),
    ('NSSLExportInternalClientCertificate', [raw(7), ptr(32), ptr(100), ptr(104), tail(16), ptr(108), ptr(112)]),
    ('NSSLAddServerPKIGroups', [result(2), small(7), tail(2), ptr(104)]),
    ('inet_pton', [small(2), tail(5), ptr(100)]),
    ('inet_ntop', [small(2), ptr(100), tail(8), small(16)]),
    ('socket', [small(2), small(1), small(6)]),                              # 8 tcp
    ('getsockname', [result(8), tail(8), ptr(100)]),
    ('select', [small(8), tail(2), ptr(104), small(0), ptr(108)]),
    ('getsockopt', [result(8), raw(0xFFFF), raw(0x1007), tail(2), ptr(104)]),
]
out = root / 'corpus' / 'import_table'
out.mkdir(parents=True, exist_ok=True)
(out / 'tls_connection').write_bytes(script(data, tls))
(out / 'context_pki').write_bytes(script(data[:128].ljust(128, b'\0') + cert, pki))
(out / 'sockets').write_bytes(script(data, sockets))
(out / 'libraries_down').write_bytes(script(data, tls[:4], flags=3))
(out / 'sessions').write_bytes(script(tls_data, sessions))
(out / 'straddling_outputs').write_bytes(script(data, straddling))
(out / 'console_options').write_bytes(script(data, options))
(out / 'resolver_calls').write_bytes(script(data, resolver))
print('wrote', len(list(out.iterdir())), 'seeds')
