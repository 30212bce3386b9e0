"""Project paths, derived from the package location (never from the current directory)."""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the project checkout (the folder with ``_config.yml``).
ROOT = Path(os.environ.get("REGBOOK_ROOT", Path(__file__).resolve().parents[2]))
DATA_DIR = Path(os.environ.get("REGBOOK_DATA_DIR", ROOT / "data"))
CHAPTERS_DIR = ROOT / "chapters"
#: Environment overrides (used by tests and by worker processes): REGBOOK_ROOT, REGBOOK_DATA_DIR, REGBOOK_BUILD_DIR.
BUILD_DIR = Path(os.environ.get("REGBOOK_BUILD_DIR", ROOT / "_build"))
