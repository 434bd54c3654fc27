"""il2edu: helpers for an open course on interleukin-2 biology and low-dose IL-2 therapy.

Importing the package is cheap on purpose: no plotting backend, no widgets, no file I/O.
The notebook-facing helpers load their modules on first use.
"""

__version__ = "0.1.0"

# name -> (module, attribute); resolved lazily by __getattr__ so `import il2edu` stays light.
_LAZY = {
    "references": ("il2edu.citations", "references"),
    "lesson_map": ("il2edu.course", "lesson_map"),
    "content": ("il2edu.content", None),
    "models": ("il2edu.models", None),
    "explorers": ("il2edu.explorers", None),
    "figures": ("il2edu.figures", None),
    # a callable module: il2edu.glossary("treg") shows the search box, il2edu.glossary.search() is plain text
    "glossary": ("il2edu.glossary", None),
    "bibliography": ("il2edu.glossary", "bibliography"),
    "quiz": ("il2edu.activities.quiz", None),  # a callable package: il2edu.quiz("02-receptor")
    "question": ("il2edu.activities.quiz", "question"),
    "check": ("il2edu.activities.exercises", "check"),
    "activities": ("il2edu.activities", None),
    "numbers": ("il2edu.activities.numbers", "numbers"),  # a learner's own numbers for an exercise
    "student": ("il2edu.activities.numbers", "student"),
    "predict": ("il2edu.activities", "predict"),
    "write": ("il2edu.activities", "write"),
    "review": ("il2edu.activities", "review"),
    "assessed": ("il2edu.instructor.capture", "assessed"),  # an assessed question, graded by the instructor
    "progress": ("il2edu.progress", None),  # a callable module: il2edu.progress()
    "diagrams": ("il2edu.diagrams", None),
}


def __getattr__(name):
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'il2edu' has no attribute {name!r}") from None
    import importlib

    module = importlib.import_module(module_name)
    return module if attribute is None else getattr(module, attribute)


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
