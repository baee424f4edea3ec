"""IPython-style ``text/plain`` (``pretty(obj)``) and the ``_repr_pretty_(p, cycle)`` protocol.

``layout`` is the line-breaking engine, ``printers`` the printers for built-in types and the dispatch.
Imported on the first value a cell echoes, never at kernel start-up.
"""

from .printers import Call, PrettyPrinter, Printer, Raw, pretty, pretty_with

__all__ = ["Call", "PrettyPrinter", "Printer", "Raw", "pretty", "pretty_with"]
