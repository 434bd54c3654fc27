"""`il2edu bench`: how fast the course responds, measured on this machine.

For every explorer: the median and 95th percentile of one update (model + redraw) over many programmatic
control changes, and of the model alone. For il2edu.check and il2edu.question: the first call in a fresh
process (IPython loaded, as in a kernel) and repeated calls. With --lessons: each lesson's Run All. Other modules add their own timings through PROVIDERS, each
"module:function" with function(repeat) -> list of result dicts.

    il2edu bench                   # print the table
    il2edu bench --json out.json   # also write {"machine": {...}, "results": [...]}
    il2edu bench --strict          # exit 1 if a target is missed
    il2edu bench --lessons         # also time Run All of every lesson
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import platform
import statistics
import sys
import time

# Other modules' benchmarks; a provider that cannot be imported yet is skipped with a note. A provider
# module may hold TARGETS_MS = {result name: median target in ms}; results may also carry
# target_median_ms / target_p95_ms themselves.
PROVIDERS: list[str] = [
    "il2edu.activities.quiz.benchmarks:run",
]

TARGETS = {
    "model": {"median_ms": 5.0},
    "update": {"median_ms": 30.0, "p95_ms": 60.0},
    "first-call": {"median_ms": 150.0},  # il2edu.check / il2edu.question, first call in a fresh kernel
    "repeat-call": {"median_ms": 20.0},  # ... and every call after it
}


def add_arguments(parser):
    parser.add_argument("--repeat", type=int, default=60, help="timed runs per benchmark (at least 50 by default)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if any target is missed")
    parser.add_argument("--only", metavar="TEXT", help="run only benchmarks whose name contains TEXT")
    parser.add_argument("--lessons", action="store_true",
                        help="also time Run All of every lesson (nbclient, a fresh kernel each; a few minutes)")


def percentile(values, q) -> float:
    """The q-th percentile (0-100) with linear interpolation, like numpy's default."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q / 100.0
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summarise(name, kind, times_s, **extra) -> dict:
    ms = [t * 1000.0 for t in times_s]
    result = {"name": name, "kind": kind, "median_ms": round(statistics.median(ms), 3),
              "p95_ms": round(percentile(ms, 95), 3), "n": len(ms)}
    result.update(extra)
    return result


def timed(fn, arguments) -> list:
    """Call fn(arg) once per argument (after one warm-up call) and return the durations in seconds."""
    fn(arguments[-1])
    out = []
    for arg in arguments:
        t0 = time.perf_counter()
        fn(arg)
        out.append(time.perf_counter() - t0)
    return out


def _cycle(values, n):
    return [values[i % len(values)] for i in range(n)]


def model_benchmarks(repeat: int) -> list:
    import numpy as np

    from .models import binding, pk, population, response

    results = []
    bprm = binding.BindingParams.load()
    conc = np.logspace(-1, 5, 200)
    cd25 = list(np.logspace(2, 4.4, 25))

    def binding_run(x):
        for name in binding.cell_type_names():
            c = binding.cell(name, cd25=x) if name == "treg" else binding.cell(name)
            binding.relative_response(conc, c, bprm)
            binding.ec50(c, bprm)

    results.append(summarise("binding model: 4 cell types x 200 concentrations + EC50s", "model",
                             timed(binding_run, _cycle(cd25, repeat))))

    pprm = pk.PKParams.load()
    presets = list(pk._p.regimens())
    regimens = [pk.Regimen.preset(p) for p in presets]
    results.append(summarise(f"regimen model: PK + responses + summary ({len(presets)} presets in turn)", "model",
                             timed(lambda r: response.regimen_response(r, pk_params=pprm, binding_params=bprm),
                                   _cycle(regimens, repeat))))

    popprm = population.PopulationParams.load()
    productions = list(np.linspace(0.2, 1.4, 25))
    results.append(summarise("population model: 120 days", "model",
                             timed(lambda x: population.simulate(production=x, dose=1.0, n_points=241, params=popprm),
                                   _cycle(productions, repeat))))
    return results


def update_benchmarks(repeat: int) -> list:
    """One explorer update = model + redraw + PNG encoding, as in the static mode.

    The live mode does the same drawing work in the kernel for every slider stop it precomputes (restore
    the cached background, draw the changing artists, encode a PNG), so these numbers stand for both. Most changes
    keep the axes and take the fast path; a change that moves the axes (here: the number of doses, which
    lengthens the time axis) redraws everything the first time those axes are shown; its line below counts
    them (full_redraws), and a last line times the uncached case on its own.
    """
    import numpy as np

    from . import explorers

    cases = [
        ("binding explorer", explorers.BindingExplorer, "concentration_pM", list(np.logspace(-1, 5, 37))),
        ("binding explorer", explorers.BindingExplorer, "treg_cd25", list(np.logspace(2.5, 4.4, 29))),
        ("regimen explorer", explorers.RegimenExplorer, "dose", [1e5, 2e5, 3e5, 5e5, 1e6, 1.5e6, 2e6, 3e6, 5e6, 7.5e6, 1e7]),
        ("regimen explorer", explorers.RegimenExplorer, "n_doses", list(range(1, 29))),
        ("population explorer", explorers.PopulationExplorer, "production", list(np.linspace(0.2, 1.4, 25))),
        ("trials explorer", _trials_explorer, "disease", None),
        ("trials explorer", _trials_explorer, "dose_range", [(0.1, 500), (0.2, 5), (1, 200), (5, 500), (0.5, 2)]),
    ]
    results = []
    for label, cls, control, values in cases:
        ex = cls(mode="static")
        if values is None:  # every option of a menu
            values = [v for _, v in ex.controls[control].options] if isinstance(ex.controls[control].options[0], tuple) \
                else list(ex.controls[control].options)
        kind = type(ex.controls[control].value)

        def change(v, ex=ex, control=control, kind=kind):
            ex.controls[control].value = kind(v)

        before = ex.full_redraws
        times = timed(change, _cycle(values, repeat))
        full = ex.full_redraws - before
        results.append(summarise(f"{label}: '{control}' change", "update", times, full_redraws=full))

    # The worst case, reported without a target: a change to axes never drawn before (no cached background).
    ex = explorers.RegimenExplorer(mode="static")

    def new_axes(n, ex=ex):
        ex._backgrounds.clear()
        ex.controls["n_doses"].value = n

    results.append(summarise("regimen explorer: new time axis, full redraw", "redraw",
                             timed(new_axes, _cycle([3, 20], repeat))))
    return results


def _trials_explorer(mode):
    from .explorers.trials_explorer import TrialsExplorer

    return TrialsExplorer(mode=mode)


# What a learner's first check and question cost: a fresh interpreter with IPython loaded (as in a kernel).
_FIRST_CALL = """
import os, sys, time
import ipykernel.ipkernel  # what a kernel has loaded before the first cell runs
t0, c0 = time.perf_counter(), time.process_time()
import il2edu
CALL
print((time.perf_counter() - t0) * 1000.0, (time.process_time() - c0) * 1000.0)
"""
CALLS = {
    "il2edu.check": 'il2edu.check("01-secretion-hour", 5)._repr_html_()',
    "il2edu.question": 'il2edu.question("01-discovery-name")',
}


def call_benchmarks(repeat: int) -> list:
    """il2edu.check and il2edu.question: the first call in a fresh process (a few processes), then repeated calls.

    The fresh processes find il2edu's bytecode compiled, as every kernel after the very first import does
    (Python writes it then); a PYTHONDONTWRITEBYTECODE environment (containers, CI) would otherwise make
    every process compile il2edu again. cpu_ms beside the wall time tells a busy machine from slow code."""
    import subprocess
    import tempfile

    import il2edu

    results = []
    with throwaway_home() as home, tempfile.TemporaryDirectory(prefix="il2edu-pyc-") as pyc:
        env = {**os.environ, "IL2EDU_HOME": home, "PYTHONPYCACHEPREFIX": pyc}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for name, call in CALLS.items():
            walls, cpus = [], []
            for k in range(max(1, min(repeat, 5)) + 1):
                out = subprocess.run([sys.executable, "-c", _FIRST_CALL.replace("CALL", call)], env=env,
                                     capture_output=True, text=True, check=True)
                wall, cpu = map(float, out.stdout.strip().splitlines()[-1].split())
                if k:  # the first process writes the bytecode
                    walls.append(wall / 1000.0)
                    cpus.append(cpu)
            results.append(summarise(f"{name}: first call in a fresh kernel", "first-call", walls,
                                     cpu_median_ms=round(statistics.median(cpus), 1)))
            results.append(summarise(f"{name}: repeated call", "repeat-call",
                                     timed(lambda _, call=call: eval(call, {"il2edu": il2edu}), [None] * repeat)))
    return results


def lesson_benchmarks(notebooks=None, timeout_s: int = 600) -> list:
    """Run All of each lesson in a fresh kernel (nbclient, as nbval and a learner's Run All do), in seconds."""
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    folder = Path(__file__).resolve().parent.parent / "notebooks"
    results = []
    with throwaway_home():
        for path in notebooks or sorted(folder.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            t0 = time.perf_counter()
            NotebookClient(nb, timeout=timeout_s, kernel_name="python3",
                           resources={"metadata": {"path": str(folder)}}).execute()
            results.append(summarise(f"lesson {Path(path).stem}: Run All", "lesson", [time.perf_counter() - t0]))
    return results


@contextlib.contextmanager
def throwaway_home():
    """IL2EDU_HOME set to a temporary folder (for this process and its children): a benchmark's attempts never
    reach the learner's own progress."""
    import tempfile

    old = os.environ.get("IL2EDU_HOME")
    with tempfile.TemporaryDirectory(prefix="il2edu-bench-") as home:
        os.environ["IL2EDU_HOME"] = home
        try:
            yield home
        finally:
            from . import progress

            for folder in [f for f in progress._STORES if str(f) == home]:
                progress._STORES.pop(folder).close()
            if old is None:
                os.environ.pop("IL2EDU_HOME", None)
            else:
                os.environ["IL2EDU_HOME"] = old


def provider_results(repeat: int, providers=None) -> tuple:
    results, notes = [], []
    for spec in PROVIDERS if providers is None else providers:
        module_name, func_name = spec.split(":")
        try:
            module = importlib.import_module(module_name)
            found = getattr(module, func_name)(repeat)
            # A provider may state median targets by name in TARGETS_MS instead of inside each result.
            named = getattr(module, "TARGETS_MS", {}) or {}
            for r in found:
                if r.get("name") in named and "target_median_ms" not in r:
                    r = {**r, "target_median_ms": float(named[r["name"]])}
                results.append(r)
        except Exception as err:  # a provider's failure must not hide the others' numbers
            notes.append(f"failed: {spec}: {err.__class__.__name__}: {err}")
    return results, notes


def judge(result: dict) -> dict:
    """Add target fields and 'met' (True, False, or None when the kind has no target)."""
    target = dict(TARGETS.get(result.get("kind"), {}))
    for key in ("median_ms", "p95_ms"):
        if f"target_{key}" in result:
            target[key] = result[f"target_{key}"]
    out = dict(result)
    if not target:
        out["met"] = None
        return out
    met = True
    for key, limit in target.items():
        out[f"target_{key}"] = limit
        if not (out.get(key) is not None and out[key] <= limit):
            met = False
    out["met"] = met
    return out


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }
    try:
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        pass
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import matplotlib
        import numpy
        import scipy

        info["numpy"], info["scipy"], info["matplotlib"] = numpy.__version__, scipy.__version__, matplotlib.__version__
    except ImportError:
        pass
    return info


def _target_text(r) -> str:
    parts = []
    if "target_median_ms" in r:
        parts.append(f"median <= {r['target_median_ms']:g}")
    if "target_p95_ms" in r:
        parts.append(f"p95 <= {r['target_p95_ms']:g}")
    return ", ".join(parts) or "-"


def table(results) -> str:
    rows = [("benchmark", "kind", "median ms", "p95 ms", "n", "target ms", "")]
    for r in results:
        status = {True: "met", False: "MISSED", None: ""}[r.get("met")]
        if "cpu_median_ms" in r:
            status += f" (CPU {r['cpu_median_ms']:.0f} ms)"
        rows.append((r["name"], r["kind"], f"{r['median_ms']:.2f}", f"{r['p95_ms']:.2f}", str(r["n"]),
                     _target_text(r), status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for j, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) if i in (0, 1, 5, 6) else cell.rjust(widths[i])
                               for i, cell in enumerate(row)).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run_all(repeat: int, only=None, providers=None, lessons=False) -> tuple:
    results = model_benchmarks(repeat) + update_benchmarks(repeat)
    if not only or any(only.lower() in name.lower() for name in CALLS):  # it starts processes: only when asked
        results += call_benchmarks(repeat)
    extra, notes = provider_results(repeat, providers)
    results += extra
    if lessons:
        results += lesson_benchmarks()
    if only:
        results = [r for r in results if only.lower() in r["name"].lower()]
    return [judge(r) for r in results], notes


def run(args) -> int:
    if args.repeat < 1:
        print("il2edu bench: --repeat must be at least 1", file=sys.stderr)
        return 2
    os.environ.setdefault("MPLBACKEND", "Agg")
    results, notes = run_all(args.repeat, args.only, lessons=getattr(args, "lessons", False))
    info = machine()
    print(f"il2edu bench on {info.get('cpu_model', info['processor'])}, {info['cpus']} CPUs, Python {info['python']}"
          + (f", load average {info['load_average']}" if "load_average" in info else ""))
    print(table(results))
    for note in notes:
        print(note)
    judged = [r for r in results if r.get("met") is not None]
    missed = [r for r in judged if not r["met"]]
    print(f"{len(judged) - len(missed)} of {len(judged)} targets met" if judged else "no benchmark with a target ran")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"machine": info, "results": results}, fh, indent=2)
        print(f"wrote {args.json}")
    # A benchmark that cannot run is a broken benchmark, not a met target.
    return 1 if notes or (args.strict and missed) else 0
