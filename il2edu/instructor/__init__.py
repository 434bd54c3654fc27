"""Instructor tools: stamp lessons with grading metadata, release student copies, grade submissions.

Each tool is a subcommand of `il2edu` (stamp, release, grade); docs/INSTRUCTORS.md walks through them.
Modules here import only the standard library and PyYAML at module level, so `il2edu validate`
and the command line stay fast; nbclient is imported when grading runs.
"""
