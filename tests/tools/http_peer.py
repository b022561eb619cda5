# An HTTP-over-TLS server on 127.0.0.1 that ends each reply in one chosen way, for the probe's
# transfer tests. Python's ssl (OpenSSL) is the peer; the misbehaviour is at the TCP level.
#
#   http_peer.py PORT CERT KEY MODE BODY_BYTES      (CERT: the certificate followed by its chain)
#   http_peer.py PORT CERT KEY MODE @FILE           the body is FILE's content, sent in the same
#                                                   record as the headers (and read as it goes)
#
# MODE: clean      headers + body, then close_notify
#       full-fin   headers + body, then FIN without close_notify
#       half-fin   headers + half the body, then FIN without close_notify
#       reset      headers + half the body, then RST (SO_LINGER 0)
#       stall      headers + half the body, then silence until killed
#       no-tls     accept TCP, never answer (the handshake stalls)
#       no-read    handshake, then never read (the client's writes fill the buffers)
#       echo       read BODY_BYTES bytes (no HTTP), send them back, then close_notify
import os, socket, ssl, struct, sys, threading, time

port, cert, key, mode, body = sys.argv[1:6]
body_file = body[1:] if body.startswith("@") else None
body = os.path.getsize(body_file) if body_file else int(body)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.set_ciphers("DEFAULT@SECLEVEL=0")
ctx.load_cert_chain(cert, key)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if mode == "no-read":  # accepted sockets inherit it: the client's writes block sooner
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(("127.0.0.1", int(port)))
srv.listen(8)
print("READY", flush=True)


def reply(s):
    request = b""
    while b"\r\n\r\n" not in request:
        d = s.recv(4096)
        if not d:
            return False
        request += d
    headers = (b"HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n"
               b"Content-Length: %d\r\n\r\n" % body)
    sent = body if mode in ("clean", "full-fin") else body // 2
    if body_file:
        with open(body_file, "rb") as f:
            data = headers + f.read(min(sent, 65536))
            while data:
                s.sendall(data)
                sent -= len(data) - len(headers)
                headers = b""
                data = f.read(min(sent, 65536)) if sent > 0 else b""
        return True
    s.sendall(headers)
    chunk = b"x" * 65536
    while sent > 0:
        n = min(sent, len(chunk))
        s.sendall(chunk[:n])
        sent -= n
    return True


def serve(c):
    try:
        if mode == "no-tls":
            time.sleep(3600)
        s = ctx.wrap_socket(c, server_side=True)
        print("HANDSHAKE", flush=True)
        if mode == "no-read":
            time.sleep(3600)
        if mode == "echo":
            data = bytearray()
            while len(data) < body:
                d = s.recv(min(body - len(data), 1 << 20))
                if not d:
                    break
                data += d
            s.sendall(data)
            s.unwrap().close()
            print("DONE", mode, len(data), flush=True)
            return
        if not reply(s):
            return
        if mode == "clean":
            s.unwrap().close()
        elif mode in ("full-fin", "half-fin"):
            s.shutdown(socket.SHUT_WR)  # drops the TLS layer first: a bare FIN
            time.sleep(1)
        elif mode == "reset":
            time.sleep(0.3)  # let the half body arrive before the RST
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()  # without unwrap(): no close_notify
        elif mode == "stall":
            time.sleep(3600)
        print("DONE", mode, flush=True)
    except Exception as e:
        print("ERROR", type(e).__name__, e, flush=True)


while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
