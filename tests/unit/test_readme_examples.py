"""Every command in README.md's ```bash blocks runs as written on a fresh clone.

Each command line is run with ``bash -c`` from the repository root and must exit 0, print
something and raise no traceback. Not run: the "## Set up and run" block (installing, starting
the app and the test suite itself: CI does those) and lines that start the Streamlit server.
A line may end with a ``# comment``; blank and comment-only lines are skipped.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
README = ROOT / "README.md"
SETUP_HEADING = "## Set up and run"
VENV_PYTHON = ".venv/bin/python"
SERVER_PREFIXES = ("streamlit ", ".venv/bin/streamlit")
PATH_SUFFIXES = (".csv", ".jsonl", ".json", ".txt", ".md", ".xlsx", "/")
TIMEOUT_S = 120
# Where a new command starts inside one line: its start, or after && || ; |
_COMMAND_SPLIT = re.compile(r"&&|\|\||;|\|")
_VENV_PYTHON_WORD = re.compile(r"(?<!\S)\.venv/bin/python(?=\s|$)")


@dataclass(frozen=True)
class ReadmeCommand:
    line: int  # 1-based line number in README.md
    heading: str  # the "## " section it sits in
    text: str


def bash_lines(markdown: str) -> list[ReadmeCommand]:
    """The non-blank, non-comment lines of every ```bash block, with their line and section."""
    lines: list[ReadmeCommand] = []
    heading, fence = "", None
    for number, raw in enumerate(markdown.splitlines(), start=1):
        stripped = raw.strip()
        if fence is None:
            if raw.startswith("## "):
                heading = raw.strip()
            elif stripped.startswith("```"):
                fence = stripped[3:].strip()
            continue
        if stripped.startswith("```"):
            fence = None
        elif fence == "bash" and stripped and not stripped.startswith("#"):
            lines.append(ReadmeCommand(number, heading, stripped))
    return lines


def runnable(command: ReadmeCommand) -> bool:
    return command.heading != SETUP_HEADING and not command.text.startswith(SERVER_PREFIXES)


def named_paths(command: str) -> list[str]:
    """The words of ``command`` that name a file or folder (by suffix), comment left out."""
    paths = []
    for word in shlex.split(command, comments=True):
        for part in word.split("=") if word.startswith("-") else [word]:
            if part.endswith(PATH_SUFFIXES) and not part.startswith(("http://", "https://")):
                paths.append(part)
    return paths


def system_python_commands(command: str) -> list[str]:
    """The commands in ``command`` that start with a bare ``python``/``python3``."""
    starts = (part.strip() for part in _COMMAND_SPLIT.split(command))
    return [part for part in starts if part.startswith(("python ", "python3 "))]


def with_interpreter(command: str) -> str:
    """``command`` with ``.venv/bin/python`` replaced by this interpreter when the clone has no .venv."""
    if (ROOT / VENV_PYTHON).exists():
        return command
    return _VENV_PYTHON_WORD.sub(lambda _: shlex.quote(sys.executable), command)


README_TEXT = README.read_text(encoding="utf-8")
ALL_LINES = bash_lines(README_TEXT)
COMMANDS = [c for c in ALL_LINES if runnable(c)]


def test_the_readme_has_commands_to_run_and_a_setup_block_to_leave_alone():
    assert any(c.heading == SETUP_HEADING for c in ALL_LINES), "README.md lost its '## Set up and run' block"
    assert len(COMMANDS) >= 5, f"only {len(COMMANDS)} runnable commands found in README.md's ```bash blocks"


def test_the_readme_names_no_path_outside_the_repository():
    outside = [f"line {n}: {line.strip()}" for n, line in enumerate(README_TEXT.splitlines(), 1) if "../" in line]
    assert not outside, "README.md points outside the repository:\n" + "\n".join(outside)


def test_inline_commands_in_the_readme_use_the_virtualenv_python():
    # Commands quoted in running text are copied as often as the ones in code blocks.
    inline = re.findall(r"`(python3? [^`]*)`", README_TEXT)
    assert not inline, f"README commands must use {VENV_PYTHON} (a fresh clone has no packages in the system python): {inline}"


@pytest.mark.parametrize("command", COMMANDS, ids=[f"L{c.line}" for c in COMMANDS])
def test_readme_command_runs_as_written(command: ReadmeCommand):
    where = f"README.md line {command.line}: {command.text}"
    bare = system_python_commands(command.text)
    assert not bare, (
        f"{where}\nREADME commands must use {VENV_PYTHON}, not {bare[0].split()[0]} "
        "(a fresh clone has no packages in the system python)"
    )
    missing = [p for p in named_paths(command.text) if not (ROOT / p).exists() or not _inside_repo(p)]
    assert not missing, f"{where}\nnames files that are not in the repository: {missing}"
    try:
        done = subprocess.run(
            ["bash", "-c", with_interpreter(command.text)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{where}\ntook more than {TIMEOUT_S} s; README examples must stay fast (benchmarks go in bench/README.md)")
    assert done.returncode == 0, f"{where}\nexit status {done.returncode}\nstderr:\n{done.stderr}"
    assert done.stdout.strip(), f"{where}\nprinted nothing"
    assert "Traceback" not in done.stderr, f"{where}\nstderr:\n{done.stderr}"


def _inside_repo(path: str) -> bool:
    return (ROOT / path).resolve().is_relative_to(ROOT)
