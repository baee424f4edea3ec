"""How the main thread waits while idle: one small interface, one short module per toolkit."""

from .base import EventLoop, ZmqLoop

__all__ = ["EventLoop", "ZmqLoop"]
