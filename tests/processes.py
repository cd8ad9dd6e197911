"""For tests that start real processes (a web server, a worker, the checkout stand-in)."""

import socket


def free_port() -> int:
    """A port nothing on this machine listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
