"""Shell completion: commands, options, and exam / section ids from the catalog (bash and zsh)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def complete(home: Path, **env: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "cs_drill"],
        env={**os.environ, "CSDRILL_HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_bash_completes_commands_and_exam_ids(tmp_path: Path) -> None:
    words = complete(tmp_path, _CSDRILL_COMPLETE="complete_bash", COMP_WORDS="csdrill qu", COMP_CWORD="1")
    assert words == ["quiz"]
    words = complete(
        tmp_path,
        _CSDRILL_COMPLETE="complete_bash",
        COMP_WORDS="csdrill quiz --exam alibaba-cs-",
        COMP_CWORD="3",
    )
    assert words == [
        "alibaba-cs-manager-interview",
        "alibaba-cs-specialist-interview",
        "alibaba-cs-training-assessment",
    ]


def test_zsh_completes_section_ids(tmp_path: Path) -> None:
    out = " ".join(
        complete(
            tmp_path,
            _CSDRILL_COMPLETE="complete_zsh",
            _TYPER_COMPLETE_ARGS="csdrill quiz --section multi",
        )
    )
    assert '"multi-choice"' in out


def test_the_completion_script_can_be_shown(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cs_drill", "--show-completion", "bash"],
        env={**os.environ, "CSDRILL_HOME": str(tmp_path), "SHELL": "/bin/bash"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "_csdrill_completion" in done.stdout
