"""errlint coverage --format html: one self-contained page, checked in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import FIXTURES, run_cli

SALESLAYER = FIXTURES / "audit" / "saleslayer.yaml"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "coverage.html"
    result = run_cli(
        "coverage", str(SALESLAYER), "--ruleset", "saleslayer", "--format", "html", "-o", str(path)
    )
    assert result.returncode == 0, result.stderr
    return path


class _Rows(HTMLParser):
    """The operation rows of a dumped DOM: (operation, hidden)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, bool]] = []
        self.shown = ""
        self._in_shown = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("class") == "op":
            self.rows.append((found["data-operation"] or "", "hidden" in found))
        self._in_shown = tag == "output" and found.get("id") == "shown"

    def handle_data(self, data: str) -> None:
        if self._in_shown:
            self.shown += data
            self._in_shown = False


def parse_rows(dom: str) -> _Rows:
    parser = _Rows()
    parser.feed(dom)
    return parser


def test_the_page_is_self_contained(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "<script>" in page
    assert not re.search(r"<link\b|\bsrc=|@import|url\(", page)
    assert not re.search(r"""(href|action)=["']?(https?:)?//""", page)


def test_each_cell_links_to_its_findings_with_file_and_line(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    targets = re.findall(r'<td class="c forbidden[^"]*" data-status="403"><a href="#([^"]+)"', page)
    assert targets == ["d-2-403"]
    detail = page[page.index(f'id="{targets[0]}"') :]
    detail = detail[: detail.index("</article>")]
    assert "saleslayer-403-forbidden" in detail
    assert f"{SALESLAYER}:49:9" in detail
    assert "Error-response coverage: 4 of 13 required codes declared (30.8%)" in page


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no headless Chromium: install it (Debian: apt-get install -y chromium) to test the HTML report in a browser"
    )


def dump_dom(page: Path, suffix: str, profile: Path) -> str:
    """The DOM after the page's scripts ran, with filters preset through the URL."""
    command = [
        _browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        page.as_uri() + suffix,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_browser_renders_every_row(report: Path, tmp_path: Path) -> None:
    rows = parse_rows(dump_dom(report, "", tmp_path / "profile"))
    assert [op for op, _ in rows.rows] == [
        "GET /rest/Catalog/Products",
        "GET /rest/Catalog/Products/{id}",
        "DELETE /rest/DAM/Images/{imageId}",
        "GET /rest/DAM/Folders",
    ]
    assert not any(hidden for _, hidden in rows.rows)
    assert rows.shown == "4 of 4 operations shown"


@pytest.mark.parametrize(
    ("suffix", "visible"),
    [
        ("#tag=Products", {"GET /rest/Catalog/Products", "GET /rest/Catalog/Products/{id}"}),
        # the query presets the family, the fragment the severity: DAM operations without findings
        ("?family=dam#severity=clean", {"GET /rest/DAM/Folders"}),
    ],
)
def test_a_filter_hides_the_other_rows(report: Path, tmp_path: Path, suffix: str, visible: set[str]) -> None:
    rows = parse_rows(dump_dom(report, suffix, tmp_path / "profile"))
    assert {op for op, hidden in rows.rows if not hidden} == visible
    assert rows.shown == f"{len(visible)} of 4 operations shown"
