"""A stand-in for Jupyter Book's execution cache in the build's compiles, which execute nothing.

The build executes every chapter itself (papermill, ``execute``) and compiles with ``execute_notebooks: off``.
MyST-NB still imports jupyter-cache at start, and jupyter-cache imports SQLAlchemy: together about a third of a
compile's imports (0.25-0.4 s of the single-threaded start that the rebuild after a prose edit waits for). A
compile of a book with execution off imports this stand-in instead: every name imported from it is a
placeholder, and calling one (which only executing with the cache would do) raises ``ExecutionOff``, naming
the setting. A book whose ``_config.yml`` executes gets the real library (``compile.executes``). nbclient and
jupyter_client cannot be stood in for: MyST-NB calls nbclient's ``run_sync`` when it defines its classes.
"""

from __future__ import annotations

import sys
import types

#: jupyter-cache and the submodules MyST-NB imports from it (``myst_nb.core.execute``).
MODULES = ("jupyter_cache", "jupyter_cache.base", "jupyter_cache.cache", "jupyter_cache.cache.db",
           "jupyter_cache.executors", "jupyter_cache.executors.utils")


class ExecutionOff(RuntimeError):
    """Raised by a stand-in: this compile was started for a book that does not execute notebooks."""


class _Placeholder(Exception):
    """A name imported from a stand-in; it can be named (also in an ``except`` clause), never called."""

    def __new__(cls, *args, **kwargs):
        raise ExecutionOff(f"{cls.__module__}.{cls.__name__} was called in a compile with execute_notebooks: off; "
                           "the build executes chapters itself (set execute_notebooks to \"off\" in _config.yml)")


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        placeholder = type(name, (_Placeholder,), {"__module__": self.__name__})
        setattr(self, name, placeholder)
        return placeholder


def install() -> None:
    """Put the stand-ins in ``sys.modules`` (a module imported already stays as it is)."""
    for name in MODULES:
        if name not in sys.modules:
            module = _StandIn(name)
            module.__path__ = []  # a package, so that its submodules import
            sys.modules[name] = module
