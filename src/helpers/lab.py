"""JupyterLab on the chapters: MyST Markdown files open as notebooks and save back with the smallest diff.

Jupytext's contents manager reads ``chapters/*.md`` as notebooks and writes them back as MyST Markdown without
outputs, but it writes its own canonical layout (a blank line after a cell's ``:tags:`` line, its version in the
header). ``ChapterContentsManager`` keeps the file's own layout wherever the notebook did not change, so saving
an unedited chapter leaves the file byte for byte as it was and an edit shows in ``git diff`` as just that edit.
``make lab`` uses it through ``lab/jupyter_server_config.py``.
"""

from __future__ import annotations

import contextvars
import difflib
from pathlib import Path

import jupytext
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

#: True while a notebook (not a text file typed in the editor) is being written as text.
_saving_notebook: contextvars.ContextVar[bool] = contextvars.ContextVar("saving_notebook", default=False)


def _cells(text: str) -> list[tuple[str, str, dict]]:
    nb = jupytext.reads(text, fmt="md")
    return [(c.cell_type, c.source, dict(c.get("metadata", {}))) for c in nb.cells]


def _edits(base: list[str], other: list[str]) -> tuple[list[bool], list[list[str]]]:
    """Per line of ``base``: whether ``other`` keeps it, and the lines ``other`` inserts before it (and at the end)."""
    kept = [True] * len(base)
    inserted: list[list[str]] = [[] for _ in range(len(base) + 1)]
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            kept[i1:i2] = [False] * (i2 - i1)
        if tag in ("insert", "replace"):
            inserted[i1].extend(other[j1:j2])
    return kept, inserted


def keep_layout(before: str, after: str, config=None) -> str:
    """``after`` (jupytext's text of the notebook being saved) in the layout of ``before`` (the file on disk).

    A three-way merge by lines: the base is jupytext's own text of ``before``; the differences base -> ``before``
    are the file's layout, base -> ``after`` the edits made in the notebook. Returns ``after`` unchanged when the
    two touch the same lines or the merged text would not read back as the same notebook.
    """
    try:
        nb_before = jupytext.reads(before, fmt="md")
        base_text = jupytext.writes(nb_before, fmt="md:myst", config=config)
    except Exception:  # not a MyST notebook on disk (e.g. a new file): nothing to keep
        return after
    base = base_text.splitlines(keepends=True)
    kept_layout, added_layout = _edits(base, before.splitlines(keepends=True))
    kept_edit, added_edit = _edits(base, after.splitlines(keepends=True))
    merged: list[str] = []
    for index in range(len(base) + 1):
        layout, edit = added_layout[index], added_edit[index]
        if layout and edit and layout != edit:
            return after
        merged.extend(edit or layout)
        if index < len(base) and kept_layout[index] and kept_edit[index]:
            merged.append(base[index])
    text = "".join(merged)
    try:
        same = _cells(text) == _cells(after)
    except Exception:
        same = False
    return text if same else after


class _LayoutKeepingFileManager(AsyncLargeFileManager):
    """Writes a notebook's MyST text in the layout of the file it replaces (text typed in the editor: verbatim)."""

    async def save(self, model, path=""):
        if _saving_notebook.get() and model.get("type") == "file" and path.endswith(".md"):
            on_disk = Path(self._get_os_path(path.strip("/")))
            if on_disk.is_file():
                config = await self.get_config(path.strip("/"))
                before = on_disk.read_text(encoding="utf-8")
                model = {**model, "content": keep_layout(before, model["content"], config)}
        return await super().save(model, path)


def keep_declared_kernel(notebook: dict, file: Path) -> dict:
    """``notebook`` with the kernelspec that ``file`` declares when both name the same kernel.

    JupyterLab writes the running kernel's spec into the notebook, with a display name and key order of its own;
    the kernel that matters is the one named, so the chapter's own declaration is kept.
    """
    try:
        declared = dict(jupytext.read(file).metadata.get("kernelspec", {}))
    except Exception:  # no readable notebook on disk (a new file)
        return notebook
    running = notebook.get("metadata", {}).get("kernelspec", {})
    if declared and running.get("name") == declared.get("name"):
        notebook = {**notebook, "metadata": {**notebook["metadata"], "kernelspec": declared}}
    return notebook


class ChapterContentsManager(build_async_jupytext_contents_manager_class(_LayoutKeepingFileManager)):
    """Jupytext's contents manager (Markdown opens as a notebook) that saves with the smallest diff."""

    async def save(self, model, path=""):
        if model.get("type") == "notebook" and path.endswith(".md"):
            on_disk = Path(self._get_os_path(path.strip("/")))
            model = {**model, "content": keep_declared_kernel(model["content"], on_disk)}
        token = _saving_notebook.set(model.get("type") == "notebook")
        try:
            return await super().save(model, path)
        finally:
            _saving_notebook.reset(token)


__all__ = ["ChapterContentsManager", "keep_declared_kernel", "keep_layout"]
