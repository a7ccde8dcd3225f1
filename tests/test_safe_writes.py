"""Every file errlint writes is written atomically, never over an input, and a failure is
one line "cannot write FILE: reason" (linter/safeio.py)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest
from helpers import FIXTURES, run_cli

from linter.safeio import Planned, WriteError, write_files

PETSTORE = FIXTURES.parent / "examples" / "petstore.yaml"


def spec_copy(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "audit" / "split", tmp_path / "split")
    return tmp_path / "split" / "openapi.yaml"


@pytest.mark.parametrize(
    "args",
    [
        ("lint", "{spec}", "-o", "{spec}"),
        ("lint", "{spec}", "--format", "json:{spec}"),
        ("lint", "{spec}", "--format", "sarif:{ref}"),
        ("baseline", "{spec}", "-o", "{spec}"),
        ("coverage", "{spec}", "-o", "{ref}"),
        ("lint", "{spec}", "-o", "{link}"),
        ("coverage", "{spec}", "-o", "{link}"),
    ],
    ids=[
        "lint-o",
        "lint-format-file",
        "lint-format-ref",
        "baseline-o",
        "coverage-o-ref",
        "lint-o-link",
        "coverage-o-link",
    ],
)
def test_an_output_over_an_input_is_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    spec = spec_copy(tmp_path)
    ref = spec.parent / "paths" / "items.yaml"
    link = tmp_path / "link.yaml"  # a symlink to a $ref'd file: the same file by its real path
    link.symlink_to(ref)
    before = {p: p.read_bytes() for p in (spec, ref)}
    done = run_cli(*(a.format(spec=spec, ref=ref, link=link) for a in args))
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].endswith("would overwrite a file errlint reads; choose another file")
    assert {p: p.read_bytes() for p in (spec, ref)} == before


def test_a_report_that_cannot_be_written_says_so_in_one_line(tmp_path: Path) -> None:
    target = tmp_path / "a-file" / "report.json"
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    done = run_cli("lint", str(PETSTORE), "-o", str(target))
    assert done.returncode == 2
    assert done.stderr == f"errlint: cannot write {target}: {target.parent} is not a folder\n"


def test_a_baseline_that_cannot_be_written_says_so_in_one_line(tmp_path: Path) -> None:
    target = tmp_path / "a-file" / "baseline.json"
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    done = run_cli("baseline", str(PETSTORE), "-o", str(target))
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == f"errlint: cannot write {target}: {target.parent} is not a folder"


def test_writes_keep_the_mode_and_follow_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    write_files([Planned(link, b"new\n", b"old\n")])
    assert link.is_symlink() and real.read_bytes() == b"new\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if "errlint-tmp" in p.name] == []


def test_a_file_changed_meanwhile_is_not_overwritten_and_nothing_is_written(tmp_path: Path) -> None:
    # a second `fix` planned on the old text: its write must fail, not drop the first one's edits
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_bytes(b"a\n")
    second.write_bytes(b"changed by another run\n")
    with pytest.raises(WriteError, match=r"cannot write .*b\.yaml: it was changed by another process"):
        write_files([Planned(first, b"A\n", b"a\n"), Planned(second, b"B\n", b"b\n")])
    assert first.read_bytes() == b"a\n" and second.read_bytes() == b"changed by another run\n"


def test_a_failed_write_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "ro" / "bad.yaml"
    good.write_bytes(b"g\n")
    bad.parent.mkdir()
    bad.write_bytes(b"b\n")
    bad.parent.chmod(0o500)
    try:
        if os.access(bad.parent, os.W_OK):
            pytest.skip("running as a user who can write to read-only folders")
        with pytest.raises(WriteError, match=r"cannot write .*bad\.yaml: Permission denied"):
            write_files([Planned(good, b"G\n", b"g\n"), Planned(bad, b"B\n", b"b\n")])
    finally:
        bad.parent.chmod(0o700)
    assert good.read_bytes() == b"g\n" and bad.read_bytes() == b"b\n"


# -- targets that are not regular files: written straight through, never replaced ----------
def test_a_report_to_a_fifo_goes_through_it(tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    done = run_cli("lint", str(PETSTORE), "--format", f"json:{fifo}")
    reader.join(timeout=60)
    assert done.returncode in (0, 1), done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0].decode("utf-8"))["summary"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.fifo"]


def test_a_symlink_to_dev_null_stays_a_symlink_and_dev_null_a_device(tmp_path: Path) -> None:
    if not stat.S_ISCHR(os.stat(os.devnull).st_mode):  # replaced by something else on this machine
        pytest.skip(f"{os.devnull} is not a character device here")
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    done = run_cli("lint", str(PETSTORE), "-o", str(link))
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr == ""
    assert link.is_symlink() and os.readlink(link) == os.devnull
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("option", ["-o", "--format"])
def test_a_full_device_is_a_write_error_in_one_line(option: str) -> None:
    target = "/dev/full" if option == "-o" else "json:/dev/full"
    done = run_cli("lint", str(PETSTORE), option, target)
    assert done.returncode == 2
    assert done.stderr == "errlint: cannot write /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_write_files_streams_after_staging_and_before_renaming(tmp_path: Path) -> None:
    regular = tmp_path / "kept.txt"
    regular.write_bytes(b"before")
    with pytest.raises(WriteError, match=r"^cannot write /dev/full: No space left on device$"):
        write_files([Planned(regular, b"after"), Planned(Path("/dev/full"), b"x")])
    assert regular.read_bytes() == b"before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]
