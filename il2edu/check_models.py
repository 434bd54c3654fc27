"""`il2edu check-models`: print every model-versus-measurement comparison (il2edu.models.evidence)."""

from __future__ import annotations

import json
from pathlib import Path

VERDICT = {True: "pass", False: "FAIL", None: "gap"}


def add_arguments(parser):
    parser.add_argument("--json", metavar="FILE", help="also write the comparisons to FILE as JSON")


def _num(x) -> str:
    return f"{x:.3g}"


def format_row(r: dict) -> str:
    tol = r["tolerance"] or "none (known gap)"
    role = "fitting" if r["used_for_fitting"] else "validation"
    return (
        f"[{VERDICT[r['passed']]}] {r['dataset']} / {r['comparison']} ({r['source']}, {role})\n"
        f"    {r['quantity']}\n"
        f"    measured {_num(r['measured'])} {r['unit']} ({r['spread']}); model {_num(r['model'])} {r['unit']};"
        f" ratio {_num(r['ratio'])}; tolerance {tol}\n"
        f"    why: {r['tolerance_why']}"
    )


def run(args) -> int:
    from .models import evidence

    rows = evidence.report()
    for r in rows:
        print(format_row(r))
    s = evidence.summary(rows)
    print(
        f"\n{s['passed']} of {s['judged']} comparisons passed ({s['validation_passed']} on data not used for fitting,"
        f" from {s['sources_passed']} sources); {s['failed']} failed; {s['known_gaps']} known gaps shown, not judged."
    )
    if args.json:
        keys = ("dataset", "source", "quantity", "unit", "measured", "model", "tolerance", "used_for_fitting", "passed")
        out = {"comparisons": [{k: r[k] for k in keys} | {"comparison": r["comparison"], "known_gap": r["known_gap"]}
                               for r in rows]}
        Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 1 if s["failed"] else 0
