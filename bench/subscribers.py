"""Extra IOPub subscribers in a process of their own: ``python -m bench.subscribers URL COUNT``.

Each of COUNT SUB sockets subscribes to everything and reads as fast as it can, like the other front ends of a
shared kernel (a second notebook view, a monitor, a variable explorer). The process prints ``ready`` once every
socket has received a message (so every subscription has reached the kernel), then reads until stdin closes.
A separate process keeps their reading off the measuring client's GIL.
"""

from __future__ import annotations

import sys
import threading

import zmq


def main(argv: list[str]) -> int:
    url, count = argv[0], int(argv[1])
    ctx = zmq.Context()
    socks = []
    for _ in range(count):
        sock = ctx.socket(zmq.SUB)
        sock.linger = 0
        sock.setsockopt(zmq.RCVHWM, 0)
        sock.setsockopt(zmq.SUBSCRIBE, b"")
        sock.connect(url)
        socks.append(sock)
    poller = zmq.Poller()
    for sock in socks:
        poller.register(sock, zmq.POLLIN)
    stop = threading.Event()
    # stdin closing (the bench ends, or dies) is the signal to stop
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    waiting = set(socks)
    while not stop.is_set():
        for sock, _ in poller.poll(100):
            while True:
                try:
                    sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
            if waiting:
                waiting.discard(sock)
                if not waiting:
                    print("ready", flush=True)
    ctx.destroy(linger=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
