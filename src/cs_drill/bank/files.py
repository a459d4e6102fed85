"""Which files make up the active bank, and how they are named in messages.

Kept apart from ``loader`` (which parses and validates): a start with a warm bank
cache lists and checks the files without importing the YAML validator.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from cs_drill.errors import Problem
from cs_drill.i18n import _, ngettext

YAML_SUFFIXES = (".yaml", ".yml")


def bundled_bank() -> Path:
    """The bank that ships with csdrill (inside the package when installed)."""
    package = Path(__file__).resolve().parents[1]
    inside = package / "data" / "questions"
    if inside.is_dir():
        return inside
    return package.parents[1] / "data" / "questions"  # a source checkout


def bank_paths(options: Sequence[str | Path] = (), env: str | None = None) -> list[Path]:
    """Which banks are active: ``--bank`` options, else ``CSDRILL_BANK``, else the bundled one."""
    if options:
        return [Path(p) for p in options]
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    return [bundled_bank()]


def bank_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Every YAML file under ``paths`` (files as given, folders searched recursively)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            if not found:
                problems.append(Problem(str(path), 0, 0, "", _no_bank_files(path)))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 0, 0, "", _("no such file or folder")))
    return files, problems


def _no_bank_files(folder: Path) -> str:
    """The problem of a folder without bank files; names files whose suffix is .yaml/.yml in another case."""
    near = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.suffix.lower() in YAML_SUFFIXES and p.suffix not in YAML_SUFFIXES and p.is_file()
    )
    if not near:
        return _("no .yaml or .yml files in this folder")
    shown = ", ".join(near[:3])
    if len(near) > 3:
        more = len(near) - 3
        # TRANSLATORS: {files} lists the first three file names (paths, not translated).
        shown = ngettext("{files} and {n} more", "{files} and {n} more", more).format(files=shown, n=more)
    # TRANSLATORS: {files} lists files whose suffix is .YAML, .Yml … (paths, not translated).
    return _("no .yaml or .yml files in this folder (suffixes are lower case: rename {files})").format(files=shown)


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def exam_id_line(path: Path) -> int:
    """The line of a file's top-level ``id:`` (for the duplicate-exam-id message); 1 if none."""
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if line.startswith("id:"):
                return n
    except (OSError, UnicodeDecodeError):
        pass
    return 1


def duplicate_exam_id(seen: dict[str, str], exam_id: str, display: str, path: Path) -> Problem | None:
    """Note that file ``display`` (at ``path``) defines ``exam_id``; the problem if an earlier one did.

    ``seen`` maps each exam id to the file that defined it first.
    """
    if exam_id in seen:
        return Problem(
            display,
            exam_id_line(path),
            1,
            "id",
            # TRANSLATORS: {id} is an exam id; {file} the file that defines it first.
            _("duplicate exam id '{id}' (also in {file})").format(id=exam_id, file=seen[exam_id]),
        )
    seen[exam_id] = display
    return None
