"""Write ``request_schemas.json``: the JSON Schema of every request's content, for ``protocol/schema_check.py``.

Run ``python -m ipykernel_lite.protocol.models.request_schemas`` after changing a request model; a test fails
while the file and the models disagree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .registry import REQUEST_TYPES, json_schema

OUTPUT = Path(__file__).resolve().parent / "request_schemas.json"
#: what the kernel receives: requests on shell and control, comm messages, and input_reply on stdin
RECEIVED = sorted(REQUEST_TYPES | {"input_reply"})


def _strip(schema: Any) -> Any:
    """Drop the prose (descriptions): the checker needs titles for its wording, never the documentation."""
    if isinstance(schema, dict):
        return {k: _strip(v) for k, v in schema.items() if not (k == "description" and isinstance(v, str))}
    if isinstance(schema, list):
        return [_strip(v) for v in schema]
    return schema


def build() -> dict[str, Any]:
    return {msg_type: _strip(json_schema(msg_type)) for msg_type in RECEIVED}


def render() -> str:
    return json.dumps(build(), indent=1)  # fields keep the models' order: errors are reported in it + "\n"


def main() -> int:
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
