"""Run and build the book: papermill execution with a content-addressed cache, Jupyter Book compilation,
per-region variants, results export, and failure handling that never overwrites the last good site.

Flow for one variant (the default book or a region's):
1. parameters are validated (``params.validate``) before any kernel starts;
2. each chapter in ``_toc.yml`` is read with jupytext (MyST Markdown) and keyed by the hash of its source, the
   parameters it declares, and the helper package; a cache entry also records the hash of every data file the
   chapter read, so a changed data file re-executes exactly the chapters that read it;
3. chapters not in the cache run with papermill, each in a fresh kernel, in separate worker processes;
4. executed notebooks are written into a staging copy of the book (only when their content changed) and
   Jupyter Book compiles it with execution off and warnings as errors; the html replaces the old site only
   when everything succeeded;
5. ``results.json`` (every glued value, parameters, data hashes, versions, durations) is written beside the html.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

import nbformat
import yaml

from . import data as data_module
from . import params as params_module
from . import kernels, paths, regions

KERNEL_NAME = "python3"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "seaborn", "matplotlib", "pandera", "frictionless",
            "papermill", "jupytext", "myst-nb", "jupyter-book", "sphinx")


class BuildError(RuntimeError):
    """A run or build that could not complete (names the chapter, the cell and the exception)."""


# --- layout -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where one variant's files go."""

    variant: str  # "default" or a region id

    @property
    def build(self) -> Path:
        return paths.BUILD_DIR

    @property
    def cache(self) -> Path:
        return self.build / ".cache"

    @property
    def staging(self) -> Path:
        return self.build / ".staging" / self.variant

    @property
    def jb_out(self) -> Path:
        return self.build / ".jb" / self.variant

    @property
    def base(self) -> Path:
        return self.build if self.variant == "default" else self.build / "regions" / self.variant

    @property
    def html(self) -> Path:
        return self.base / "html"

    @property
    def results(self) -> Path:
        return self.base / "results"

    @property
    def failed(self) -> Path:
        return self.build / "failed" / self.variant


# --- chapters -------------------------------------------------------------------------------------------


def toc_entries(root: Path | None = None) -> list[str]:
    """The files of ``_toc.yml`` in reading order, without extension (e.g. ``chapters/ch1_world``)."""
    toc = yaml.safe_load(((root or paths.ROOT) / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]]

    def walk(items):
        for item in items or []:
            if "file" in item:
                entries.append(item["file"])
            walk(item.get("sections"))
            walk(item.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return entries


def chapter_id(entry: str) -> str:
    """Short id of a toc entry: its file name (``ch1_world``)."""
    return Path(entry).name


def chapter_ids() -> list[str]:
    return [chapter_id(e) for e in toc_entries()]


def read_chapter(entry: str) -> nbformat.NotebookNode:
    """Read a chapter's MyST Markdown source with jupytext and give it a kernelspec that names its language."""
    import jupytext

    path = paths.ROOT / f"{entry}.md"
    if not path.exists():
        raise BuildError(f"chapter {chapter_id(entry)}: source {path} not found (listed in _toc.yml)")
    nb = jupytext.read(path, fmt="md:myst")
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.setdefault("language_info", {"name": "python"})
    nb.metadata.pop("jupytext", None)
    return nb


def declared_parameters(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Names and default values assigned in the chapter's ``parameters`` cell."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            out = {}
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                    out[node.targets[0].id] = ast.literal_eval(node.value)
            return out
    return {}


# --- hashing and cache ------------------------------------------------------------------------------------


def _sha(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def helpers_hash() -> str:
    """Hash of the helper package's source (a change re-executes every chapter)."""
    pkg = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(pkg.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def chapter_key(nb: nbformat.NotebookNode, parameters: dict[str, Any], helpers: str) -> str:
    """Cache key of one chapter run: source, the parameters it uses, the helper package, the data directory."""
    source = json.dumps([[c.cell_type, c.source, c.get("metadata", {})] for c in nb.cells], sort_keys=True)
    payload = json.dumps({"source": _sha(source), "parameters": parameters, "helpers": helpers,
                          "data_dir": str(paths.DATA_DIR)}, sort_keys=True)
    return _sha(payload)[:20]


@dataclass
class CacheEntry:
    path: Path

    @property
    def notebook(self) -> Path:
        return self.path / "executed.ipynb"

    @property
    def meta_file(self) -> Path:
        return self.path / "meta.json"

    def meta(self) -> dict | None:
        try:
            return json.loads(self.meta_file.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def valid(self) -> bool:
        """True when the entry exists and every data file the chapter read still has the recorded hash."""
        meta = self.meta()
        if not meta or not self.notebook.exists():
            return False
        for file, digest in meta.get("data_files", {}).items():
            path = Path(file)
            if not path.exists() or data_module.file_hash(path) != digest:
                return False
        return True


def cache_entry(layout: Layout, chapter: str, key: str) -> CacheEntry:
    return CacheEntry(layout.cache / f"{chapter}-{key}")


# --- execution (worker process) -------------------------------------------------------------------------


@dataclass
class Job:
    chapter: str
    entry: str
    key: str
    parameters: dict[str, Any]
    notebook_json: str
    cache_dir: str
    failed_path: str
    cwd: str
    data_dir: str
    kernels_dir: str


@dataclass
class Outcome:
    chapter: str
    status: str  # cached, executed, failed
    duration: float
    key: str
    notebook: str = ""
    error: str = ""


def _tag_injected_cells(nb: nbformat.NotebookNode) -> None:
    """Hide papermill's injected-parameters cell on the page (it stays in the downloadable notebook)."""
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")


def _describe_failure(nb: nbformat.NotebookNode, exc: Exception) -> str:
    """'code cell N (cell M of the executed notebook, first line): Exception: message'."""
    code_index = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if "injected-parameters" not in cell.get("metadata", {}).get("tags", []):
            code_index += 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return (f"code cell {code_index} (cell {index} of the executed notebook, {first_line[:60]!r}): "
                        f"{output.get('ename')}: {str(output.get('evalue'))[:500]}")
    return f"{type(exc).__name__}: {exc}"


def execute_job(job: Job) -> Outcome:
    """Execute one chapter with papermill in a fresh kernel; store it in the cache or keep the failed notebook."""
    start = time.perf_counter()
    nb = nbformat.reads(job.notebook_json, as_version=4)
    cache_dir = Path(job.cache_dir)
    work = Path(tempfile.mkdtemp(prefix=f"run-{job.chapter}-", dir=cache_dir.parent))
    log = work / "reads.tsv"
    log.touch()
    saved_env = {k: os.environ.get(k) for k in (data_module.DATA_LOG_ENV, "REGBOOK_DATA_DIR", "MPLBACKEND", "JUPYTER_PATH")}
    os.environ[data_module.DATA_LOG_ENV] = str(log)
    os.environ["REGBOOK_DATA_DIR"] = job.data_dir  # the kernel inherits this process's environment
    os.environ["MPLBACKEND"] = "Agg"
    kernel_name = KERNEL_NAME
    if kernels.enabled():
        spec_base = kernels.kernelspec_dir(Path(job.kernels_dir))
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(spec_base), saved_env["JUPYTER_PATH"]]))
        kernel_name = kernels.KERNEL_NAME
    output = work / "executed.ipynb"
    try:
        return _execute(job, nb, work, log, output, cache_dir, start, kernel_name)
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _execute(job: Job, nb, work: Path, log: Path, output: Path, cache_dir: Path, start: float,
             kernel_name: str) -> Outcome:
    import papermill

    try:
        papermill.execute_notebook(nb, str(output), parameters=job.parameters, kernel_name=kernel_name,
                                   progress_bar=False, log_output=False, cwd=job.cwd,
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"])  # no kernel chatter on stderr
    except Exception as exc:  # papermill raises PapermillExecutionError; anything else is reported the same way
        failed = Path(job.failed_path)
        failed.parent.mkdir(parents=True, exist_ok=True)
        try:
            executed = nbformat.read(output, as_version=4)
            shutil.copy(output, failed)
        except Exception:
            executed = nb
            nbformat.write(nb, failed)
        shutil.rmtree(work, ignore_errors=True)
        return Outcome(job.chapter, "failed", time.perf_counter() - start, job.key, str(failed),
                       _describe_failure(executed, exc))
    executed = nbformat.read(output, as_version=4)
    executed.metadata["kernelspec"] = dict(KERNELSPEC)  # readers re-execute with an ordinary Python 3 kernel
    _tag_injected_cells(executed)
    for key in ("papermill",):
        executed.metadata.pop(key, None)
    for cell in executed.cells:
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(executed, output)
    reads = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        name, file = line.split("\t", 1)
        reads[str(Path(file).resolve())] = data_module.file_hash(Path(file))
    duration = round(time.perf_counter() - start, 3)  # as stored, so a cached rerun shows the same figure
    (work / "meta.json").write_text(json.dumps({"chapter": job.chapter, "key": job.key, "parameters": job.parameters,
                                                "data_files": reads, "duration_seconds": duration},
                                               indent=1, sort_keys=True))
    log.unlink()
    if cache_dir.exists():
        shutil.rmtree(cache_dir)
    work.rename(cache_dir)
    return Outcome(job.chapter, "executed", duration, job.key, str(cache_dir / "executed.ipynb"))


# --- planning and running -------------------------------------------------------------------------------


@dataclass
class Variant:
    """One book to run: a name and its validated parameters."""

    name: str
    parameters: dict[str, Any]

    @property
    def layout(self) -> Layout:
        return Layout(self.name)


def make_variant(region: str | None = None, overrides: dict[str, Any] | None = None) -> Variant:
    """The default book (``region=None``) or a region's variant, with validated parameters."""
    values = dict(overrides or {})
    if region is not None:
        values["focus_region"] = region
    validated = params_module.validate(values)
    name = "default" if region is None else validated["focus_region"]
    return Variant(name, validated)


def plan(variants: list[Variant], chapters: list[str] | None = None) -> tuple[list[Job], dict[tuple[str, str], Outcome]]:
    """Jobs to execute (deduplicated across variants by cache key) and the outcomes already cached."""
    helpers = helpers_hash()
    entries = toc_entries()
    known = [chapter_id(e) for e in entries]
    if chapters:
        unknown = [c for c in chapters if c not in known]
        if unknown:
            raise BuildError(f"unknown chapter(s) {', '.join(unknown)}; valid: {', '.join(known)}")
    jobs: dict[str, Job] = {}
    cached: dict[tuple[str, str], Outcome] = {}
    for variant in variants:
        for entry in entries:
            chapter = chapter_id(entry)
            if chapters and chapter not in chapters:
                continue
            nb = read_chapter(entry)
            declared = declared_parameters(nb)
            unknown_params = [p for p in declared if p not in params_module.PARAMETERS]
            if unknown_params:
                raise BuildError(f"chapter {chapter}: parameters cell declares unknown parameter(s) "
                                 f"{', '.join(unknown_params)}; declare them in helpers.params")
            used = {name: variant.parameters[name] for name in declared}
            key = chapter_key(nb, used, helpers)
            entry_cache = cache_entry(variant.layout, chapter, key)
            if entry_cache.valid():
                meta = entry_cache.meta() or {}
                cached[(variant.name, chapter)] = Outcome(chapter, "cached", float(meta.get("duration_seconds", 0)),
                                                          key, str(entry_cache.notebook))
                continue
            job = jobs.get(key + chapter)
            if job is None:
                jobs[key + chapter] = Job(
                    chapter=chapter, entry=entry, key=key, parameters=used, notebook_json=nbformat.writes(nb),
                    cache_dir=str(entry_cache.path),
                    failed_path=str(variant.layout.failed / f"{chapter}.ipynb"),
                    cwd=str(paths.CHAPTERS_DIR), data_dir=str(paths.DATA_DIR),
                    kernels_dir=str(variant.layout.build / ".kernels"),
                )
            cached.setdefault((variant.name, chapter), Outcome(chapter, "pending", 0.0, key))
    return list(jobs.values()), {k: v for k, v in cached.items()}


def run(variants: list[Variant], chapters: list[str] | None = None, jobs: int | None = None,
        progress: Callable[[Outcome], None] | None = None) -> dict[str, list[Outcome]]:
    """Execute what is not cached (in parallel worker processes); return each variant's outcomes in toc order."""
    for variant in variants:
        variant.layout.cache.mkdir(parents=True, exist_ok=True)
    todo, outcomes = plan(variants, chapters)
    executed: dict[str, Outcome] = {}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if todo:
        if workers == 1:
            for job in todo:
                outcome = execute_job(job)
                executed[job.key + job.chapter] = outcome
                if progress:
                    progress(outcome)
        else:
            ctx = multiprocessing.get_context("spawn")
            with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                futures = {pool.submit(execute_job, job): job for job in todo}
                for future in cf.as_completed(futures):
                    job = futures[future]
                    try:
                        outcome = future.result()
                    except Exception as exc:  # a crashed worker: report, keep going
                        outcome = Outcome(job.chapter, "failed", 0.0, job.key, "", f"worker crashed: {exc}")
                    executed[job.key + job.chapter] = outcome
                    if progress:
                        progress(outcome)
    result: dict[str, list[Outcome]] = {}
    order = chapter_ids()
    for variant in variants:
        rows = []
        for chapter in order:
            outcome = outcomes.get((variant.name, chapter))
            if outcome is None:
                continue
            if outcome.status == "pending":
                done = executed[outcome.key + chapter]
                outcome = Outcome(chapter, done.status, done.duration, done.key, done.notebook, done.error)
                if outcome.status == "failed":
                    target = variant.layout.failed / f"{chapter}.ipynb"
                    if done.notebook and Path(done.notebook) != target and Path(done.notebook).exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy(done.notebook, target)
                    outcome.notebook = str(target)
            rows.append(outcome)
        result[variant.name] = rows
    return result


# --- results export -------------------------------------------------------------------------------------


def glued_values(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Every glued name in an executed notebook with its machine-readable value."""
    from .book import GLUE_PREFIX, VALUE_MIME

    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            payload = output.get("data", {})
            if prefix + VALUE_MIME in payload:
                values[meta["name"]] = payload[prefix + VALUE_MIME]["value"]
            elif prefix + "text/plain" in payload:
                text = payload[prefix + "text/plain"]
                try:
                    values[meta["name"]] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    values[meta["name"]] = text
    return values


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def results_document(variant: Variant, outcomes: list[Outcome]) -> dict[str, Any]:
    """The book in machine-readable form: glued values per chapter, parameters, data hashes, versions, durations."""
    values: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        nb = nbformat.read(outcome.notebook, as_version=4)
        values[outcome.chapter] = glued_values(nb)
    return {
        "book": "Regional dynamics and vocational education (NEF 2016)",
        "variant": variant.name,
        "parameters": variant.parameters,
        "data": {"version": data_module.data_version(), "files": data_module.data_hashes()},
        "environment": package_versions(),
        "values": values,
        "durations_seconds": {o.chapter: round(o.duration, 3) for o in outcomes},
    }


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# --- staging and compiling ------------------------------------------------------------------------------


def _sync_file(src_bytes: bytes, target: Path) -> bool:
    """Write target only when its content changes (keeps Sphinx's incremental build); True if written."""
    if target.exists() and target.read_bytes() == src_bytes:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(src_bytes)
    return True


#: The chapter whose page ends with this build's run time per chapter (added when the book is staged).
RUN_TIMES_CHAPTER = "appendix_data"


def _with_run_times(notebook_bytes: bytes, outcomes: list[Outcome]) -> bytes:
    """Append a table of each chapter's execution time and status to a staged notebook.

    A chapter that came from the cache shows the time of the run that produced its cache entry.
    """
    nb = nbformat.reads(notebook_bytes.decode("utf-8"), as_version=4)
    lines = ["## Run time per chapter", "",
             "Added by the build: how long papermill took to execute each chapter (for a chapter taken from the "
             "cache, the run that produced the cache entry).", "",
             "| chapter | seconds |", "|---|---|"]
    lines += [f"| {o.chapter} | {o.duration:.1f} |" for o in outcomes]
    cell = nbformat.v4.new_markdown_cell("\n".join(lines))
    cell["id"] = "build-run-times"  # a fixed id: nbformat's random ids would make every staging differ
    nb.cells.append(cell)
    return nbformat.writes(nb).encode("utf-8")


def stage(variant: Variant, outcomes: list[Outcome]) -> str:
    """Write the staging book (config, toc, executed notebooks); return a fingerprint of its content."""
    layout = variant.layout
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    if variant.name != "default":
        config["title"] = f"{config.get('title', 'Book')}: {regions.name(variant.name)}"
    files = {"_config.yml": yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode(),
             "_toc.yml": (paths.ROOT / "_toc.yml").read_bytes()}
    entries = {chapter_id(e): e for e in toc_entries()}
    for outcome in outcomes:
        content = Path(outcome.notebook).read_bytes()
        if outcome.chapter == RUN_TIMES_CHAPTER:
            content = _with_run_times(content, outcomes)
        files[f"{entries[outcome.chapter]}.ipynb"] = content
    static = paths.ROOT / "_static"
    if static.exists():
        for path in sorted(static.rglob("*")):
            if path.is_file():
                files[str(path.relative_to(paths.ROOT))] = path.read_bytes()
    wanted = {layout.staging / name for name in files}
    if layout.staging.exists():
        for path in layout.staging.rglob("*"):
            if path.is_file() and path not in wanted:
                path.unlink()
    digest = hashlib.sha256()
    for name, content in sorted(files.items()):
        _sync_file(content, layout.staging / name)
        digest.update(name.encode() + b"\0" + _sha(content).encode())
    return digest.hexdigest()


def compile_site(variant: Variant, fingerprint: str, log: Callable[[str], None] = print) -> str:
    """Compile the staging book with Jupyter Book (execution off, -W -n --keep-going) and swap the html in.

    Returns "built"; "unchanged" (nothing compiled) when the staged content is that of the current site; or
    "failed", leaving the previous site untouched.
    """
    layout = variant.layout
    stamp = layout.html / ".build-fingerprint"
    if stamp.exists() and stamp.read_text() == fingerprint and (layout.html / "index.html").exists():
        return "unchanged"
    layout.jb_out.mkdir(parents=True, exist_ok=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jupyter_book) if jupyter_book.exists() else "jupyter-book", "build", str(layout.staging),
           "--path-output", str(layout.jb_out), "-W", "-n", "--keep-going", "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    built = layout.jb_out / "_build" / "html"
    if proc.returncode != 0 or not (built / "index.html").exists():
        log_file = layout.build / "failed" / variant.name / "jupyter-book.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text(proc.stdout + "\n" + proc.stderr)
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        log(f"Jupyter Book build failed for {variant.name}; full log: {log_file}\n{tail}")
        # the next build must start clean: Sphinx would not re-emit the warnings of unchanged pages
        shutil.rmtree(layout.jb_out, ignore_errors=True)
        return "failed"
    layout.base.mkdir(parents=True, exist_ok=True)
    incoming = layout.base / ".html-incoming"
    outgoing = layout.base / ".html-outgoing"
    for tmp in (incoming, outgoing):
        shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(built, incoming)
    (incoming / ".build-fingerprint").write_text(fingerprint)
    if layout.html.exists():
        layout.html.rename(outgoing)
    incoming.rename(layout.html)
    shutil.rmtree(outgoing, ignore_errors=True)
    return "built"


def write_landing_page(variants: list[Variant]) -> Path:
    """``_build/regions/index.html``: one link per region variant."""
    items = "\n".join(
        f'<li><a href="{v.name}/html/index.html">{regions.name(v.name)}</a> '
        f'<span class="id">({v.name})</span></li>' for v in variants
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Regional dynamics and vocational education: the book per region</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.5}} .id{{color:#666}}</style></head>
<body><h1>Regional dynamics and vocational education</h1>
<p>The same book, run with each study region as its focus. Every number, chart and paragraph about the focus
region is computed for it.</p>
<ul>
{items}
</ul></body></html>
"""
    target = paths.BUILD_DIR / "regions" / "index.html"
    _write_atomic(target, page)
    return target


@dataclass
class BuildReport:
    """What a run or build did: outcomes per variant, which variants compiled, and whether all succeeded."""

    outcomes: dict[str, list[Outcome]]
    compiled: dict[str, bool] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        failed = any(o.status == "failed" for rows in self.outcomes.values() for o in rows)
        return not failed and all(self.compiled.values())

    def failures(self) -> list[Outcome]:
        return [o for rows in self.outcomes.values() for o in rows if o.status == "failed"]


def take_screenshots(variant: Variant, log: Callable[[str], None] = print) -> list[Path]:
    """Screenshots of the front page and chapter 2 into ``_build/screenshots/`` with headless Chromium.

    Best effort: skipped (with a message) where Chromium is not installed; never fails the build.
    """
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        log("screenshots skipped: Chromium is not installed (Debian package 'chromium')")
        return []
    target = paths.BUILD_DIR / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    taken = []
    for name, page in (("front-page", "chapters/index.html"), ("chapter-2", "chapters/ch2_occupations.html")):
        html = variant.layout.html / page
        if not html.exists():
            continue
        out = target / f"{variant.name}-{name}.png"
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}", "--window-size=1280,2400",
               f"--screenshot={out}", html.as_uri()]
        try:
            subprocess.run(cmd, capture_output=True, timeout=120, check=True)
            taken.append(out)
        except (subprocess.SubprocessError, OSError) as exc:
            log(f"screenshot of {page} failed: {exc}")
    return taken


def build(variants: list[Variant], jobs: int | None = None, compile_html: bool = True,
          chapters: list[str] | None = None, progress: Callable[[Outcome], None] | None = None,
          log: Callable[[str], None] = print, screenshots: bool = False) -> BuildReport:
    """Run every variant's chapters, then (when all succeeded) stage, compile and export each variant."""
    start = time.perf_counter()
    outcomes = run(variants, chapters=chapters, jobs=jobs, progress=progress)
    report = BuildReport(outcomes)
    if not compile_html:
        report.seconds = time.perf_counter() - start
        return report
    ready = [v for v in variants if not any(o.status == "failed" for o in outcomes[v.name])]
    for variant in variants:
        if variant not in ready:
            report.compiled[variant.name] = False
            log(f"{variant.name}: not compiled because a chapter failed; the previous site is kept")
    fingerprints = {v.name: stage(v, outcomes[v.name]) for v in ready}
    compile_status: dict[str, str] = {}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(ready)))
    with cf.ThreadPoolExecutor(max_workers=workers) as pool:  # each compile is its own subprocess
        futures = {pool.submit(compile_site, v, fingerprints[v.name], log): v for v in ready}
        for future in cf.as_completed(futures):
            compile_status[futures[future].name] = future.result()
    report.compiled.update({name: status != "failed" for name, status in compile_status.items()})
    for variant in ready:
        if report.compiled[variant.name]:
            doc = results_document(variant, outcomes[variant.name])
            _write_atomic(variant.layout.results / "results.json",
                          json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
            audit = [o for o in outcomes[variant.name] if o.chapter == "appendix_audit"]
            if audit:
                _export_audit(audit[0], variant.layout.results / "audit.csv")
            if screenshots and compile_status[variant.name] == "built":
                take_screenshots(variant, log)
    if len(variants) > 1 or variants[0].name != "default":
        write_landing_page([v for v in variants if v.name != "default"] or variants)
    report.seconds = time.perf_counter() - start
    return report


def _export_audit(outcome: Outcome, target: Path) -> None:
    """Write the audit chapter's glued check table as CSV beside results.json."""
    import csv
    import io

    nb = nbformat.read(outcome.notebook, as_version=4)
    records = glued_values(nb).get("audit_checks")
    if not records:
        return
    columns = ["check_id", "location", "statement", "stated", "recomputed", "difference", "verdict"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    _write_atomic(target, buffer.getvalue())


def clean() -> list[Path]:
    """Remove build outputs (the whole ``_build`` directory); returns what was removed."""
    removed = []
    if paths.BUILD_DIR.exists():
        shutil.rmtree(paths.BUILD_DIR)
        removed.append(paths.BUILD_DIR)
    return removed
