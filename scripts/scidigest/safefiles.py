"""Files a contributor put in the repository are read as regular files only, and bounded.

A name in ``sources/`` (or ``docs/``) may be anything: a named pipe (opening it blocks
for ever), a device (``/dev/zero`` never ends), a socket, a symbolic link to any of
these or to a file outside the repository, a link loop, a dangling link, a sparse
file that claims 8 GiB. Everything here decides from ``os.lstat`` -- the entry itself,
never what it points to -- *before* anything is opened:

* :func:`read_regular` reads a regular file of at most ``max_bytes`` (the size is
  refused from the inode, so a sparse giant costs nothing), opened with ``O_NOFOLLOW``
  and ``O_NONBLOCK`` and checked again on the open descriptor (a file swapped for a
  pipe between the two looks is refused, not waited on);
* :func:`walk` lists the regular files under a folder and, for every other entry,
  one :class:`Skip` saying what it is and why it was not read. A symbolic link is
  followed only when it resolves, without a loop, to a regular file inside the
  folder being walked (a link to a folder is never followed).

The messages are one line, without the file's name (the caller prints that first).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path


class UnsafeFileError(ValueError):
    """The file was not read; the message says why in one line."""


_KINDS = (
    (stat.S_ISREG, "regular file"),
    (stat.S_ISDIR, "folder"),
    (stat.S_ISLNK, "symbolic link"),
    (stat.S_ISFIFO, "named pipe (FIFO)"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
)


def kind_of(mode: int) -> str:
    """What an ``st_mode`` is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "special file")


def _size(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


def too_large(size: int, max_bytes: int) -> str:
    return f"file too large ({_size(size)} > {_size(max_bytes)} limit)"


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path`` (not a link), at most ``max_bytes`` of them.

    Raises :class:`UnsafeFileError` for anything else, ``OSError`` when reading fails."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError(f"{kind_of(st.st_mode)}, not a regular file; not read")
    if st.st_size > max_bytes:
        raise UnsafeFileError(too_large(st.st_size, max_bytes))
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # became a link since lstat
            raise UnsafeFileError("symbolic link, not a regular file; not read") from None
        raise
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise UnsafeFileError("changed while it was being opened; not read")
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise UnsafeFileError(too_large(total, max_bytes))
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_regular_text(path: Path, max_bytes: int) -> str:
    """:func:`read_regular` decoded as UTF-8 (``UnicodeDecodeError`` if it is not)."""
    return read_regular(path, max_bytes).decode("utf-8")


def is_regular(path: Path) -> bool:
    """True for a regular file that is not a symbolic link (never blocks, never raises)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


@dataclass(frozen=True)
class Skip:
    """An entry :func:`walk` did not return: ``path`` and, in one line, why."""

    path: Path
    reason: str
    #: True for what cannot be a source at all (a pipe, a link out of the folder...);
    #: False for what is deliberately not read (hidden files)
    refused: bool = True


def resolve_link(link: Path, root: Path) -> tuple[Path | None, str]:
    """Where the symbolic link ``link`` leads, when that is a regular file inside ``root``;
    else ``(None, reason)``."""
    try:
        target = Path(os.path.realpath(link, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "symbolic link loop; not read"
        if exc.errno == errno.ENOENT:
            return None, f"dangling symbolic link (its target {os.readlink(link)!s} does not exist); not read"
        return None, f"symbolic link that cannot be followed ({exc.strerror}); not read"
    try:
        target.relative_to(Path(os.path.realpath(root)))
    except ValueError:
        return None, "symbolic link pointing outside the folder; not read (copy the file in instead)"
    try:
        mode = os.lstat(target).st_mode
    except OSError as exc:
        return None, f"symbolic link that cannot be followed ({exc.strerror}); not read"
    if not stat.S_ISREG(mode):
        return None, f"symbolic link to a {kind_of(mode)}, not a regular file; not read"
    return target, ""


def classify(path: Path, root: Path) -> tuple[Path | None, str]:
    """``(file to read, "")`` for a regular file or a link to one inside ``root``;
    ``(None, reason)`` for anything else."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    if stat.S_ISREG(mode):
        return Path(path), ""
    if stat.S_ISLNK(mode):
        return resolve_link(Path(path), Path(root))
    return None, f"{kind_of(mode)}, not a regular file; not read"


def walk(root: Path, *, skip_dir=lambda rel: False) -> tuple[list[tuple[Path, Path]], list[Skip]]:
    """Every regular file under ``root``, as ``(path as listed, file to read)`` pairs, and
    a :class:`Skip` for every other entry. Hidden entries (``.name``) are skipped and
    reported; folders for which ``skip_dir(relative path)`` is true are left out silently
    (project data such as ``translation-memory/``). Links to folders are not followed,
    so a loop of folders cannot make the walk endless."""
    root = Path(root)
    files: list[tuple[Path, Path]] = []
    skips: list[Skip] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skips.append(Skip(folder, f"folder cannot be read ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            rel = path.relative_to(root)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir and skip_dir(rel):
                continue
            if entry.name.startswith("."):
                what = "hidden folder" if is_dir else "hidden file"
                skips.append(Skip(path, f"{what}, not read (names starting with '.' are not sources)", refused=False))
                continue
            if is_dir:
                stack.append(path)
                continue
            try:
                regular = entry.is_file(follow_symlinks=False)  # the type scandir already read
            except OSError:
                regular = False
            if regular:
                files.append((path, path))
                continue
            target, reason = classify(path, root)
            if target is None:
                if entry.is_symlink() and os.path.isdir(path):
                    reason = "symbolic link to a folder; not followed"
                skips.append(Skip(path, reason))
            else:
                files.append((path, target))
    return files, skips
