"""Is a database file on a network file system? (issue 17)

SQLite's own documentation warns that its locking is unreliable over a network file
system and that WAL does not work there at all: two PCs sharing one file on a network
folder can damage it. The window warns at start and points to office mode (a PostgreSQL
server). Known here: Linux (the file system of the mount that holds the file, from
``/proc/mounts``) and Windows (a UNC path ``\\\\server\\share\\...`` or a mapped network
drive). Light: imported at start-up before the first paint (no SQLAlchemy, no Qt).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

#: the file systems of /proc/mounts that are a folder on another computer
NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "ceph", "glusterfs",
    "fuse.glusterfs", "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "fuse.rclone", "lustre",
    "gpfs", "ocfs2", "gfs2"})


def _unescape(field: str) -> str:
    """A mount point as /proc/mounts writes it: space, tab, newline and backslash as
    octal escapes (``\\040``)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 4 <= len(field) and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mount_fstype(path: str, mounts: str) -> str | None:
    """The file system type of the mount that holds ``path`` (an absolute POSIX path)
    in the text of /proc/mounts: the mount whose point is the longest prefix of it."""
    target = PurePosixPath(path)
    best: tuple[int, str] | None = None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = PurePosixPath(_unescape(parts[1]))
        if target == point or point in target.parents:
            depth = len(point.parts)
            if best is None or depth >= best[0]:  # a later mount over the same point wins
                best = (depth, parts[2])
    return best[1] if best else None


def _windows_kind(path: str) -> str | None:
    win = PureWindowsPath(path)
    if str(win).startswith("\\\\") or win.drive.startswith("\\\\"):
        return "UNC"
    if sys.platform == "win32" and win.drive:  # pragma: no cover - Windows only
        import ctypes
        DRIVE_REMOTE = 4  # noqa: N806 - the Windows API's name
        if ctypes.windll.kernel32.GetDriveTypeW(win.drive + "\\") == DRIVE_REMOTE:
            return "network drive"
    return None


def network_filesystem(path: Path | str, *, mounts: str | None = None,
                       platform: str | None = None) -> str | None:
    """The kind of network file system that holds ``path`` ("nfs4", "cifs", "UNC",
    "network drive"...), or None for a local disk (or when it cannot be told).
    ``mounts`` and ``platform``: for tests (the text of /proc/mounts, ``sys.platform``)."""
    platform = platform or sys.platform
    if platform == "win32" or str(path).startswith(("\\\\", "//")):
        return _windows_kind(str(path))
    if not platform.startswith("linux"):
        return None
    if mounts is None:
        try:
            with open("/proc/mounts", encoding="utf-8", errors="replace") as fh:
                mounts = fh.read()
        except OSError:
            return None
    where = Path(path).expanduser()
    try:
        where = Path(os.path.realpath(where))  # a link onto a network folder counts too
    except OSError:
        pass
    kind = mount_fstype(str(where), mounts)
    return kind if kind in NETWORK_FS else None
