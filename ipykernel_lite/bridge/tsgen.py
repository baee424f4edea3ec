"""The TypeScript mirror of the bridge schema's named enums (``KernelState`` …), generated so that the VS Code
extension and the Python side cannot disagree: ``python -m ipykernel_lite.bridge.tsgen --write`` writes
``adapters/vscode/src/schemaTypes.ts``; a test checks it is current.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .schema import bridge_json_schema

TS_FILE = Path(__file__).resolve().parents[2] / "adapters" / "vscode" / "src" / "schemaTypes.ts"


def ts_text(schema: dict[str, Any] | None = None) -> str:
    defs = (schema or bridge_json_schema())["$defs"]
    lines = [
        "// Generated from docs/bridge-schema.json by `python -m ipykernel_lite.bridge.tsgen --write`; do not edit.",
        "",
    ]
    for name in sorted(defs):
        d = defs[name]
        values = d.get("enum")
        if not values or not all(isinstance(v, str) for v in values):
            continue
        doc = str(d.get("description", "")).strip().splitlines()
        if doc:
            lines.append(f"/** {doc[0]} */")
        union = " | ".join(f'"{v}"' for v in values)
        lines.append(f"export type {name} = {union};")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--write"]:
        TS_FILE.write_text(ts_text(), encoding="utf-8")
        print(f"wrote {TS_FILE}")
        return 0
    if args:
        print("usage: python -m ipykernel_lite.bridge.tsgen [--write]", file=sys.stderr)
        return 2
    sys.stdout.write(ts_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
