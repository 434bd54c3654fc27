"""`il2edu validate`: check everything in seeds/ and report problems as file, entry, message.

Each seeds file (and each measured data set in seeds/data/) has one checker, a function (root: Path) -> iterable of Problem. Checkers of
files owned by other modules (quiz banks, parameters, trials...) are listed in EXTRA_CHECKERS
as "module:function" and imported only when validation runs.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import content

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
REFERENCE_TYPES = {"article", "review", "label", "dataset", "registry", "web", "book", "report"}
# "[morgan1976]" in lesson text cites a reference; keys end in a year, optionally a letter or suffix.
CITATION_PATTERN = re.compile(r"\[([a-z][a-z_]*\d{4}[a-z0-9_]*)\]")

EXTRA_CHECKERS: list[str] = [
    "il2edu.activities.quiz.bank:check_banks",
    "il2edu.activities.exercises:check_exercises",
    "il2edu.activities.prompts:check_activities",
    "il2edu.parameters:check",
    "il2edu.instructor.stamp:check_stamps",
    "il2edu.instructor.key:check_keys",
    "il2edu.trials:validate_trials",
]


@dataclass(frozen=True)
class Problem:
    path: str
    entry: object
    message: str

    def __str__(self):
        where = f"{self.path}: entry '{self.entry}'" if self.entry is not None else self.path
        return f"{where}: {self.message}"


def display_path(root: Path, path: Path) -> str:
    """seeds/<file> for messages, whatever folder the seeds live in."""
    try:
        return str(Path("seeds") / Path(path).relative_to(root))
    except ValueError:
        return str(path)


def load_mapping(root: Path, name: str, problems: list) -> dict | None:
    """Load one seeds mapping, turning a read or parse failure into a Problem."""
    try:
        return content._load(name, root)
    except content.ContentError as err:
        problems.append(Problem(display_path(root, Path(err.path)), err.entry, err.message))
        return None


def check_reference_list(root, path, entry, refs, keys, problems, field="references"):
    """Shared by every checker whose entries cite references."""
    if keys is None:
        problems.append(Problem(path, entry, f"'{field}' is missing; cite at least one key from seeds/references.yaml"))
        return
    if isinstance(keys, str) or not isinstance(keys, list) or not keys:
        problems.append(Problem(path, entry, f"'{field}' should be a non-empty list of reference keys"))
        return
    for key in keys:
        if key not in refs:
            problems.append(Problem(path, entry, f"unknown reference key '{key}' (not in seeds/references.yaml)"))


def check_references(root: Path):
    problems: list[Problem] = []
    refs = load_mapping(root, "references.yaml", problems)
    path = "seeds/references.yaml"
    for key, entry in (refs or {}).items():
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(Problem(path, key, "keys are lowercase letters, digits and underscores, starting with a letter"))
        if not isinstance(entry, dict):
            problems.append(Problem(path, key, "should be a mapping with authors, title, year..."))
            continue
        for field in ("title", "year", "type"):
            if not entry.get(field):
                problems.append(Problem(path, key, f"'{field}' is missing"))
        if not (entry.get("authors") or entry.get("publisher")):
            problems.append(Problem(path, key, "needs 'authors' (a list) or 'publisher'"))
        year = entry.get("year")
        if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
            problems.append(Problem(path, key, f"'year' should be a four-digit year, not {year!r}"))
        if entry.get("type") and entry["type"] not in REFERENCE_TYPES:
            problems.append(Problem(path, key, f"'type' should be one of {sorted(REFERENCE_TYPES)}"))
        doi = entry.get("doi")
        if doi is not None and not re.match(r"^10\.\d{4,9}/\S+$", str(doi)):
            problems.append(Problem(path, key, f"'doi' does not look like a DOI: {doi!r}"))
        pmid = entry.get("pmid")
        if pmid is not None and not str(pmid).isdigit():
            problems.append(Problem(path, key, f"'pmid' should be digits only: {pmid!r}"))
    return problems


def check_glossary(root: Path):
    problems: list[Problem] = []
    terms = load_mapping(root, "glossary.yaml", problems)
    refs = load_mapping(root, "references.yaml", []) or {}
    path = "seeds/glossary.yaml"
    for key, entry in (terms or {}).items():
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(Problem(path, key, "term ids are lowercase letters, digits and underscores"))
        if not isinstance(entry, dict):
            problems.append(Problem(path, key, "should be a mapping with term, definition, references"))
            continue
        if not entry.get("term"):
            problems.append(Problem(path, key, "'term' (the word as shown) is missing"))
        definition = str(entry.get("definition") or "").strip()
        if not definition:
            problems.append(Problem(path, key, "'definition' is missing"))
        elif len(re.findall(r"[.!?](\s|$)", definition)) > 3:
            problems.append(Problem(path, key, "'definition' should be one or two sentences"))
        check_reference_list(root, path, key, refs, entry.get("references"), problems)
        for other in entry.get("see_also") or []:
            if other not in (terms or {}):
                problems.append(Problem(path, key, f"'see_also' names unknown glossary term '{other}'"))
    return problems


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _check_tolerance(path, where, tol, problems):
    if not isinstance(tol, dict) or len(tol) != 1:
        problems.append(Problem(path, where, "'tolerance' should be {factor: F} or {range: [low, high]}"))
    elif "factor" in tol:
        if not (_is_number(tol["factor"]) and tol["factor"] > 1):
            problems.append(Problem(path, where, "'tolerance.factor' should be a number above 1"))
    elif "range" in tol:
        rng = tol["range"]
        if not (isinstance(rng, list) and len(rng) == 2 and all(map(_is_number, rng)) and rng[0] <= rng[1]):
            problems.append(Problem(path, where, "'tolerance.range' should be [low, high] with low <= high"))
    else:
        problems.append(Problem(path, where, "'tolerance' should be {factor: F} or {range: [low, high]}"))


def check_datasets(root: Path):
    """seeds/data/*.yaml: measured data sets, each traced to a reference, with tolerances given and justified."""
    problems: list[Problem] = []
    folder = Path(root) / "data"
    if not folder.is_dir():
        return problems
    refs = load_mapping(root, "references.yaml", []) or {}
    for file in sorted(folder.glob("*.yaml")):
        path = f"seeds/data/{file.name}"
        data = load_mapping(root, f"data/{file.name}", problems)
        if data is None:
            continue
        for field in ("title", "where", "how_read"):
            if not str(data.get(field) or "").strip():
                problems.append(Problem(path, None, f"'{field}' is missing (say where in the source and how it was read)"))
        if data.get("reference") not in refs:
            problems.append(Problem(path, None, f"'reference' should be a key from seeds/references.yaml, not {data.get('reference')!r}"))
        rows = data.get("comparisons") or []
        obs = data.get("observations") or []
        if not isinstance(rows, list) or not isinstance(obs, list) or not (rows or obs):
            problems.append(Problem(path, None, "needs a list of 'comparisons' or 'observations'"))
            continue
        seen = set()
        for i, row in enumerate(rows):
            where = row.get("id", f"comparisons[{i}]") if isinstance(row, dict) else f"comparisons[{i}]"
            if not isinstance(row, dict):
                problems.append(Problem(path, where, "each comparison should be a mapping"))
                continue
            if where in seen:
                problems.append(Problem(path, where, "comparison ids must be unique within a file"))
            seen.add(where)
            for field in ("id", "quantity", "unit", "spread"):
                if not str(row.get(field) or "").strip():
                    problems.append(Problem(path, where, f"'{field}' is missing"))
            if not _is_number(row.get("measured")):
                problems.append(Problem(path, where, "'measured' should be a number"))
            model = row.get("model")
            if not (isinstance(model, dict) and model.get("quantity")):
                problems.append(Problem(path, where, "'model' should name a model quantity: {quantity: ..., ...}"))
            if not isinstance(row.get("used_for_fitting"), bool):
                problems.append(Problem(path, where, "'used_for_fitting' should be true or false"))
            if "known_gap" in row:
                if "tolerance" in row or not str(row.get("known_gap") or "").strip():
                    problems.append(Problem(path, where, "a 'known_gap' says why the model misses, and has no tolerance"))
            else:
                _check_tolerance(path, where, row.get("tolerance"), problems)
                if not str(row.get("tolerance_why") or "").strip():
                    problems.append(Problem(path, where, "'tolerance_why' is missing: justify the tolerance from the data"))
        for i, ob in enumerate(obs):
            where = f"observations[{i}]"
            if not (isinstance(ob, dict) and ob.get("quantity") and ob.get("unit") and ob.get("spread")):
                problems.append(Problem(path, where, "needs 'quantity', 'unit', 'measured' and 'spread'"))
                continue
            m = ob.get("measured")
            if not (_is_number(m) or (isinstance(m, list) and m and all(map(_is_number, m)))):
                problems.append(Problem(path, where, "'measured' should be a number or a list of numbers"))
            if "references" in ob:
                check_reference_list(root, path, where, refs, ob["references"], problems)
    return problems


def notebook_citations(nb_path: Path):
    """(cited keys in Markdown, keys passed to il2edu.references) of one notebook."""
    data = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    cited, listed = set(), set()
    for cell in data.get("cells", []):
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            cited.update(CITATION_PATTERN.findall(source))
        elif cell.get("cell_type") == "code" and "references(" in source:
            call = source[source.index("references(") :]
            listed.update(re.findall(r"[\"']([a-z][a-z0-9_]*)[\"']", call))
    return cited, listed


def check_notebooks(root: Path, notebooks: Path | None):
    """Every key a lesson cites resolves and appears in that lesson's References list."""
    problems: list[Problem] = []
    if notebooks is None or not notebooks.is_dir():
        return problems
    refs = load_mapping(root, "references.yaml", []) or {}
    for nb in sorted(notebooks.glob("*.ipynb")):
        name = f"notebooks/{nb.name}"
        try:
            cited, listed = notebook_citations(nb)
        except (OSError, ValueError) as exc:
            problems.append(Problem(name, None, f"not valid notebook JSON ({exc})"))
            continue
        for key in sorted(cited | listed):
            if key not in refs:
                problems.append(Problem(name, key, "cites a reference key that is not in seeds/references.yaml"))
        for key in sorted(cited - listed):
            if key in refs:
                problems.append(Problem(name, key, "is cited in the text but missing from the References list"))
    return problems


def _resolve(spec: str):
    module_name, func_name = spec.split(":")
    return getattr(importlib.import_module(module_name), func_name)


def validate(root=None, notebooks=None) -> list[Problem]:
    """All problems found in the seeds folder (and the lessons' citations, when notebooks is given)."""
    root = Path(root) if root is not None else content.seeds_dir()
    problems = check_references(root) + check_glossary(root) + check_datasets(root)
    for spec in EXTRA_CHECKERS:
        problems.extend(_resolve(spec)(root))
    problems.extend(check_notebooks(root, Path(notebooks) if notebooks else None))
    return problems


def add_arguments(parser):
    parser.add_argument("--seeds", help="the seeds folder to check (default: the course's own)")
    parser.add_argument(
        "--notebooks", help="also check citations in this notebooks folder (default: notebooks/ beside seeds/, if any)"
    )


def run(args) -> int:
    root = Path(args.seeds) if args.seeds else content.seeds_dir()
    notebooks = Path(args.notebooks) if args.notebooks else root.parent / "notebooks"
    problems = validate(root, notebooks if notebooks.is_dir() else None)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found in {root}")
        return 1
    print(f"seeds OK: {root}")
    return 0
