#!/usr/bin/env python3
"""Opens N keep-alive connections to a server, each after one answered request, and holds them
idle while the caller measures the server; prints "open N" once all are open, then waits for
stdin to close.

    bench/idle_connections.py HOST PORT N

Each connection sends `GET /healthz` and reads its answer first, so that the server holds it as
an idle keep-alive connection, not as a new one waiting for its first request.
"""
import resource
import socket
import sys


def main():
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    request = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"
    held = []
    for i in range(count):
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(4096)
            if not chunk:
                sys.exit(f"connection {i} closed before its answer")
            answer += chunk
        if not answer.startswith(b"HTTP/1.1 200"):
            sys.exit(f"connection {i}: {answer.splitlines()[0].decode(errors='replace')}")
        held.append(s)
    print(f"open {len(held)}", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
