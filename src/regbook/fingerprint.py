"""The no-change fast path: decide from a fingerprint of every input that a build would change nothing.

A successful ``build`` records in ``_build/.manifest.json``, for its request (the variants and their validated
parameters): the fingerprint of the static inputs taken when it started (``static_inputs``: the chapter sources,
``_config.yml``, ``_toc.yml``, ``_static``, the data directory, the whole helper package, the installed package
versions and the interpreter), every file a chapter recorded as read when it ran (with the hash it had then), and
the hashes of the outputs it left (site stamp, results.json, audit.csv, landing page).

``python -m helpers build`` calls ``fast_path`` before importing anything heavy (only the standard library and the
light ``helpers.params``/``helpers.regions``). When every input and every output is as recorded, nothing would
change: it says so and exits, without planning, compiling or exporting results. Anything else (a change, an
unknown request, a missing or unreadable manifest, an argument it does not know) falls through to the full build,
which decides per chapter. ``REGBOOK_FAST_PATH=0`` turns the fast path off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from helpers import paths

TYPE_CHECKING = False  # typing itself is not imported: the fast path counts milliseconds
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

MANIFEST_NAME = ".manifest.json"
MANIFEST_VERSION = 1
#: Requests remembered (e.g. the default book, one region, all regions); the oldest are dropped.
MAX_REQUESTS = 16
#: The source folder: the helper package and the build tool (``src/helpers``, ``src/regbook``).
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: The command line ``fast_path`` was given in this process; ``record`` files it as an alias of the request, so
#: that the next fast path finds the request without importing and running the parameter validation.
_COMMAND_LINE: list[str] | None = None
_SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints", "_build", ".git", ".pytest_cache"}


def manifest_path() -> Path:
    return Path(paths.BUILD_DIR) / MANIFEST_NAME


def file_digest(path: Path | str) -> str:
    """SHA-256 (hex) of a file's bytes, or "missing"."""
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return "missing"


def tree_digest(root: Path | str) -> str:
    """SHA-256 over every file below ``root`` (relative path and content; caches and checkpoints skipped)."""
    root = str(root)
    if not os.path.isdir(root):
        return "missing"
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            digest.update(os.path.relpath(path, root).encode() + b"\0" + file_digest(path).encode() + b"\n")
    return digest.hexdigest()


def installed_packages() -> str:
    """Digest of the installed distributions and their versions (the names of ``*.dist-info`` folders, e.g.
    ``pandas-2.2.3.dist-info``, and ``.pth`` files in every site-packages directory) and of the interpreter."""
    digest = hashlib.sha256(f"{sys.version}\0{sys.executable}\n".encode())
    for folder in sys.path:
        if not folder.endswith(("site-packages", "dist-packages")) or not os.path.isdir(folder):
            continue
        names = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")))
        digest.update(folder.encode() + b"\0" + "\n".join(names).encode() + b"\n")
    return digest.hexdigest()


def static_inputs() -> dict[str, str]:
    """Fingerprint of every input that is the same for all chapters, by kind."""
    root = Path(paths.ROOT)
    return {
        "interpreter and packages": installed_packages(),
        "helper package": tree_digest(PACKAGE_DIR),
        "_config.yml": file_digest(root / "_config.yml"),
        "_toc.yml": file_digest(root / "_toc.yml"),
        "chapters": tree_digest(paths.CHAPTERS_DIR),
        "_static": tree_digest(root / "_static"),
        "locales": tree_digest(root / "locales"),
        "data": tree_digest(paths.DATA_DIR),
        "locations": json.dumps([str(root), str(paths.DATA_DIR), str(paths.BUILD_DIR)]),
    }


def request_key(variants: Iterable[tuple]) -> str:
    """Key of a build request: its variants' names, validated parameters and (when not English) language, in order;
    each variant is (name, parameters) or (name, parameters, language)."""
    payload = json.dumps(
        [[name, parameters, *(rest if rest and rest[0] != "en" else [])] for name, parameters, *rest in variants],
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def recorded_inputs(notebooks: Iterable[str]) -> dict[str, str]:
    """Every file the chapters recorded as read (``inputs`` in their cache entry's meta.json), with its hash."""
    inputs: dict[str, str] = {}
    for notebook in notebooks:
        try:
            meta = json.loads((Path(notebook).parent / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        inputs.update(meta.get("inputs") or meta.get("data_files") or {})
    return inputs


def _output_files(variants: list[Any]) -> list[Path]:
    from .layout import Layout

    files = []
    for name, _, *language in variants:
        layout = Layout(name, *language)
        files += [
            layout.html / ".build-fingerprint",
            layout.html / "index.html",
            layout.results / "results.json",
            layout.results / "timings.json",
            layout.results / "audit.csv",
        ]
    if (len(variants) > 1 or variants[0][0] != "default") and variants[0][2:] in ((), ("en",)):
        files.append(Path(paths.BUILD_DIR) / "regions" / "index.html")
    return files


def _read_manifest() -> dict:
    try:
        manifest = json.loads(manifest_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": MANIFEST_VERSION, "requests": {}}
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        return {"version": MANIFEST_VERSION, "requests": {}}
    return manifest


def record(variants: list[Any], static: dict[str, str], outcomes: dict[str, list[Any]]) -> None:
    """After a successful build: remember its request, the inputs it started from and the outputs it left.

    ``variants`` have ``name`` and ``parameters``; ``outcomes`` maps a variant name to its chapters' outcomes
    (each with the ``notebook`` path of its cache entry); ``static`` is ``static_inputs()`` from the build's start.
    """
    global _COMMAND_LINE
    request = [(v.name, v.parameters, v.language) for v in variants]
    notebooks = [o.notebook for rows in outcomes.values() for o in rows]
    entry = {
        "static": static,
        "inputs": recorded_inputs(notebooks),
        "outputs": {str(p): file_digest(p) for p in _output_files(request) if p.exists()},
        "names": [name for name, *_ in request],
        "recorded": time.time(),
    }
    manifest = _read_manifest()
    requests = manifest["requests"]
    key = request_key(request)
    requests.pop(key, None)
    requests[key] = entry
    while len(requests) > MAX_REQUESTS:
        requests.pop(next(iter(requests)))
    aliases = {a: k for a, k in manifest.get("aliases", {}).items() if k in requests}
    if _COMMAND_LINE is not None:
        aliases[command_line_key(_COMMAND_LINE)] = key
        _COMMAND_LINE = None  # one command line, one build
    manifest["aliases"] = aliases
    target = manifest_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=False), encoding="utf-8")
    tmp.replace(target)


#: Options of ``build`` the fast path knows, with the number of values each takes. Any other option (``--pdf``,
#: ``--chapter``, ``-h``...) asks for more than the recorded build did, so the full command runs.
_KNOWN_OPTIONS = {
    "--region": 1,
    "-p": 2,
    "--param": 2,
    "--jobs": 1,
    "--all-regions": 0,
    "--scheduler": 1,
    "--language": 1,
}
#: Options that say where to execute, not what to build: the same book whatever their value.
_WHERE_OPTIONS = ("--jobs", "--scheduler")


def _understood(argv: list[str]) -> bool:
    """True for ``build`` followed only by options in ``_KNOWN_OPTIONS`` with their values."""
    if not argv or argv[0] != "build":
        return False
    index = 1
    while index < len(argv):
        option = argv[index].split("=", 1)[0] if argv[index].startswith("--") else argv[index]
        if option not in _KNOWN_OPTIONS:
            return False
        values = 0 if "=" in argv[index] and option.startswith("--") else _KNOWN_OPTIONS[option]
        index += 1 + values
    return index == len(argv)


def command_line_key(argv: list[str]) -> str:
    """Key of a ``build`` command line, without ``--jobs`` and ``--scheduler`` (which change no output)."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _WHERE_OPTIONS:
            skip = True
        elif not arg.startswith(tuple(f"{option}=" for option in _WHERE_OPTIONS)):
            kept.append(arg)
    return hashlib.sha256(json.dumps(kept).encode()).hexdigest()[:24]


def changes(variants: list[tuple]) -> list[str]:
    """What differs from the last successful build of this request (empty: nothing would change).

    Each item names one input or output kind, e.g. "_config.yml" or "input /…/data/claims.csv".
    """
    return _changes(_read_manifest()["requests"].get(request_key(variants)))


def _changes(entry: dict | None) -> list[str]:
    if not entry:
        return ["no successful build of this request recorded"]
    now = static_inputs()
    differ = [kind for kind in sorted(set(now) | set(entry["static"])) if now.get(kind) != entry["static"].get(kind)]
    differ += [f"input {path}" for path, digest in entry["inputs"].items() if file_digest(path) != digest]
    recorded_outputs = entry["outputs"]
    differ += [f"output {path}" for path, digest in recorded_outputs.items() if file_digest(path) != digest]
    if not any(p.endswith("index.html") and "html" in p for p in recorded_outputs):
        differ.append("no site recorded")
    return differ


class _ArgumentsNotUnderstood(ValueError):
    pass


def requested_variants(argv: list[str]) -> list[tuple[str, dict[str, Any], str]] | None:
    """The variants ``python -m helpers build ...`` would build, as (name, validated parameters, language); None for any
    other command, an option this does not know, or invalid values (the full CLI then handles them).

    Mirrors ``cli._variants`` and ``planning.make_variant``; a mismatch can only cost a fast-path miss, since the
    request key is compared with what the build itself recorded.
    """
    import argparse

    from helpers import params, regions

    class Parser(argparse.ArgumentParser):
        def error(self, message: str):  # never print or exit: the full CLI reports bad arguments
            raise _ArgumentsNotUnderstood(message)

    parser = Parser(add_help=False, allow_abbrev=False)
    parser.add_argument("command")
    parser.add_argument("--region")
    parser.add_argument("-p", "--param", nargs=2, action="append")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--all-regions", action="store_true")
    parser.add_argument("--scheduler")
    parser.add_argument("--language", default="en")
    try:
        args, rest = parser.parse_known_args(argv)
    except _ArgumentsNotUnderstood:
        return None
    if rest or args.command != "build" or args.language not in ("en", "nl"):  # regbook.layout.LANGUAGES
        return None
    overrides: dict[str, Any] = dict(args.param or [])  # as cli._variants: the text as typed

    def variant(region: str | None) -> tuple[str, dict[str, Any], str]:
        values = dict(overrides)
        if region is not None:
            values["focus_region"] = region
        if "language" in params.PARAMETERS:  # as planning.make_variant
            values["language"] = args.language
        validated = params.validate(values)
        return ("default" if region is None else validated["focus_region"], validated, args.language)

    try:
        if args.all_regions:
            return [variant(r) for r in regions.STUDY_REGIONS]
        if args.region:
            return [variant(regions.resolve(args.region))]
        return [variant(None)]
    except Exception:  # invalid values: the full CLI prints the one-line message
        return None


def fast_path(argv: list[str] | None = None) -> int | None:
    """Exit status 0 when ``build`` with these arguments would change nothing; None to run the full command."""
    global _COMMAND_LINE
    start = time.perf_counter()
    from_shell = argv is None  # this process's own command line: the build that follows is of exactly this
    argv = sys.argv[1:] if argv is None else list(argv)
    if os.environ.get("REGBOOK_FAST_PATH", "1") == "0" or not _understood(argv):
        return None
    if from_shell:
        _COMMAND_LINE = argv
    manifest = _read_manifest()
    key = manifest.get("aliases", {}).get(command_line_key(argv))  # this command line built before
    if key is None:
        variants = requested_variants(argv)
        if variants is None:
            return None
        key = request_key(variants)
    entry = manifest["requests"].get(key)
    if _changes(entry):
        return None
    names = ", ".join(entry.get("names", [])) or "the book"
    print(
        f"nothing changed since the last build of {names}; site and results are up to date "
        f"(inputs checked in {time.perf_counter() - start:.2f} s)",
        file=sys.stderr,
    )
    return 0
