"""Install instructions that work as written: no ``pip install errlint`` (no such package is
published), the repository URL named in one place, one version everywhere."""

from __future__ import annotations

import re
import tomllib
from urllib.parse import urlsplit

from helpers import ROOT

from linter import __version__

DOCS = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "examples").glob("*.yml"))]
BARE_INSTALL = re.compile(r"pip install\s+['\"]?errlint\b(?!\s*@)(?P<after>.{0,10})")


def test_no_instruction_installs_an_unpublished_package() -> None:
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in BARE_INSTALL.finditer(text):
            # the sentences that say so are allowed
            assert match.group("after").startswith(("` fails", "` (no such")), f"{path.name}: {match.group(0)!r}"
        assert "errlint==" not in text, path.name


def test_repository_url_is_a_placeholder_defined_once() -> None:
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert ci.count("`<errlint-repo>` stands for") == 1
    first_section = ci.split("\n## ")[1]
    assert first_section.startswith("Installing errlint")
    assert 'pip install "errlint @ git+<errlint-repo>@<ref>"' in first_section
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        assert "github.com/errlint" not in text, path.name
    assert re.search(r"repo: <errlint-repo>.*\n\s+rev: <ref>\s+# a release tag once tagged; a full commit SHA", ci)


def test_one_version_everywhere() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__ == "0.2.0"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\S+)", changelog, re.MULTILINE)[0] == __version__
    assert f'"tool": {{"name": "errlint", "version": "{__version__}"}}' in (ROOT / "README.md").read_text(
        encoding="utf-8"
    )


def test_every_install_requirement_in_ci_md_is_valid_for_hosted_and_local_repositories() -> None:
    from packaging.requirements import Requirement

    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([^`]+)` \| (?:the same: )?`([^`]+)` \|$", ci, re.MULTILINE))
    assert {key: table[key] for key in ("https://host/owner/errlint.git", "git@host:owner/errlint.git")} == {
        "https://host/owner/errlint.git": "https://host/owner/errlint.git",
        "git@host:owner/errlint.git": "ssh://git@host/owner/errlint.git",
    }
    assert "a folder, `/abs/path/errlint` (a local clone) | `file:///abs/path/errlint`" in ci
    requirements = re.findall(r'^pip install "([^"$]+)"$', ci, re.MULTILINE)
    assert len(requirements) == 3
    for url in ("https://host/owner/errlint.git", "ssh://git@host/owner/errlint.git", "file:///abs/path/errlint"):
        for requirement in requirements:
            filled = requirement.replace("<errlint-repo>", url).replace("<ref>", "v0.2.0")
            parsed = Requirement(filled)
            assert parsed.name == "errlint" and parsed.url is not None and parsed.url.startswith("git+"), filled
            # pip's VCS support needs a scheme after git+ (a bare path, git+/abs/path, has none)
            assert urlsplit(parsed.url.removeprefix("git+")).scheme in ("https", "ssh", "file"), filled


def test_contributing_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    command = re.search(r"^python3 -m venv \.venv && PIP_CONSTRAINT=constraints\.txt .*pytest$", readme, re.M)
    assert command is not None
    assert command.group(0) in contributing
    # pyproject's addopts already give -q; a second one hides pytest's summary line
    assert "pytest -q" not in contributing and "-q" in tomllib.loads(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    )["tool"]["pytest"]["ini_options"]["addopts"]
    assert "pip install" not in contributing.replace("PIP_CONSTRAINT=constraints.txt .venv/bin/pip install", "")


def test_readme_names_every_shared_folder_the_tests_skip_without() -> None:
    import helpers

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for folder in (helpers.CORPUS, helpers.SCHEMAS):
        assert f"`../shared/{folder.name}`" in readme, folder.name
