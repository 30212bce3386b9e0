"""Compiled HTML templates kept between the build's compiles.

Sphinx compiles each Jinja template of the theme (pydata-sphinx-theme and sphinx-book-theme: some forty) afresh in
every compile: about a quarter of the compile after a prose edit. Jinja can keep compiled templates in a folder
(``FileSystemBytecodeCache``); it checks each entry against its template's source, so an edited template is
compiled again, and against the Python and Jinja versions. Sphinx has no setting for it, so the build's compiles
set it on the template environment Sphinx makes (``install``).

Jinja's key is the template's name and file, not the environment's settings; those are fixed by the installed
Sphinx and by whether Jinja's i18n extension is on, so the folder is named after the installed packages
(``folder``) and the extensions.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def folder(build: Path) -> Path:
    """The cache of a build folder for the packages installed now: ``<build>/.jb/.templates/<digest>``."""
    from .fingerprint import installed_packages

    return Path(build) / ".jb" / ".templates" / installed_packages()[:16]


def install(base: str) -> None:
    """Make every Sphinx template environment created in this process keep its compiled templates under
    ``base`` (in a subfolder per set of Jinja extensions)."""
    from jinja2 import FileSystemBytecodeCache
    from sphinx.jinja2glue import BuiltinTemplateLoader

    make_environment = BuiltinTemplateLoader.init

    def init(self, *args, **kwargs) -> None:
        make_environment(self, *args, **kwargs)
        extensions = ",".join(sorted(self.environment.extensions))
        target = Path(base) / hashlib.sha256(extensions.encode()).hexdigest()[:8]
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError:
            return  # no cache: templates are compiled as usual
        self.environment.bytecode_cache = FileSystemBytecodeCache(str(target))

    BuiltinTemplateLoader.init = init
