"""Sans-IO heartbeat bookkeeping: when to ping, which echo counts, how many misses mean dead.

Pings go out only while a caller is waiting on the kernel, so an idle client costs the kernel nothing, and the
first ping of a wait is due one interval in: short requests never ping at all.
"""

from __future__ import annotations


class HeartMonitor:
    def __init__(self, interval: float = 0.5, max_misses: int = 3) -> None:
        self.interval = interval
        self.max_misses = max_misses
        self.misses = 0
        self._counter = 0
        self._outstanding: bytes | None = None
        self._sent_at = 0.0
        self._next_due = 0.0
        self._last_tick = float("-inf")

    @property
    def dead(self) -> bool:
        return self.misses >= self.max_misses

    def begin(self, now: float) -> None:
        """A wait starts. After a pause longer than two intervals, earlier misses no longer count."""
        if now - self._last_tick > 2 * self.interval:
            self.misses = 0
            self._outstanding = None
            self._next_due = now + self.interval
        self._last_tick = now

    def tick(self, now: float) -> bytes | None:
        """Return a ping payload to send now, or None."""
        self._last_tick = now
        if self._outstanding is not None:
            if now - self._sent_at < self.interval:
                return None
            self.misses += 1
        elif now < self._next_due:
            return None
        self._counter += 1
        token = f"ping-{self._counter}".encode()
        self._outstanding = token
        self._sent_at = now
        return token

    def echo(self, token: bytes, now: float) -> None:
        if token == self._outstanding:
            self.alive(now)

    def alive(self, now: float) -> None:
        """Any sign of life (an echo, any message) clears the misses."""
        self.misses = 0
        self._outstanding = None
        self._next_due = now + self.interval
