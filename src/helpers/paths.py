"""Project paths, derived from the package location (never from the current directory)."""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the project checkout (the folder with ``_config.yml``).
ROOT = Path(os.environ.get("REGBOOK_ROOT", Path(__file__).resolve().parents[2]))
DATA_DIR = Path(os.environ.get("REGBOOK_DATA_DIR", ROOT / "data"))
CHAPTERS_DIR = ROOT / "chapters"
BUILD_DIR = ROOT / "_build"
