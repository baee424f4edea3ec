"""The built-in magics, imported on first use (the table is ``ipykernel_lite.kernel.magics.LINE``/``CELL``).

Each module holds ``line_NAME(kernel, args)`` and ``cell_NAME(kernel, line, body)`` functions following
IPython's syntax, options and output. Nothing here is imported at kernel start-up.
"""
