"""``python -m bench.corpus [--diffs] [NOTEBOOK ...]``: the match rate of ipykernel_lite against ipykernel."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _lite_kernelspec() -> str:
    """A kernelspec for this checkout's ipykernel_lite (the tests' one), found through JUPYTER_PATH."""
    import json
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="corpus-spec-"))
    spec = root / "kernels" / "ipykernel_lite_corpus"
    spec.mkdir(parents=True)
    from ipykernel_lite.kernelspec import kernel_json

    data = kernel_json()
    data["argv"][0] = sys.executable
    data["env"] = {**data.get("env", {}), "PYTHONPATH": str(HERE.parents[1])}
    (spec / "kernel.json").write_text(json.dumps(data))
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root), os.environ.get("JUPYTER_PATH", "")]).rstrip(os.pathsep)
    return "ipykernel_lite_corpus"


def main(argv: list[str] | None = None) -> int:
    from .compare import compare

    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--diffs", action="store_true", help="show each differing cell")
    ap.add_argument("--reference", default="python3", help="ipykernel's kernelspec name")
    args = ap.parse_args(argv)
    lite = _lite_kernelspec()
    paths = args.notebooks or sorted((HERE / "notebooks").glob("*.ipynb"))
    total_det = total_same = total_cells = 0
    print("| notebook | code cells | deterministic | same on ipykernel_lite |")
    print("| --- | ---: | ---: | ---: |")
    for path in paths:
        r = compare(path, args.reference, lite)
        total_cells += r.cells
        total_det += r.deterministic
        total_same += r.same
        print(f"| {r.name} | {r.cells} | {r.deterministic} | {r.same} |", flush=True)
        if args.diffs:
            for i, src, a, b in r.diffs:
                print(f"    cell {i}: {src[:120]!r}")
                print(f"      ipykernel:      {a!r:.600}\n      ipykernel_lite: {b!r:.600}")
    rate = 100.0 * total_same / total_det if total_det else 0.0
    print(f"| **total** | {total_cells} | {total_det} | {total_same} ({rate:.1f}%) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
