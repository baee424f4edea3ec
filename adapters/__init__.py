"""Front ends built on ipykernel_lite's public API: ``adapters.iep`` (an IEP/Pyzo-style Qt shell and editor
actions). Each adapter imports its toolkit itself; importing this package costs nothing.
"""
