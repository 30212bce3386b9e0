"""The data package: ``data/datapackage.json``, its files and their hashes, with the standard library only.

``helpers.data`` loads and validates the datasets (pandas, pandera) and re-exports these; the build uses this
module directly, so that planning a build and writing its results do not import pandas.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import paths


class DataError(ValueError):
    """A data file that is missing, malformed or fails its schema."""


#: The parsed datapackage.json by file, with the file's (inode, size, modification and change times in ns) then.
_PARSED: dict[Path, tuple[tuple[int, int, int, int], dict]] = {}


def _datapackage(data_dir: Path, cached: bool = True) -> dict:
    """The parsed ``datapackage.json`` (read-only: shared by the calls until the file changes; ``cached=False``
    reads it in any case).

    A chapter looks a dataset up hundreds of times; the file is parsed again only when it changed (a write, a
    replacement or a change of permissions changes its change time), so a kernel still reads it, and records it
    as an input, on its first lookup.
    """
    package_file = data_dir / "datapackage.json"
    try:
        stat = package_file.stat()
        stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        parsed = _PARSED.get(package_file)
        if cached and parsed is not None and parsed[0] == stamp:
            return parsed[1]
        document = json.loads(package_file.read_text(encoding="utf-8-sig"))
        _PARSED[package_file] = (stamp, document)
        return document
    except FileNotFoundError:
        raise DataError(f"{package_file}: missing; it describes every dataset (see data/README.md)") from None
    except OSError as exc:
        raise DataError(f"{package_file}: cannot be read ({exc.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{package_file}: not valid JSON ({exc})") from None


def _resources(data_dir: Path | None = None, cached: bool = True) -> dict[str, dict]:
    data_dir = Path(data_dir or paths.DATA_DIR)
    return {res["name"]: res for res in _datapackage(data_dir, cached)["resources"]}


def check_readable(data_dir: Path | None = None) -> None:
    """Raise ``DataError`` naming the first data file (or ``datapackage.json``) that is missing or unreadable.

    The build calls this before any kernel starts.
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    resources = _resources(data_dir, cached=False)  # readable now, not when it was parsed
    for res in resources.values():
        path = data_dir / res["path"]
        try:
            with open(path, "rb") as fh:
                fh.read(1)
        except FileNotFoundError:
            raise DataError(f"{path}: file not found (listed in {data_dir / 'datapackage.json'})") from None
        except OSError as exc:
            raise DataError(f"{path}: cannot be read ({exc.strerror})") from None


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def data_hashes() -> dict[str, str]:
    """SHA-256 of every data file, by dataset name."""
    data_dir = Path(paths.DATA_DIR)
    return {name: file_hash(data_dir / res["path"]) for name, res in _resources(data_dir).items()}


def data_version() -> str:
    """A short fingerprint of all data files together (first 12 hex digits of a SHA-256)."""
    digest = hashlib.sha256()
    for name, value in sorted(data_hashes().items()):
        digest.update(f"{name}:{value}\n".encode())
    return digest.hexdigest()[:12]
