"""Write output files atomically: a temporary file renamed into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from core.errors import ExportError


def _follow_umask(path: Path) -> None:
    """Give the file the permissions a plain open() would (mkstemp uses 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o666 & ~mask)


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place on success.

    On any error the temporary file is removed and `target` is untouched.
    """
    target = Path(target).resolve()  # through a symlink, to the file it names
    if target.exists() and not target.is_file():
        raise ExportError(
            target, "no es un archivo normal (es una carpeta o un dispositivo)"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent
        )
    except OSError as exc:
        raise ExportError(target, exc.strerror or str(exc)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    _follow_umask(tmp)
    try:
        yield tmp
        os.replace(tmp, target)
    except PermissionError as exc:
        raise ExportError(
            target, "está abierto en otro programa o no hay permiso de escritura"
        ) from exc
    except OSError as exc:
        raise ExportError(target, exc.strerror or str(exc)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
