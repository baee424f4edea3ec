"""``get_ipython().config``: traitlets-style sections with attribute access (``c.InlineBackend.figure_format``).

Sections are created on first access; ``'IPKernelApp' in config`` is true, as libraries (tqdm.autonotebook)
use that to tell a notebook kernel from a terminal.
"""

from __future__ import annotations

from typing import Any


class Section(dict[str, Any]):
    """One class's options; ``section.name`` reads and writes ``section["name"]``."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name[:1].isupper():
            return self.setdefault(name, Section())
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class Config(Section):
    """Sections by class name; a new one appears when read (traitlets' Config does the same)."""


def default_config() -> Config:
    c = Config()
    c["IPKernelApp"] = Section(kernel_class="ipykernel_lite")
    c["InlineBackend"] = Section(figure_format="png", rc={}, close_figures=True)
    c["InteractiveShell"] = Section(automagic=True, xmode="Context")
    return c
