"""Fast pandoc conversions through long-lived ``pandoc lua`` processes.

Spawning pandoc for every document costs ~95 ms per DOCX, mostly the writer's start-up. Here a
small pool of ``pandoc lua pandoc_server.lua`` processes stays up and converts one request at a
time (see the protocol at the top of ``pandoc_server.lua``), ~35 ms per DOCX and ~10 ms per HTML
fragment.

Guarantees:

* processes start lazily, on the first conversion;
* thread-safe: a request holds one process of the pool from write to read;
* a process that died (crash, OOM killer, someone killed it) is restarted, and a request that
  found it dead mid-way is retried once on a fresh process;
* every request has a deadline; a process that misses it is killed and ``PandocTimeout`` raised;
* pandoc's own errors come back as ``PandocError`` carrying pandoc's message;
* fork-safe (RQ forks a work horse per job): a child never talks to processes its parent
  started. The pool remembers the pid that owns it and, in a child, drops the inherited
  processes (closing its copies of their pipes) and starts its own;
* capped per machine (the default runner): every web process and job of a machine shares
  ``VIDHUK_PANDOC_MACHINE_LIMIT`` slots (``MachineSlots``); a helper process holds one for its
  whole life, and an idle helper gives its slot up when another process waits for one, or after
  ``IDLE_SECONDS`` unused.

``convert_once`` runs the pandoc binary once per document: the slow, simple baseline.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import json
import os
import select
import subprocess
import tempfile
import threading
import time
import weakref
from pathlib import Path

SERVER_SCRIPT = Path(__file__).with_name("pandoc_server.lua")
#: The filter that removes images, raw markup, attributes and foreign links from every document
#: (the server applies it itself; ``convert_once`` passes it to pandoc).
UNTRUSTED_FILTER = Path(__file__).with_name("untrusted.lua")

# Markdown for letters: user-written text must not smuggle raw HTML/OpenXML/TeX into the output,
# set metadata (a title block could hold an image), or turn "@name" into a citation. The filter
# above is the second line: it cleans whatever the reader still produced.
SAFE_MARKDOWN = (
    "markdown-raw_html-raw_tex-raw_attribute-citations"
    "-yaml_metadata_block-pandoc_title_block-implicit_figures"
)

DEFAULT_TIMEOUT = 60.0  # seconds; generous because the first DOCX of a process is slower
#: A helper process unused this long stops (and frees its machine slot).
IDLE_SECONDS = 120.0
#: How often a waiting process retries the slots, and an idle helper checks for waiters.
_POLL_SECONDS = 0.05
_READ_CHUNK = 1 << 20
_STDERR_TAIL = 4000


class PandocError(RuntimeError):
    """pandoc failed; the message is pandoc's own (or why the process could not answer)."""


class PandocTimeout(PandocError):
    """pandoc did not answer before the deadline; its process was killed."""


class _ProcessDied(Exception):
    """The process closed its pipes: retry on a fresh one."""


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Path of the pandoc binary bundled with pypandoc_binary (looked up once)."""
    import pypandoc  # deferred: importing pypandoc is only needed to find the binary

    return pypandoc.get_pandoc_path()


def _remaining_ms(deadline: float) -> int:
    return max(0, int((deadline - time.monotonic()) * 1000))


class MachineSlots:
    """At most ``limit`` pandoc helper processes on this machine, whichever process starts
    them: a helper holds an exclusive lock (flock) on one of ``limit`` files in ``directory``
    for its whole life. The kernel releases the lock when its holder dies, so a crashed process
    never keeps a slot. A process waiting for a slot touches the file ``wanted``: idle helpers
    elsewhere see it and stop (``wanted_since``)."""

    def __init__(self, directory: str | Path, limit: int):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.directory = Path(directory)
        self.limit = limit
        self.directory.mkdir(parents=True, exist_ok=True)

    def acquire(self, deadline: float) -> int:
        """A locked slot's descriptor; waits until ``deadline`` (monotonic) for one."""
        while True:
            for i in range(self.limit):
                fd = os.open(self.directory / f"slot-{i}.lock", os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    os.close(fd)
            self._want()
            if time.monotonic() >= deadline:
                raise PandocTimeout("no pandoc slot on this machine became free in time")
            time.sleep(_POLL_SECONDS)

    @staticmethod
    def release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def _want(self) -> None:
        wanted = self.directory / "wanted"
        wanted.touch()
        os.utime(wanted)

    def wanted_since(self, moment: float) -> bool:
        """Whether some process has waited for a slot since ``moment`` (a time.time())."""
        try:
            return (self.directory / "wanted").stat().st_mtime >= moment
        except FileNotFoundError:
            return False

    def held(self) -> int:
        """How many slots are held now (by any process of the machine)."""
        held = 0
        for i in range(self.limit):
            fd = os.open(self.directory / f"slot-{i}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
            except BlockingIOError:
                held += 1
            finally:
                os.close(fd)
        return held


def machine_slots() -> MachineSlots:
    """The machine's slots: ``VIDHUK_PANDOC_MACHINE_LIMIT`` (default: the cores, at least 2)
    in ``VIDHUK_PANDOC_SLOTS_DIR`` (default: a folder of the user in the temporary directory)."""
    limit = int(os.environ.get("VIDHUK_PANDOC_MACHINE_LIMIT") or max(2, os.cpu_count() or 1))
    directory = os.environ.get("VIDHUK_PANDOC_SLOTS_DIR") or Path(
        tempfile.gettempdir(), f"vidhuk-pandoc-{os.getuid()}"
    )
    return MachineSlots(directory, limit)


class _Worker:
    """One ``pandoc lua`` process and the framing of its pipe protocol."""

    def __init__(self, argv: list[str], slots: MachineSlots | None = None):
        self._argv = argv
        self._proc: subprocess.Popen | None = None
        self._stderr = None
        self._buffer = bytearray()
        self._slots = slots
        self._slot: int | None = None
        #: When the process last finished a request (time.time()).
        self.used_at = 0.0

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, deadline: float) -> None:
        self.stop()
        if self._slots is not None:
            self._slot = self._slots.acquire(deadline)
        # stderr goes to a file, not a pipe nobody reads (a full pipe would block pandoc).
        self._stderr = tempfile.TemporaryFile()
        # bufsize=0: raw pipes, so the poll()-based reads below never miss buffered bytes.
        self._proc = subprocess.Popen(
            self._argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            bufsize=0,
        )
        os.set_blocking(self._proc.stdin.fileno(), False)
        self._buffer.clear()

    def stop(self) -> None:
        """Kill the process (if any) and release its pipes and files."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdin.close()
            proc.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        slot, self._slot = self._slot, None
        if slot is not None:
            self._slots.release(slot)

    def abandon_after_fork(self) -> None:
        """In a forked child: forget the parent's process without signalling it."""
        proc, self._proc = self._proc, None
        if proc is not None:
            # Closing unbuffered pipes only closes this child's copies of the descriptors.
            proc.stdin.close()
            proc.stdout.close()
            # Not our child: waitpid fails with ECHILD and poll() marks it finished, so the
            # Popen object neither warns nor waits for it when collected.
            proc.poll()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        slot, self._slot = self._slot, None
        if slot is not None:
            os.close(slot)  # not unlocked: the lock belongs to the parent's open file

    def stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0, os.SEEK_END)
        size = self._stderr.tell()
        self._stderr.seek(max(0, size - _STDERR_TAIL))
        return self._stderr.read().decode("utf-8", "replace").strip()

    def request(self, payload: bytes, deadline: float) -> tuple[bytes, bytes]:
        """Send one request line; return (status, body)."""
        if not self.running():
            self.start(deadline)
        self._write(payload, deadline)
        header = self._read_line(deadline)
        status, _, size = header.partition(b" ")
        if status not in (b"OK", b"ERR") or not size.isdigit():
            raise _ProcessDied(f"unexpected response header {header[:80]!r}")
        return status, self._read_exact(int(size), deadline)

    def _wait(self, fd: int, events: int, deadline: float) -> None:
        poller = select.poll()
        poller.register(fd, events)
        if not poller.poll(_remaining_ms(deadline)):
            raise PandocTimeout("pandoc did not answer in time")

    def _write(self, payload: bytes, deadline: float) -> None:
        fd = self._proc.stdin.fileno()
        view = memoryview(payload)
        while view:
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                self._wait(fd, select.POLLOUT, deadline)
            except (BrokenPipeError, ConnectionResetError) as exc:
                raise _ProcessDied("pandoc closed its input") from exc

    def _fill(self, deadline: float) -> None:
        fd = self._proc.stdout.fileno()
        self._wait(fd, select.POLLIN, deadline)
        chunk = os.read(fd, _READ_CHUNK)
        if not chunk:
            raise _ProcessDied("pandoc closed its output")
        self._buffer += chunk

    def _read_line(self, deadline: float) -> bytes:
        while (end := self._buffer.find(b"\n")) < 0:
            self._fill(deadline)
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return line

    def _read_exact(self, size: int, deadline: float) -> bytes:
        while len(self._buffer) < size:
            self._fill(deadline)
        body = bytes(self._buffer[:size])
        del self._buffer[:size]
        return body


class PandocRunner:
    """A pool of long-lived pandoc processes; safe to share between threads."""

    def __init__(
        self,
        *,
        pool_size: int = 1,
        timeout: float = DEFAULT_TIMEOUT,
        pandoc: str | None = None,
        script: Path = SERVER_SCRIPT,
        slots: MachineSlots | None = None,
        idle_seconds: float = IDLE_SECONDS,
    ):
        if pool_size < 1:
            raise ValueError("pool_size must be at least 1")
        self.timeout = timeout
        self.slots = slots
        self.idle_seconds = idle_seconds
        self._pool_size = pool_size
        self._pandoc = pandoc
        self._script = Path(script)
        self._reset()
        _RUNNERS.add(self)

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._cond = threading.Condition()
        self._workers: list[_Worker] | None = None  # built on first use (pandoc looked up then)
        self._idle: list[_Worker] = []
        self._reaper: threading.Thread | None = None

    def _after_fork_in_child(self) -> None:
        for worker in self._workers or ():
            worker.abandon_after_fork()
        self._reset()

    def _acquire(self, deadline: float) -> _Worker:
        if os.getpid() != self._pid:
            # Inherited across fork: another process's pandoc is not ours to use.
            self._after_fork_in_child()
        with self._cond:
            if self._workers is None:
                argv = [self._pandoc or pandoc_path(), "lua", str(self._script)]
                self._workers = [_Worker(argv, self.slots) for _ in range(self._pool_size)]
                self._idle = list(self._workers)
            while not self._idle:
                if not self._cond.wait(timeout=max(0.0, deadline - time.monotonic())):
                    raise PandocTimeout("no pandoc process became free in time")
            # LIFO: the warm process serves sequential callers; others start only under load.
            return self._idle.pop()

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            if self._workers is not None and worker in self._workers:
                worker.used_at = time.time()
                self._idle.append(worker)
                self._cond.notify()
                if self.slots is not None and worker.running():
                    self._start_reaper()

    def _start_reaper(self) -> None:
        if self._reaper is None or not self._reaper.is_alive():
            self._reaper = threading.Thread(
                target=self._reap, args=(os.getpid(),), name="pandoc-idle", daemon=True
            )
            self._reaper.start()

    def _reap(self, pid: int) -> None:
        """Stop idle helpers another process waits a slot for, or unused for idle_seconds;
        ends when no helper of this runner runs."""
        while os.getpid() == pid:
            time.sleep(_POLL_SECONDS)
            with self._cond:
                if pid != self._pid:
                    return
                for worker in self._idle:
                    if worker.running() and self._should_stop(worker):
                        worker.stop()
                if not any(w.running() for w in self._workers or ()):
                    self._reaper = None
                    return

    def _should_stop(self, worker: _Worker) -> bool:
        if time.time() - worker.used_at >= self.idle_seconds:
            return True
        return self.slots.wanted_since(worker.used_at)

    def pids(self) -> list[int]:
        """Pids of the running pandoc processes (for tests and memory reports)."""
        return [w.pid for w in self._workers or () if w.running() and w.pid is not None]

    def convert(
        self,
        text: str,
        to: str,
        *,
        from_format: str = "markdown",
        reader_options: dict | None = None,
        writer_options: dict | None = None,
        timeout: float | None = None,
    ) -> bytes:
        """Convert *text* from *from_format* to *to*; return pandoc's output bytes."""
        request = {"text": text, "from": from_format, "to": to}
        if reader_options:
            request["reader_options"] = reader_options
        if writer_options:
            request["writer_options"] = writer_options
        # ensure_ascii: the request is one ASCII line whatever the text holds.
        payload = json.dumps(request, ensure_ascii=True).encode("ascii") + b"\n"
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        worker = self._acquire(deadline)
        try:
            status, body = self._request(worker, payload, deadline)
        finally:
            self._release(worker)
        if status != b"OK":
            raise PandocError(body.decode("utf-8", "replace"))
        return body

    @staticmethod
    def _request(worker: _Worker, payload: bytes, deadline: float) -> tuple[bytes, bytes]:
        for attempt in (1, 2):
            try:
                return worker.request(payload, deadline)
            except PandocTimeout:
                worker.stop()  # its state is unknown: never reuse a process that missed a deadline
                raise
            except _ProcessDied as exc:
                detail = worker.stderr_tail()
                worker.stop()
                if attempt == 2:
                    raise PandocError(f"pandoc process failed: {exc}. {detail}".strip()) from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stop all processes; the runner restarts them if used again."""
        if os.getpid() != self._pid:
            self._after_fork_in_child()
            return
        with self._cond:
            for worker in self._workers or ():
                worker.stop()

    def __enter__(self) -> PandocRunner:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


_RUNNERS: weakref.WeakSet[PandocRunner] = weakref.WeakSet()
_DEFAULT: PandocRunner | None = None
_DEFAULT_LOCK = threading.Lock()


def _forget_inherited() -> None:
    # A forked child drops its parent's pandoc processes at once, even if it never converts.
    global _DEFAULT_LOCK
    _DEFAULT_LOCK = threading.Lock()  # may have been held by another thread at fork time
    for runner in list(_RUNNERS):
        runner._after_fork_in_child()


def _close_all() -> None:
    for runner in list(_RUNNERS):
        runner.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited)
atexit.register(_close_all)


def get_runner() -> PandocRunner:
    """The process-wide runner (created on first use).

    Pool size: ``VIDHUK_PANDOC_WORKERS`` if set, else up to two processes (they start only when
    requests overlap); all the processes of the machine share ``machine_slots()``.
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                size = int(os.environ.get("VIDHUK_PANDOC_WORKERS") or min(2, os.cpu_count() or 1))
                _DEFAULT = PandocRunner(pool_size=max(1, size), slots=machine_slots())
    return _DEFAULT


def markdown_to_docx(
    md: str, reference_doc: Path, *, from_format: str = SAFE_MARKDOWN, runner=None
) -> bytes:
    """Markdown to DOCX bytes, styled by *reference_doc*."""
    runner = runner or get_runner()
    options = {"reference_doc": str(Path(reference_doc).resolve())}
    return runner.convert(md, "docx", from_format=from_format, writer_options=options)


def markdown_to_html(md: str, *, from_format: str = SAFE_MARKDOWN, runner=None) -> str:
    """Markdown to an HTML5 fragment (no ``<html>``/``<body>``)."""
    runner = runner or get_runner()
    return runner.convert(md, "html5", from_format=from_format).decode("utf-8")


def convert_once(
    text: str,
    to: str,
    *,
    from_format: str = "markdown",
    reference_doc: Path | None = None,
    extra_args: tuple[str, ...] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> bytes:
    """Run the pandoc binary once for one document (baseline; no pool, no reuse).

    As the server does, it cleans the document with ``untrusted.lua`` and runs sandboxed.
    """
    argv = [pandoc_path(), "-f", from_format, "-t", to, "-o", "-", "--sandbox"]
    argv += [f"--lua-filter={UNTRUSTED_FILTER}", *extra_args]
    if reference_doc is not None:
        argv.append(f"--reference-doc={Path(reference_doc).resolve()}")
    try:
        done = subprocess.run(
            argv, input=text.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise PandocTimeout(f"pandoc did not finish in {timeout} s") from exc
    if done.returncode != 0:
        raise PandocError(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout
