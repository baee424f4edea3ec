"""Build ``corpus.json``: completion positions taken from real code (the standard library's own modules).

For each file, the modules it imports with a plain ``import x`` (or ``import x.y``) and the attribute chains
it reads from them (``os.path.join``) give a position: the source line up to the middle of the last name,
``os.path.jo``. Only the imports and those one-line snippets are kept (a few kB). Run it again to rebuild:

    python -m tests.completion_corpus.extract [N]
"""

from __future__ import annotations

import ast
import json
import random
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).parent
#: modules whose import is cheap and side-effect free in a kernel
ALLOWED = {
    "os", "re", "sys", "json", "math", "time", "collections", "itertools", "functools", "string", "random",
    "textwrap", "shutil", "struct", "datetime", "operator", "io", "types", "inspect", "tempfile", "copy",
    "heapq", "bisect", "enum", "warnings", "logging", "pathlib", "fnmatch", "glob", "stat", "codecs",
    "keyword", "token", "tokenize", "weakref", "contextlib", "abc", "errno", "platform", "posixpath", "base64",
    "hashlib", "binascii", "zlib", "decimal", "fractions", "statistics", "unicodedata", "calendar", "locale",
}  # fmt: skip


def _chain(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def positions(path: Path) -> list[dict[str, object]]:
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return []
    lines = source.splitlines()
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.asname is None and alias.name.split(".")[0] in ALLOWED
    }
    out: list[dict[str, object]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or node.end_lineno != node.lineno:
            continue
        chain = _chain(node)
        if not chain or chain[0] not in imported or node.attr.startswith("_"):
            continue
        line = lines[node.lineno - 1]
        end = node.end_col_offset or 0
        cut = end - len(node.attr) + max(1, len(node.attr) // 2)
        text = line[:cut].lstrip()
        if not text or len(text) > 100 or not text.isascii():
            continue
        out.append({"module": chain[0], "code": text, "expect": node.attr, "source": path.name})
    return out


def main(n: int = 240, seed: int = 15) -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    found: list[dict[str, object]] = []
    for path in sorted(stdlib.glob("*.py")):
        found.extend(positions(path))
    rng = random.Random(seed)
    rng.shuffle(found)
    seen: set[str] = set()
    corpus = []
    for entry in found:
        key = str(entry["code"])
        if key not in seen:
            seen.add(key)
            corpus.append(entry)
        if len(corpus) >= n:
            break
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    rows = ",\n".join(json.dumps(e) for e in corpus)
    text = f'{{"python": "{version}", "positions": [\n{rows}\n]}}\n'
    (HERE / "corpus.json").write_text(text, encoding="utf-8")
    print(f"{len(corpus)} positions from {len({e['source'] for e in corpus})} files")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
