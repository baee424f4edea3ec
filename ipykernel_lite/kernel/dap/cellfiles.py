"""Where a cell's code lives on disk while the visual debugger is on, as the Jupyter debug protocol defines it.

JupyterLab computes the same name on its side (``debugInfo`` tells it how): ``tmpFilePrefix`` + the 32-bit
MurmurHash2 of the cell's code (UTF-8, seed ``hashSeed``) as an unsigned decimal + ``tmpFileSuffix``. A
breakpoint the user sets in a cell is sent for that path, and the kernel compiles the cell under the same path,
so the two meet in debugpy without any mapping table.
"""

from __future__ import annotations

import os
import tempfile

#: the seed both sides use; any fixed value works, JupyterLab reads it from debugInfo
HASH_SEED = 0xC70F6907
HASH_METHOD = "Murmur2"
SUFFIX = ".py"

_M = 0x5BD1E995
_MASK = 0xFFFFFFFF


def murmur2(data: bytes, seed: int = HASH_SEED) -> int:
    """32-bit MurmurHash2 (Austin Appleby's reference algorithm) over little-endian 4-byte blocks."""
    length = len(data)
    h = (seed ^ length) & _MASK
    whole = length - (length % 4)
    for i in range(0, whole, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * _M) & _MASK
        k ^= k >> 24
        k = (k * _M) & _MASK
        h = (h * _M) & _MASK
        h ^= k
    tail = data[whole:]
    if len(tail) == 3:
        h ^= tail[2] << 16
    if len(tail) >= 2:
        h ^= tail[1] << 8
    if tail:
        h ^= tail[0]
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    h ^= h >> 15
    return h


def tmp_folder() -> str:
    """One folder per kernel process, private to the user."""
    return os.path.join(tempfile.gettempdir(), f"ipykernel_lite_{os.getpid()}")


def prefix() -> str:
    return tmp_folder() + os.sep


def cell_path(code: str) -> str:
    """The file a cell with exactly this code is compiled under (and dumped to) while debugging."""
    return f"{prefix()}{murmur2(code.encode('utf-8'))}{SUFFIX}"


def dump(code: str) -> str:
    """Write the cell's code to its file (so debugpy and the front end can show its source); returns the path."""
    path = cell_path(code)
    os.makedirs(tmp_folder(), mode=0o700, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(code)
    return path
