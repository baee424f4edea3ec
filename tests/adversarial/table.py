"""Run every adversarial scenario on both kernels and write the outcome table into docs/reliability.md.

python -m tests.adversarial.table            # both kernels, rewrites the table in docs/reliability.md
python -m tests.adversarial.table --print    # print the table only
python -m tests.adversarial.table -k fork    # only scenarios whose name contains "fork"
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .driver import Outcome
from .runner import run_both
from .scenarios import SCENARIOS, Scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
BEGIN = "<!-- adversarial table: begin (python -m tests.adversarial.table) -->"
END = "<!-- adversarial table: end -->"


def table(scenarios: list[Scenario], ours: dict[str, Outcome], theirs: dict[str, Outcome]) -> str:
    rows = ["| group | scenario | ipykernel_lite | ipykernel 7 |", "| --- | --- | --- | --- |"]
    for sc in scenarios:
        o, t = ours[sc.name], theirs[sc.name]
        mark = "" if o.survived or not t.survived else " **(worse)**"
        rows.append(f"| {sc.group} | {sc.what.replace('|', '/')} (`{sc.name}`) | {o.cell()}{mark} | {t.cell()} |")
    survived_o = sum(ours[s.name].survived for s in scenarios)
    survived_t = sum(theirs[s.name].survived for s in scenarios)
    rows.append("")
    rows.append(
        f"Survived: ipykernel_lite {survived_o} of {len(scenarios)}, ipykernel {survived_t} of {len(scenarios)}."
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--print", action="store_true", help="print the table, leave docs/reliability.md alone")
    p.add_argument("-k", default="", help="only scenarios whose name contains this")
    args = p.parse_args(argv)
    chosen = [s for s in SCENARIOS if args.k in s.name]
    t0 = time.monotonic()
    results = run_both(chosen, verbose=True)
    ours, theirs = results["ours"], results["ipykernel"]
    text = table(chosen, ours, theirs)
    text += f"\nRun time for both kernels: {time.monotonic() - t0:.0f} s on 2 cores.\n"
    if args.print or args.k:
        print(text)
        return
    doc = DOC.read_text()
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    DOC.write_text(doc[:start] + "\n" + text + doc[end:])
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
