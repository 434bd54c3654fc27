"""The `il2edu` command: one subcommand per module, each with add_arguments(parser) and run(args)."""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> (module, one-line help). Modules load only when their subcommand runs.
COMMANDS = {
    "validate": ("il2edu.validate", "check seeds/ (references, glossary, banks, parameters) and lesson citations"),
    "progress": ("il2edu.progress", "show, export (--export FILE.csv|.json) or reset your saved quiz and exercise progress"),
    "check-models": ("il2edu.check_models", "compare the models with the measured data in seeds/data/ (exit 1 on any failure)"),
    "bench": ("il2edu.bench", "time the models and every explorer update on this machine"),
    "stamp": ("il2edu.instructor.stamp", "write nbgrader-compatible grading metadata into lesson notebooks"),
    "release": ("il2edu.instructor.release", "write student copies of lessons (solutions stubbed) and a manifest"),
    "key": ("il2edu.instructor.key", "write solved keys of lessons (nbgrader's source version) from seeds/exercises/"),
    "grade": ("il2edu.instructor.grade", "run submitted notebooks and write a gradebook CSV and feedback files"),
    "gradebook": ("il2edu.instructor.lms", "turn grade's gradebook CSV into a Canvas or Moodle grade import file"),
    "links": ("il2edu.instructor.links", "print an nbgitpuller link per lesson for a JupyterHub and the course's git repository"),
    "report": ("il2edu.instructor.report", "item analysis of a class's progress exports: an HTML report and CSV tables"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="il2edu", description="Tools for the il2edu IL-2 course.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.set_defaults(_module=module_name)
        importlib.import_module(module_name).add_arguments(sp)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help()
        return 2
    from .content import ContentError

    try:
        return int(importlib.import_module(args._module).run(args) or 0)
    except ContentError as err:
        print(f"il2edu {args.command}: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
