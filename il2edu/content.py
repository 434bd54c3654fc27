"""Load the course's data from seeds/: references, glossary, and the other banks.

The seeds folder is found in this order:
1. the IL2EDU_SEEDS environment variable, if set;
2. il2edu/seeds inside an installed wheel (pyproject.toml ships it there);
3. seeds/ next to the il2edu package in a clone or an editable install.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml


class ContentError(ValueError):
    """A problem in one seeds file, phrased for the person who edits that file."""

    def __init__(self, path, message, entry=None):
        self.path = str(path)
        self.entry = entry
        self.message = message
        super().__init__(str(self))

    def __str__(self):
        where = f"{self.path}: entry '{self.entry}'" if self.entry is not None else self.path
        return f"{where}: {self.message}"


def seeds_dir() -> Path:
    """The folder holding the course's data."""
    override = os.environ.get("IL2EDU_SEEDS")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here / "seeds", here.parent / "seeds"):
        if (candidate / "references.yaml").is_file():
            return candidate
    raise ContentError(here / "seeds", "the course's data folder was not found; reinstall il2edu or set IL2EDU_SEEDS")


def _root(root) -> Path:
    return Path(root) if root is not None else seeds_dir()


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses ~5x faster
    """PyYAML keeps the last of two equal keys without a word; a course must hear about it."""


def _construct_unique_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


class _DuplicateKey(Exception):
    def __init__(self, key, line):
        self.key, self.line = key, line


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def read_yaml(path: Path):
    """Parse one YAML file; a syntax error, text that is not UTF-8 (Latin-1, UTF-16) or nesting too deep
    becomes a one-line ContentError naming the file."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ContentError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
        if "\x00" in text:  # UTF-16 decodes as UTF-8 only when it is all ASCII, with a NUL every other byte
            raise UnicodeDecodeError("utf-8", raw, 0, 1, "NUL bytes")
    except UnicodeDecodeError as exc:
        raise ContentError(path, f"is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except RecursionError:
        raise ContentError(path, "is nested too deeply to read") from None
    except _DuplicateKey as dup:
        raise ContentError(path, f"duplicate key at line {dup.line}", entry=dup.key) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        if "nesting depth" in problem:  # libyaml's own limit; the pure-Python parser hits RecursionError
            raise ContentError(path, "is nested too deeply to read") from None
        raise ContentError(path, f"malformed YAML{line}: {problem}") from None


def _mapping(path: Path) -> dict:
    data = read_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError(path, "should map keys to entries, but holds a " + type(data).__name__)
    return data


# Parsed files for the life of the process (a kernel): path -> ((mtime_ns, size), data). A file that changes
# on disk (an instructor editing a bank) is parsed again on its next use; the course has a few dozen files.
_PARSED: dict = {}


def cached_mapping(path) -> dict:
    """A seeds file parsed as a mapping, from the cache unless the file changed (mtime or size) since."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        raise ContentError(path, "is missing") from None
    key, stamp = str(path), (st.st_mtime_ns, st.st_size)
    hit = _PARSED.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    data = _mapping(path)
    _PARSED[key] = (stamp, data)
    return data


def _load(name: str, root=None) -> dict:
    return cached_mapping(_root(root) / name)


def references(root=None) -> dict:
    """All references, keyed by their stable key (e.g. 'kosmaczewska2014')."""
    return _load("references.yaml", root)


def glossary(root=None) -> dict:
    """All glossary terms, keyed by a short lowercase id (e.g. 'treg')."""
    return _load("glossary.yaml", root)


def reference(key: str, root=None) -> dict:
    refs = references(root)
    if key not in refs:
        raise ContentError(_root(root) / "references.yaml", "no such reference key", entry=key)
    return refs[key]
