"""The small fixture book of the pipeline tests: two chapters, its config and table of contents.

``conftest.fixture_book`` writes it into a test's temporary folder (with a copy of the data) and points the pipeline
at it; ``build_book`` builds it and ``statuses`` says what each chapter did. ``HEADER`` starts any extra chapter.
"""

from __future__ import annotations

from pathlib import Path

import regbook as build

HEADER = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

INDEX = HEADER + """
# Fixture book

```{code-cell} ipython3
:tags: [parameters, remove-cell]
focus_region = "zo-drenthe"
```

```{code-cell} ipython3
:tags: [remove-cell]
from helpers import data, derived, glue, numbers, regions
value = derived.key_figure(focus_region, "unemployment")
glue.glue("fx_region", focus_region, regions.name(focus_region))
glue.glue("fx_unemployment", value, numbers.pct(value))
```

Unemployment in {glue:text}`fx_region` is {glue:text}`fx_unemployment`.
"""

SECOND = HEADER + """
# Second

```{code-cell} ipython3
:tags: [parameters, remove-cell]
alpha = 0.05
```

```{code-cell} ipython3
:tags: [remove-cell]
from helpers import data, glue, numbers
claims = data.load("claims")
glue.glue("fx_n_claims", len(claims), str(len(claims)))
glue.glue("fx_alpha", alpha, f"{alpha:g}")
```

The report makes {glue:text}`fx_n_claims` numeric claims; alpha is {glue:text}`fx_alpha`.
"""

CONFIG = """title: Fixture book
author: tests
only_build_toc_files: true
execute:
  execute_notebooks: "off"
"""

TOC = """format: jb-book
root: chapters/index
chapters:
  - file: chapters/second
"""


def write(root: Path) -> None:
    """Write the book's chapters, ``_config.yml`` and ``_toc.yml`` under ``root``."""
    (root / "chapters").mkdir(parents=True)
    (root / "chapters" / "index.md").write_text(INDEX)
    (root / "chapters" / "second.md").write_text(SECOND)
    (root / "_config.yml").write_text(CONFIG)
    (root / "_toc.yml").write_text(TOC)


def statuses(report: build.BuildReport, variant: str = "default") -> dict[str, str]:
    return {o.chapter: o.status for o in report.outcomes[variant]}


def build_book(overrides=None, region=None, jobs=1) -> build.BuildReport:
    return build.build([build.make_variant(region, overrides)], jobs=jobs, log=lambda m: None)
