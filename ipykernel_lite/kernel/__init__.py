"""The kernel process: sockets around the protocol core, user code on the main thread."""
