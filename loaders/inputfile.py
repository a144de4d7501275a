"""Open input files safely: only regular files, and none larger than its kind's size limit.

Every file the loader reads (curated YAML, article text, CSV) is opened here. A FIFO named
`x.yaml` would block the loader forever and a link to `/dev/zero` named `x.csv` would be read
until memory runs out, so the path is checked with `os.stat` (following links) before it is
opened, and opened with O_NONBLOCK, so that a path swapped for a FIFO in between cannot block
the open either; the open file is checked again with `fstat`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from motorgraph.errors import MotorgraphError

MIB = 1 << 20
# Per input file, unless MOTORGRAPH_MAX_INPUT_BYTES (motorgraph/settings.py) sets one limit for all.
DEFAULT_LIMITS = {"csv": 1024 * MIB, "yaml": 16 * MIB, "article": 16 * MIB}
_KINDS = [(stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")]


class InputRefused(MotorgraphError):
    """The path is not a regular file, is too large, or cannot be read; `reason` says why and the fix."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def limit_for(kind: str, max_input_bytes: int | None = None) -> int:
    """The size limit for a `kind` of input ("csv", "yaml", "article")."""
    return max_input_bytes if max_input_bytes else DEFAULT_LIMITS[kind]


def _size(n: int) -> str:
    return f"{n / MIB:.1f} MiB" if n >= MIB else f"{n} bytes"


def _check(path: Path, st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        what = next((name for test, name in _KINDS if test(st.st_mode)), "something else")
        via = f", via a link to {os.path.realpath(path)}" if os.path.islink(path) else ""
        raise InputRefused(path, f"not a regular file but {what}{via}; the loader reads only regular files: "
                           "copy the data into a file, or leave this path out of the load")
    if st.st_size > limit:
        raise InputRefused(path, f"the file is {_size(st.st_size)}, over the {_size(limit)} limit for one input "
                           f"file; split it, or raise the limit with MOTORGRAPH_MAX_INPUT_BYTES={st.st_size}")


def open_input(path: Path, limit: int) -> BinaryIO:
    """The file opened for binary reading; raises InputRefused (never blocks on a FIFO)."""
    try:
        _check(path, os.stat(path), limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputRefused(path, "no such file (or a broken link); fix the path") from None
    except OSError as exc:
        raise InputRefused(path, f"cannot read the file: {exc.strerror}; check its permissions") from None
    try:
        _check(path, os.fstat(fd), limit)  # the path may have changed since the stat above
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input(path: Path, limit: int) -> bytes:
    """The whole file (at most `limit` bytes, even if it grows while read); raises InputRefused."""
    with open_input(path, limit) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputRefused(path, f"the file grew past the {_size(limit)} limit for one input file while it "
                           "was read; load it once it is complete")
    return data
