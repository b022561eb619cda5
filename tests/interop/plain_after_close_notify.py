# A TLS server (Python's ssl over memory BIOs) that sends, in one TCP write, an application-data
# record "hello", its close_notify and then the plain bytes "PLAIN", and closes the connection.
# The client must leave "PLAIN" in its socket: bytes after a close_notify belong to whoever
# reads the socket next, not to the TLS engine.
#
#   plain_after_close_notify.py PORT CERT KEY       (CERT: the certificate followed by its chain)
import socket, ssl, sys

port, cert, key = sys.argv[1:4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(port)))
srv.listen(4)
print("READY", flush=True)
while True:
    s, _ = srv.accept()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_side=True)
    try:
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                s.sendall(outgoing.read())
                data = s.recv(16384)
                if not data:
                    raise ConnectionError("client left during the handshake")
                incoming.write(data)
        tls.write(b"hello")
        try:
            tls.unwrap()  # queues our close_notify; the client's answer is not awaited
        except ssl.SSLWantReadError:
            pass
        s.sendall(outgoing.read() + b"PLAIN")
    except (OSError, ssl.SSLError) as e:
        print("connection failed:", e, flush=True)
    finally:
        s.close()
