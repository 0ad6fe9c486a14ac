"""MkDocs event handlers, called by the ``handbook`` plugin (plugin.py): ``mkdocs build`` publishes
atomically.

A clean build writes into a fresh ``.site.building-<pid>-<random>`` folder next to site_dir and
swaps it in only after success (``renameat2(RENAME_EXCHANGE)`` on Linux, a rename dance
elsewhere), so a web server never sees a missing, empty or mixed site. A failed build removes its
folder; a killed one leaves it for the next build, which removes folders of dead processes.
``serve``, ``gh-deploy``, ``--dirty`` builds and a site_dir that is a mount point write in place.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.utils import CountHandler

PREFIX = ".site.building-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2

log = logging.getLogger("mkdocs.hooks.publish")

_enabled = False  # a clean `mkdocs build` (set in on_startup)
_target: Path | None = None  # the real site_dir
_building: Path | None = None  # where this build writes


def on_startup(command: str, dirty: bool) -> None:
    global _enabled
    _enabled = command == "build" and not dirty


@event_priority(-100)  # last: after any other handler that sets site_dir
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _target, _building
    _discard()
    if not _enabled:
        return config
    target = Path(os.path.realpath(config.site_dir))
    if os.path.ismount(target):  # cannot be renamed; keep writing in place
        return config
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(target.parent)
    building = target.parent / f"{PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
    building.mkdir()
    _target, _building = target, building
    config.site_dir = str(building)
    return config


@event_priority(-100)  # last: after search index, sitemap and every other writer
def on_post_build(config: MkDocsConfig) -> None:
    global _building
    if _building is None or _target is None:
        return
    if config.strict and _warnings_counted():
        return  # MkDocs aborts right after this event; on_build_error removes the folder
    _carry_over(_target, _building)
    previous = _swap(_building, _target)
    _building = None
    config.site_dir = str(_target)
    log.info(f"Published the build to {_target}")
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def on_build_error(error: Exception) -> None:
    _discard()


def on_shutdown() -> None:
    _discard()  # a build interrupted without an exception (Ctrl-C)


def _discard() -> None:
    global _building
    if _building is not None:
        shutil.rmtree(_building, ignore_errors=True)
        _building = None


def _warnings_counted() -> bool:
    """Whether MkDocs' strict-mode counter saw a warning (it then aborts after on_post_build)."""
    handlers = logging.getLogger("mkdocs").handlers
    return any(isinstance(h, CountHandler) and h.get_counts() for h in handlers)


def _remove_stale(parent: Path) -> None:
    """Remove temporary folders that killed builds left behind."""
    for entry in parent.glob(PREFIX + "*"):
        pid = entry.name[len(PREFIX) :].partition("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            log.debug(f"Removing {entry}, left by a build that did not finish")
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no cheap liveness check: keep the folder
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _carry_over(target: Path, building: Path) -> None:
    """What an in-place build keeps: the folder's mode and, as MkDocs' clean step spares them,
    hidden top-level entries (.htaccess, ...)."""
    if not target.is_dir():
        return
    building.chmod(stat.S_IMODE(target.stat().st_mode))
    for entry in target.iterdir():
        copy = building / entry.name
        if not entry.name.startswith(".") or os.path.lexists(copy):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, copy, symlinks=True)
        else:
            shutil.copy2(entry, copy, follow_symlinks=False)


def _swap(new: Path, target: Path) -> Path | None:
    """Put ``new`` at ``target``; return where the previous site now is (None: there was none)."""
    for _ in range(10):
        if not os.path.lexists(target):
            try:
                os.rename(new, target)
                return None
            except OSError as exc:
                if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
                continue  # a concurrent build published meanwhile: exchange with it
        exchanged = _exchange(new, target)
        if exchanged is None:
            return _rename_dance(new, target)
        if exchanged:
            return new
    raise OSError(f"could not publish {new} to {target}: it keeps changing")


def _exchange(new: Path, target: Path) -> bool | None:
    """Atomically exchange two paths; False if ``target`` vanished, None if unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return None
    if renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.ENOENT:
        return False
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return None  # old kernel or a file system without RENAME_EXCHANGE
    raise OSError(code, os.strerror(code), str(target))


def _rename_dance(new: Path, target: Path) -> Path:
    """Without renameat2: move the old site aside, then the new one in (a brief gap)."""
    old = new.with_name(new.name + ".old")
    os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)
        raise
    return old


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function
