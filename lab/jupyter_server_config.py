"""Jupyter server settings for `make lab`: JupyterLab on this checkout, chapters open as notebooks.

Loaded with `jupyter lab --config=lab/jupyter_server_config.py`; command-line options override it.
`settings/overrides.json` beside it sets JupyterLab's defaults (Markdown opens as a notebook on double click,
no autosave); `jupytext.toml` at the top of the checkout keeps Lab's own metadata out of the saved files.
"""

from pathlib import Path

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

#: The checkout (this file lives in <checkout>/lab/).
CHECKOUT = Path(__file__).resolve().parents[1]

c.ServerApp.ip = "127.0.0.1"  # this machine only; the printed URL carries the access token
c.ServerApp.root_dir = str(CHECKOUT)
c.LabApp.default_url = "/lab/tree/chapters"  # where the printed URL leads: the chapters in the file browser
# JupyterLab's defaults for this project (a user's own settings still win): settings/overrides.json
c.LabApp.app_settings_dir = str(CHECKOUT / "lab" / "settings")
# Jupytext's contents manager (Markdown notebooks open as notebooks, save as MyST Markdown without outputs),
# keeping each chapter's own layout where the notebook did not change (see src/helpers/lab.py).
c.ServerApp.contents_manager_class = "helpers.lab.ChapterContentsManager"
