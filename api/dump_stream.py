"""A dump streamed from the store as it is serialised, with memory bounded: for the stores whose
dumps are not kept as files (api/dump_files.py), an external server's above all.

pyoxigraph serialises in a worker thread and hands chunks over a bounded queue; gzip compresses
chunk by chunk on the way out.
"""
from __future__ import annotations

import queue
import threading
import zlib
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

# gzip at zlib's default level: streamed, each request compresses afresh.
STREAMED_GZIP_LEVEL = 6


class _Stopped(Exception):
    """The consumer went away (a HEAD, a client that hung up): serialising stops."""


class _QueueWriter:
    def __init__(self, q: "queue.Queue[bytes | None]", stopped: threading.Event):
        self.q, self.stopped = q, stopped

    def write(self, data: bytes) -> int:
        if not _hand_over(self.q, bytes(data), self.stopped):
            raise _Stopped
        return len(data)

    def flush(self) -> None:
        pass


def _hand_over(q: "queue.Queue[bytes | None]", item: bytes | None, stopped: threading.Event) -> bool:
    """Put `item` on the queue unless the consumer stops first; whether it was put."""
    while not stopped.is_set():
        try:
            q.put(item, timeout=0.5)
            return True
        except queue.Full:
            continue
    return False


def serialize_stream(make_items: Callable[[], Iterable], fmt: ox.RdfFormat) -> Iterator[bytes]:
    """Serialise in a worker thread and hand chunks over a bounded queue: memory stays flat.
    A consumer that stops early (the generator is closed) stops the worker too."""
    q: "queue.Queue[bytes | None]" = queue.Queue(maxsize=64)
    failure: list[BaseException] = []
    stopped = threading.Event()

    def work() -> None:
        try:
            ox.serialize(make_items(), output=_QueueWriter(q, stopped), format=fmt)
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the consumer, which re-raises it
            failure.append(exc)
        finally:
            _hand_over(q, None, stopped)

    threading.Thread(target=work, daemon=True).start()
    try:
        buffer = bytearray()
        while (chunk := q.get()) is not None:
            buffer += chunk
            if len(buffer) >= 1 << 16:
                yield bytes(buffer)
                buffer.clear()
        if failure:
            raise failure[0]
        if buffer:
            yield bytes(buffer)
    finally:
        stopped.set()


def gzipped(chunks: Iterable[bytes], level: int = STREAMED_GZIP_LEVEL) -> Iterator[bytes]:
    """gzip (wbits 31: a gzip header with no time in it, so the same input gives the same bytes)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    for chunk in chunks:
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush()


__all__ = ["serialize_stream", "gzipped"]
