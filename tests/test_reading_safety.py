"""Walks stay inside, special files are never read, config mistakes are one line with
file:line, closed streams and killed parents leave nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import FIXTURES, errlint_command, run_cli

PETSTORE = (FIXTURES.parent / "examples" / "petstore.yaml").read_text(encoding="utf-8")
SPEC = 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths: {}\n'


def test_a_folder_walk_does_not_follow_symlinks_out_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.yaml").write_text(PETSTORE, encoding="utf-8")
    specs = tmp_path / "repo" / "specs"
    specs.mkdir(parents=True)
    (specs / "api.yaml").write_text(SPEC, encoding="utf-8")
    (specs / "innocent.yaml").symlink_to("../../private/secret.yaml")
    (specs / "environ.yaml").symlink_to("/proc/self/environ")
    done = run_cli("lint", "--format", "json", str(specs))
    assert done.returncode == 0, done.stderr
    assert "secret" not in done.stdout and "innocent" not in done.stdout
    lifted = run_cli("lint", "--format", "json", "--allow-outside-root", str(specs))
    assert "innocent.yaml" in lifted.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_in_a_folder_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "stdin.yaml").symlink_to("/dev/stdin")
    done = run_cli("lint", str(tmp_path), input_text=None)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_special_config_file_is_refused(tmp_path: Path, special: str) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    config = special
    if special == "fifo":
        config = str(tmp_path / "fifo.yaml")
        os.mkfifo(config)
    done = run_cli("lint", "--config", config, str(spec))
    assert (done.returncode, done.stderr) == (2, f"errlint: {config}: not a regular file\n")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (".errlint.yaml", b"extends: 5\n", ".errlint.yaml:1:1: extends must be a name or a list of names"),
        ("pyproject.toml", b"[tool]\nerrlint = 5\n", "pyproject.toml:2:1: [tool.errlint] must be a table"),
        ("pyproject.toml", b'[tool]\n"errlint" = 5\n', "pyproject.toml:2:1: [tool.errlint] must be a table"),
        (
            "pyproject.toml",
            b'[project]\nd = """\nerrlint = 1\n"""\n[tool]\n  errlint = 5\n',
            "pyproject.toml:6:3: [tool.errlint] must be a table",
        ),
        ("pyproject.toml", b"x = 1\n tool = {errlint = 5}\n", "pyproject.toml:2:2: [tool.errlint] must be a table"),
        (
            "pyproject.toml",
            b'[tool.errlint]\nx = "\xff"\n',
            "pyproject.toml:2:6: not valid UTF-8 (byte 0xff)",
        ),
    ],
    ids=["extends-5", "errlint-5", "quoted-errlint-5", "after-string", "inline", "invalid-utf8"],
)
def test_config_mistakes_are_one_line_with_a_position(
    tmp_path: Path, name: str, text: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(text)
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    done = run_cli("lint", str(tmp_path / "api.yaml"))
    assert done.returncode == 2
    assert done.stderr == f"errlint: {tmp_path / name}:{message.split(':', 1)[1]}\n"


def test_closed_streams_keep_the_exit_codes(tmp_path: Path) -> None:
    spec = FIXTURES.parent / "examples" / "petstore.yaml"
    closed_out = subprocess.run(
        [*errlint_command(), "lint", "-q", str(spec)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        close_fds=True,
        preexec_fn=lambda: os.close(1),
        text=True,
    )
    assert (closed_out.returncode, closed_out.stderr) == (1, "")
    closed_err = subprocess.run(
        [*errlint_command(), "lint", str(tmp_path / "missing.yaml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.close(2),
    )
    assert closed_err.returncode == 2


def test_term_dumb_gets_no_colour(tmp_path: Path) -> None:
    import pty

    spec = FIXTURES.parent / "examples" / "petstore.yaml"
    code = f"import sys; sys.argv = ['errlint', 'lint', {str(spec)!r}]; from linter.cli.main import entry; entry()"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-c", code], {**env, "TERM": "dumb"})
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.waitpid(pid, 0)
    output = b"".join(chunks)
    assert b"petstore" in output and b"\x1b[" not in output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux-only")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_parent(tmp_path: Path, sig: signal.Signals) -> None:
    # a rule plugin that sleeps keeps the workers busy; the parent is then killed
    for index in range(4):
        (tmp_path / f"api{index}.yaml").write_text(
            SPEC.replace("paths: {}", "paths: {/a: {get: {responses: {'200': {description: ok}}}}}"),
            encoding="utf-8",
        )
    code = (
        "import sys, time, linter.api as api\n"
        "original = api._lint_in_worker\n"
        "def slow(target):\n    time.sleep(60)\n    return original(target)\n"
        "api._lint_in_worker = slow\n"
        f"sys.argv = ['errlint', 'lint', '--jobs', '2', {str(tmp_path)!r}]\n"
        "from linter.cli.main import entry\nentry()\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    children: list[int] = []
    for _ in range(200):
        children = _children(parent.pid)
        if len(children) >= 2:
            break
        time.sleep(0.05)
    assert len(children) >= 2
    parent.send_signal(sig)
    parent.wait()
    for _ in range(200):
        if not any(_alive(pid) for pid in children):
            break
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in children)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
