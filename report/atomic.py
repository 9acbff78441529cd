"""Write files atomically: a reader sees the old file or the new one, never half of one."""

import errno
import os
import tempfile
from pathlib import Path

from report import paths


class WriteError(OSError):
    """An output cannot be written; the message says where, why and what to do."""


def _write_error(path, error):
    reason = error.strerror or type(error).__name__
    if error.errno in (errno.ENOSPC, errno.EDQUOT):  # a full disk: the folder itself is fine
        return WriteError(
            f"{paths.shown(path)}: cannot be written ({reason}): free some disk space (the previous file, "
            "if any, is unchanged), then build again"
        )
    return WriteError(
        f"{paths.shown(path)}: cannot be written ({reason}): make {paths.shown(Path(path).parent)}/ "
        "a writable folder (or remove it with `make clean`), then build again"
    )


def check_writable(path):
    """Raise WriteError now if ``path`` could not be written, before any long computation."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=path.parent)
        os.close(fd)
        os.unlink(tmp)
        if path.is_dir():
            raise IsADirectoryError(21, "a folder is in the way", str(path))
    except OSError as error:
        raise _write_error(path, error) from None


def write_atomic(path, data):
    """Write ``data`` (str or bytes) to ``path`` via a temporary file and a rename.

    Raises WriteError (one line) if it cannot; the previous file, if any, is kept.
    """
    path = Path(path)
    raw = data.encode() if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise _write_error(path, error) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, WriteError):
            raise _write_error(path, error) from None
        raise
