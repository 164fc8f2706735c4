"""Threads for network requests, which a run stopped by Ctrl-C does not wait for.

concurrent.futures' ThreadPoolExecutor joins its threads when the interpreter exits, so a run
interrupted while a request was in flight waited for that request's answer or its timeout (30 s by
default), and leaving its `with` block ran every queued task first. These threads are daemon
threads: after Ctrl-C the command prints its line and ends; a request in flight ends with the
process, and what it would have kept is fetched again by the next run (a half-written file is a
temporary one, which the next run removes).
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future


class RequestThreads:
    """submit() and map() as an Executor has them, on `workers` daemon threads."""

    def __init__(self, workers: int, name: str = "requests"):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{n}", daemon=True)
                         for n in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable, *args) -> Future:
        future: Future = Future()
        self._queue.put((future, fn, args))
        return future

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        """fn(item) for each item, in order; what has not started when the caller stops is cancelled."""
        futures = [self.submit(fn, item) for item in items]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()

    def shutdown(self) -> None:
        """Cancel what has not started; each thread ends after the task it is on (not waited for)."""
        while True:
            try:
                task = self._queue.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task[0].cancel()
        for _ in self._threads:
            self._queue.put(None)

    def __enter__(self) -> RequestThreads:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    def _work(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            future, fn, args = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on the future
                future.set_exception(exc)
            else:
                future.set_result(result)
