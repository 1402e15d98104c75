"""Inspecting many image files fast: the cache first, then a process pool (or this process for few files)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from wizard.datacheck.cache import FileCache
from wizard.datacheck.dataset import Item
from wizard.datacheck.report import ScanStats

Progress = Callable[[int, int], None]
MIN_FILES_FOR_POOL = 512  # below this, starting processes costs more than it saves
MAX_DEFAULT_WORKERS = 8
STOP_GRACE_S = 5.0


def default_workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_WORKERS))


def inspect_items(items: list[Item], root: Path, *, workers: int | None, use_cache: bool,
                  progress: Progress | None) -> tuple[dict[str, tuple[Any, ...]], ScanStats]:
    """Path -> inspection result for every item's file (each file read once even if listed twice)."""
    files: dict[str, Item] = {}
    for item in items:
        files.setdefault(item.path, item)
    total = len(files)
    workers = workers or default_workers()
    cache = FileCache(root).load() if use_cache else None
    results: dict[str, tuple[Any, ...]] = {}
    todo: list[str] = []
    for path, item in files.items():
        hit = cache.get(item.name, item.size, item.mtime_ns) if cache else None
        if hit is None:
            todo.append(path)
        else:
            results[path] = hit
    cached = len(results)
    if progress:
        progress(cached, total)
    if todo:
        step = max(1, total // 200)
        for done, (index, result) in enumerate(_run(todo, workers), start=cached + 1):
            results[todo[index]] = result
            if progress and (done % step == 0 or done == total):
                progress(done, total)
    if cache is not None:
        for path in todo:
            item = files[path]
            cache.put(item.name, item.size, item.mtime_ns, results[path])
        cache.keep_only({item.name for item in files.values()})
        cache.save()
    return results, ScanStats(files=total, decoded=len(todo), cached=cached,
                              workers=workers if len(todo) >= MIN_FILES_FOR_POOL else 1)


def _run(paths: list[str], workers: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(index into paths, result) pairs, in completion order."""
    from wizard.datacheck import imagefile

    tasks = list(enumerate(paths))
    if workers <= 1 or len(paths) < MIN_FILES_FOR_POOL:
        yield from imagefile.inspect_many(tasks)
        return
    chunksize = max(16, min(256, len(tasks) // (workers * 8)))
    held = _hold_signals()
    try:
        pool = _context().Pool(workers, initializer=imagefile.init_worker)
    except BaseException:
        _release_signals(held)
        raise
    try:
        _release_signals(held)  # a Ctrl-C that came meanwhile is raised here, inside the `try` that stops the pool
        yield from pool.imap_unordered(imagefile.inspect_indexed, tasks, chunksize=chunksize)
    finally:
        _stop(pool)


def _stop(pool: Any) -> None:
    """Pool.terminate(), in bounded time. It first takes the task queue's lock, which a worker killed from
    outside (a SIGTERM to the whole process group, the OOM killer) can hold forever; so it runs in a daemon
    thread, and after a grace period the remaining workers are killed and that thread is left behind (it
    does not keep the process alive)."""
    stopper = threading.Thread(target=pool.terminate, name="scan-pool-stop", daemon=True)
    stopper.start()
    stopper.join(STOP_GRACE_S)
    if stopper.is_alive():
        for worker in list(getattr(pool, "_pool", ())):
            if worker.exitcode is None:
                worker.kill()


def _hold_signals() -> set[signal.Signals] | None:
    """Block Ctrl-C and SIGTERM while the pool starts (None: not possible here). A worker is born with them
    blocked and unblocks them in its initializer, once it ignores SIGINT (the parent tears the pool down)
    and dies on SIGTERM: no signal finds a worker still running the parent's handlers (which printed
    `ForkPoolWorker ... KeyboardInterrupt` tracebacks), and none interrupts the parent halfway through
    starting the pool, before the `try` that stops it."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def _release_signals(previous: set[signal.Signals] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _context() -> Any:
    """fork where it is safe (a single-threaded process: fast start); otherwise forkserver or spawn,
    because forking a process with other threads (the UI runs scans in a worker thread) can deadlock."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["wizard.datacheck.imagefile"])
        return ctx
    return multiprocessing.get_context("spawn")
