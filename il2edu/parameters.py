"""Model parameters (seeds/parameters.yaml) and dosing presets (seeds/regimens.yaml): loading and checking.

Import-light on purpose (stdlib and yaml only): `il2edu validate` runs `check` where numpy and widgets
may be absent. The models read numbers through `value(section, name)`.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from . import content

KINDS = {"measured", "derived", "assumption"}
ROUTES = {"iv", "sc"}
DOSE_UNITS = {"IU", "IU/kg", "IU/m2"}
# Sections whose entries are blocks of parameters (one per cell type) rather than parameters.
GROUPED = {"receptors", "receptor_subsets"}
CHAINS = ("cd25", "cd122", "gc")


_SEEDS_DIRS: dict = {}


def _seeds(root):
    # content.seeds_dir() resolves paths (slow for a model called per slider move): remember it per
    # IL2EDU_SEEDS setting; content._load still re-reads a file whenever it changes on disk.
    if root is not None:
        return root
    key = os.environ.get("IL2EDU_SEEDS")
    if key not in _SEEDS_DIRS:
        _SEEDS_DIRS[key] = content.seeds_dir()
    return _SEEDS_DIRS[key]


def parameters(root=None) -> dict:
    """The whole of seeds/parameters.yaml."""
    return content._load("parameters.yaml", _seeds(root))


def regimens(root=None) -> dict:
    """The dosing presets of seeds/regimens.yaml, keyed by preset id."""
    return content._load("regimens.yaml", _seeds(root))


def datasets(root=None) -> dict:
    """Measured data sets the models are judged against (seeds/data/*.yaml), keyed by file stem."""
    folder = content._root(_seeds(root)) / "data"
    if not folder.is_dir():
        return {}
    return {p.stem: content._load(f"data/{p.name}", _seeds(root)) for p in sorted(folder.glob("*.yaml"))}


def entry(section: str, name: str, root=None) -> dict:
    data = parameters(root)
    try:
        return data[section][name]
    except (KeyError, TypeError):
        raise content.ContentError(
            content._root(root) / "parameters.yaml", f"no parameter '{name}' in section '{section}'", entry=name
        ) from None


def value(section: str, name: str, root=None) -> float:
    """The number a model uses, e.g. value('binding', 'kd_trimer') -> 10.0 (pM)."""
    return float(entry(section, name, root)["value"])


_CELLS: list = [None, None]  # [the parameters dict it was built from, the result]


def cell_types(root=None) -> dict:
    """{cell type id: {'label': ..., 'cd25': n, 'cd122': n, 'gc': n}} from the receptors section."""
    data = parameters(root)
    if _CELLS[0] is not data:  # rebuilt whenever the file is re-read
        out = {}
        for cell, block in data["receptors"].items():
            out[cell] = {"label": block.get("label", cell)}
            out[cell].update({chain: float(block[chain]["value"]) for chain in CHAINS})
        _CELLS[:] = [data, out]
    return {k: dict(v) for k, v in _CELLS[1].items()}


def cell_subsets(root=None) -> dict:
    """Like cell_types, for the receptor_subsets section (cells the explorers do not draw)."""
    data = parameters(root)
    return {
        name: {"label": block.get("label", name), **{chain: float(block[chain]["value"]) for chain in CHAINS}}
        for name, block in (data.get("receptor_subsets") or {}).items()
    }


# ---------------------------------------------------------------------------------------------------
# Checker for `il2edu validate` (registered in validate.EXTRA_CHECKERS as "il2edu.parameters:check").


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_parameter(path, where, p, refs, problems, Problem, check_reference_list, root):
    if not isinstance(p, dict):
        problems.append(Problem(path, where, "should be a mapping with value, unit, range, kind, references"))
        return
    val = p.get("value")
    if not _number(val):
        problems.append(Problem(path, where, f"'value' should be a number, not {val!r}"))
    if not p.get("unit"):
        problems.append(Problem(path, where, "'unit' is missing (use \"1\" for a plain number)"))
    rng = p.get("range")
    if not (isinstance(rng, list) and len(rng) == 2 and all(_number(x) for x in rng)):
        problems.append(Problem(path, where, "'range' should be [low, high], two numbers"))
    elif rng[0] > rng[1]:
        problems.append(Problem(path, where, f"'range' low {rng[0]} is above high {rng[1]}"))
    elif _number(val) and not rng[0] <= val <= rng[1]:
        problems.append(Problem(path, where, f"'value' {val} lies outside its range {rng}"))
    kind = p.get("kind")
    if kind not in KINDS:
        problems.append(Problem(path, where, f"'kind' should be one of {sorted(KINDS)}, not {kind!r}"))
    elif kind != "measured" and not str(p.get("note") or "").strip():
        article = "an" if kind[0] in "aeiou" else "a"
        problems.append(Problem(path, where, f"{article} {kind} value needs a 'note' saying how it was obtained"))
    check_reference_list(root, path, where, refs, p.get("references"), problems)
    for name in p.get("fitted_to") or []:
        if not (Path(root) / "data" / f"{name}.yaml").is_file():
            problems.append(Problem(path, where, f"'fitted_to' names '{name}', which is not a data set in seeds/data/"))


def _check_regimen(path, key, r, refs, problems, Problem, check_reference_list, root):
    if not isinstance(r, dict):
        problems.append(Problem(path, key, "should be a mapping with title, route, dose, dose_unit, ..."))
        return
    if not r.get("title"):
        problems.append(Problem(path, key, "'title' is missing"))
    if r.get("route") not in ROUTES:
        problems.append(Problem(path, key, f"'route' should be one of {sorted(ROUTES)}, not {r.get('route')!r}"))
    if r.get("dose_unit") not in DOSE_UNITS:
        problems.append(Problem(path, key, f"'dose_unit' should be one of {sorted(DOSE_UNITS)}"))
    for field, low in (("dose", 0), ("interval_h", 0)):
        v = r.get(field)
        if not _number(v) or v <= low:
            problems.append(Problem(path, key, f"'{field}' should be a number above {low}, not {v!r}"))
    n = r.get("n_doses")
    if not (isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 200):
        problems.append(Problem(path, key, f"'n_doses' should be a whole number from 1 to 200, not {n!r}"))
    if r.get("route") == "iv":
        inf = r.get("infusion_min", 0)
        if not _number(inf) or inf < 0:
            problems.append(Problem(path, key, f"'infusion_min' should be a number of minutes >= 0, not {inf!r}"))
    elif "infusion_min" in r:
        problems.append(Problem(path, key, "'infusion_min' applies to route iv only"))
    check_reference_list(root, path, key, refs, r.get("references"), problems)


def check(root: Path):
    """Problems in seeds/parameters.yaml and seeds/regimens.yaml, for `il2edu validate`."""
    from .validate import Problem, check_reference_list, load_mapping

    problems: list = []
    refs = load_mapping(root, "references.yaml", []) or {}
    path = "seeds/parameters.yaml"
    data = load_mapping(root, "parameters.yaml", problems)
    for section, block in (data or {}).items():
        if not isinstance(block, dict):
            problems.append(Problem(path, section, "a section should map names to parameters"))
            continue
        if section == "scenarios":
            for key, sc in block.items():
                where = f"scenarios.{key}"
                if not isinstance(sc, dict) or not sc.get("title"):
                    problems.append(Problem(path, where, "needs a 'title'"))
                    continue
                for field in ("production", "dose"):
                    if not _number(sc.get(field)) or sc[field] < 0:
                        problems.append(Problem(path, where, f"'{field}' should be a number >= 0"))
                check_reference_list(root, path, where, refs, sc.get("references"), problems)
            continue
        for name, p in block.items():
            if section in GROUPED:
                if not isinstance(p, dict):
                    problems.append(Problem(path, f"{section}.{name}", "should hold label, cd25, cd122, gc"))
                    continue
                for chain in CHAINS:
                    if chain not in p:
                        problems.append(Problem(path, f"{section}.{name}", f"'{chain}' is missing"))
                for sub, q in p.items():
                    if sub != "label":
                        _check_parameter(path, f"{section}.{name}.{sub}", q, refs, problems, Problem,
                                         check_reference_list, root)
            else:
                _check_parameter(path, f"{section}.{name}", p, refs, problems, Problem, check_reference_list, root)
    path = "seeds/regimens.yaml"
    regs = load_mapping(root, "regimens.yaml", problems)
    for key, r in (regs or {}).items():
        _check_regimen(path, key, r, refs, problems, Problem, check_reference_list, root)
    return problems
