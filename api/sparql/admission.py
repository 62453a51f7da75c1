"""Fair admission of queries: each client its share, everyone a short wait at most.

A client (by address: behind a proxy, the address uvicorn takes from X-Forwarded-For, which it
trusts from the proxies of --forwarded-allow-ips only) runs at most PER_CLIENT queries at once;
with PER_CLIENT_WAITING more waiting, anything beyond is refused at once with 429 and
Retry-After: one client's flood never fills the queue. Across clients at most `capacity` run;
the others wait, at most WAIT seconds (then 503), and a freed place goes to the waiting client
with the fewest queries running, first come first served among equals. Decided on the event
loop, so no lock is needed.
"""
from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import AsyncIterator

from .protocol import ProtocolError

PER_CLIENT = 2
PER_CLIENT_WAITING = 4
MAX_WAITING = 64
WAIT = 2.0
RETRY_AFTER = "2"


@dataclass(eq=False)
class _Waiter:
    client: str
    order: int
    granted: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class Admission:
    def __init__(self, capacity: int, per_client: int = PER_CLIENT, per_client_waiting: int = PER_CLIENT_WAITING,
                 wait: float = WAIT, what: str = "queries"):
        self.capacity, self.per_client, self.wait, self.what = capacity, per_client, wait, what
        self.per_client_admitted = per_client + per_client_waiting
        self._running: Counter[str] = Counter()
        self._admitted: Counter[str] = Counter()
        self._waiting: list[_Waiter] = []
        self._order = itertools.count()

    @property
    def running(self) -> int:
        return sum(self._running.values())

    def _may_run(self, client: str) -> bool:
        return self.running < self.capacity and self._running[client] < self.per_client

    def _grant(self, client: str) -> None:
        self._running[client] += 1

    def _release(self, client: str) -> None:
        self._running[client] -= 1
        if not self._running[client]:
            del self._running[client]
        self._dispatch()

    def _dispatch(self) -> None:
        while self._waiting and self.running < self.capacity:
            ready = [w for w in self._waiting if self._running[w.client] < self.per_client]
            if not ready:
                return
            chosen = min(ready, key=lambda w: (self._running[w.client], w.order))
            self._waiting.remove(chosen)
            self._grant(chosen.client)
            chosen.granted.set_result(True)

    @asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        """Hold a place to run one query; ProtocolError(429) or (503) when none is to be had."""
        if self._admitted[client] >= self.per_client_admitted:
            raise ProtocolError(429, f"too many {self.what} from {client} at once: at most {self.per_client} run and "
                                     f"{self.per_client_admitted - self.per_client} wait per client; "
                                     "send the next when one has been answered", {"Retry-After": RETRY_AFTER})
        if not self._may_run(client) and len(self._waiting) >= MAX_WAITING:
            raise ProtocolError(503, f"too many {self.what} are waiting to run; try again in a moment",
                                {"Retry-After": RETRY_AFTER})
        self._admitted[client] += 1
        try:
            await self._enter(client)
            try:
                yield
            finally:
                self._release(client)
        finally:
            self._admitted[client] -= 1
            if not self._admitted[client]:
                del self._admitted[client]

    async def _enter(self, client: str) -> None:
        if self._may_run(client) and not self._waiting:
            self._grant(client)
            return
        waiter = _Waiter(client, next(self._order))
        self._waiting.append(waiter)
        self._dispatch()  # places may be free for this client even though others wait
        try:
            await asyncio.wait_for(asyncio.shield(waiter.granted), self.wait)
        except (asyncio.TimeoutError, asyncio.CancelledError) as exc:
            if waiter in self._waiting:
                self._waiting.remove(waiter)
            if waiter.granted.done():  # granted just as the wait ended: give the place back
                self._release(client)
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise ProtocolError(503, f"every place to run {self.what} is taken and none came free within {self.wait:g} s; "
                                     "try again in a moment", {"Retry-After": RETRY_AFTER}) from None
