"""Writing files safely: every file errlint writes (``fix`` edits, reports, baselines,
coverage reports) goes through :func:`write_files`.

Guarantees (see docs/security.md, "What errlint writes"):

- **Atomic.** Each file is written to a temporary file in its own folder, flushed and
  ``fsync``ed, given the original's permission bits, then renamed over the original
  (``rename(2)`` is atomic on POSIX). A full disk, a file-size limit or a kill leaves
  every file either as it was or as it should be, never cut short. A symlink is
  followed: its target is replaced, the link stays. A target that is a device, FIFO or
  socket (``-o /dev/null``, ``-o /dev/stdout``) is written straight through instead, never
  replaced by a regular file.
- **All or nothing.** :func:`write_files` writes every temporary file first; only when
  all are complete is any renamed over its original. If one cannot be written, none is.
- **No lost update.** With ``expected`` contents, each original is locked (``flock``) and
  compared with what the caller read before it is replaced; if another process changed
  it meanwhile, nothing is written and :class:`WriteError` says so.
- **Never over an input.** :func:`refuse_inputs` rejects an output path that is one of
  the files read (compared by real path).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from linter.errors import ErrlintError, UsageError


class WriteError(ErrlintError):
    """A file could not be written; the message is ``cannot write FILE: reason``."""


@dataclass(frozen=True, slots=True)
class Planned:
    """One file to write: ``data`` replaces ``path``; ``expected`` is what the caller read
    (None: no check; ``b""`` with ``created``: the file must still not exist)."""

    path: Path
    data: bytes
    expected: bytes | None = None
    created: bool = False


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def real_target(path: Path) -> Path:
    """Where writing ``path`` lands: symlinks followed (the link itself is kept)."""
    return Path(os.path.realpath(path))


def refuse_inputs(
    outputs: Iterable[Path | None],
    inputs: Iterable[str | Path],
    what: str = "output",
    resolved: Iterable[str] = (),
) -> None:
    """Raise :class:`UsageError` when an output is one of ``inputs`` or ``resolved`` (compared by
    real path; ``resolved`` are real paths already, like :func:`linter.api.local_sources`'s:
    resolving each of a split spec's thousands of files again costs an ``lstat`` per path
    component)."""
    real_outputs = [(output, os.path.realpath(output)) for output in outputs if output is not None]
    if not real_outputs:
        return
    real_inputs = {os.path.realpath(p) for p in inputs}
    real_inputs.update(resolved)
    for output, real_output in real_outputs:
        if real_output in real_inputs:
            raise UsageError(
                f"{output}: the {what} would overwrite a file errlint reads; choose another file"
            )


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write one file atomically (see the module docstring); raises :class:`WriteError`."""
    write_files([Planned(path, text.encode(encoding))])


def write_files(plans: Sequence[Planned]) -> None:
    """Write every planned file, or none (see the module docstring); raises :class:`WriteError`.

    A target that exists and is not a regular file or folder after following symlinks (a
    character device such as ``/dev/null``, a FIFO, a socket, ``/dev/stdout``) is written
    straight through, as a shell redirection would, after every regular file is staged and
    before any is renamed into place: a failed write there (``ENOSPC`` on ``/dev/full``)
    leaves the regular files as they were."""
    streams = [plan for plan in plans if _is_stream(plan.path)]
    files = [plan for plan in plans if not _is_stream(plan.path)]
    targets = [real_target(plan.path) for plan in files]
    order = sorted(range(len(files)), key=lambda i: str(targets[i]))
    temps: list[str | None] = [None] * len(files)
    plans = files
    with contextlib.ExitStack() as locks:
        try:
            for i in order:
                plan, target = plans[i], targets[i]
                if plan.expected is not None:
                    locks.enter_context(_checked(plan, target))
                temps[i] = _stage(plan, target)
            for stream in streams:
                _write_through(stream)
            for i in order:
                _commit(plans[i], targets[i], temps[i])  # type: ignore[arg-type]
                temps[i] = None
        finally:
            for temp in temps:
                if temp is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(temp)


def _is_stream(path: Path) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a folder (symlinks followed,
    ``/proc`` links such as ``/dev/stdout`` too): a device, FIFO or socket."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_through(plan: Planned) -> None:
    """Write ``plan.data`` to the device, FIFO or socket at ``plan.path`` (opened for writing,
    never truncated, renamed or replaced); blocks until a FIFO has a reader."""
    try:
        fd = os.open(plan.path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise WriteError(f"cannot write {plan.path}: {_reason(exc)}") from None
    try:
        view = memoryview(plan.data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise WriteError(f"cannot write {plan.path}: {_reason(exc)}") from None
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)


def _stage(plan: Planned, target: Path) -> str:
    """A complete, synced temporary file beside ``target``, with the permission bits it should get."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteError(f"cannot write {plan.path}: {plan.path.parent} is not a folder") from None
    except OSError as exc:
        raise WriteError(f"cannot write {plan.path}: {_reason(exc)}") from None
    import tempfile  # here, not at the top: a run that writes only to a stream never needs it

    try:
        mode = _mode_for(target)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".errlint-tmp", dir=target.parent)
    except OSError as exc:
        raise WriteError(f"cannot write {plan.path}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(plan.data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise WriteError(f"cannot write {plan.path}: {_reason(exc)}") from None
    return temp


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _commit(plan: Planned, target: Path, temp: str) -> None:
    try:
        if plan.created and plan.expected is not None:
            # must still not exist: link(2) fails if it does, so no other writer is replaced
            os.link(temp, target)
            os.unlink(temp)
        else:
            os.replace(temp, target)
        _sync_folder(target.parent)
    except FileExistsError:
        raise WriteError(f"cannot write {plan.path}: it was created by another process meanwhile") from None
    except OSError as exc:
        raise WriteError(f"cannot write {plan.path}: {_reason(exc)}") from None


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _checked(plan: Planned, target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``target`` and check it still holds ``plan.expected``.

    The lock is taken on the file itself; after it is granted, the path must still name the
    locked file (another run may have renamed a new file over it while we waited).
    """
    if plan.created:
        if target.exists():
            raise WriteError(f"cannot write {plan.path}: it was created by another process meanwhile")
        yield
        return
    while True:
        try:
            fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise WriteError(f"cannot write {plan.path}: {_reason(exc)}") from None
        try:
            _lock(fd)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(target))
            except FileNotFoundError:
                same = False
            if not same:
                continue  # the finally clause closes it
            if _read_all(fd) != plan.expected:
                raise WriteError(
                    f"cannot write {plan.path}: it was changed by another process while errlint ran; "
                    "nothing was written, run it again"
                )
            yield
            return
        finally:
            with contextlib.suppress(OSError):
                os.close(fd)


def _lock(fd: int) -> None:
    """An exclusive advisory lock on ``fd``: POSIX only; elsewhere there is no lock, only the
    comparison. Imported here, not at the top, as only a checked write needs it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
