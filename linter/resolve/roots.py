"""Which root specs reach a file through ``$ref``: for pre-commit, which passes changed files.

A commit that changes only a fragment of a multi-file spec (``components/responses.yaml``)
names no root spec, so linting the named files would lint nothing. :func:`roots_reaching`
finds the root specs in a repository whose ``$ref`` closure contains the named files.

It does not load any spec. Each candidate file is read once as bytes: a root is a file with a
top-level ``openapi`` or ``swagger`` key (the same sniff as the folder walk), and its edges are
the ``$ref`` strings found by a regular expression over the text. The resulting graph may
hold an edge too many (a ``$ref:`` inside a description), never one too few for the usual
ways of writing a ``$ref`` (block or flow YAML, JSON), so the answer errs on linting a root
more. Edges follow the resolver: a ``$ref``'s file part, percent-decoded, relative to the
referring file's folder (:mod:`linter.resolve.resolver`); remote (``http(s)``) and local
(``#/...``) references are not edges. Symbolic links are not followed.

Candidate files are the repository's files (``git ls-files``, so ``.gitignore`` is honoured;
an ``os.walk`` outside git), without vendored or tool folders (:data:`SKIP_DIRS`), limited to
the search paths the caller gives.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from linter.load.document import JSON_SUFFIXES, YAML_SUFFIXES

SPEC_SUFFIXES = (*YAML_SUFFIXES, *JSON_SUFFIXES)
#: folders never searched: version control, dependencies and vendored code, tool caches
SKIP_DIRS = frozenset(
    {".git", "node_modules", "vendor", ".venv", "venv", "__pycache__", ".tox", ".errlint_cache"}
)
#: as the folder walk sniffs (linter.api.looks_like_openapi): a root key in the first MiB
SNIFF_BYTES = 1 << 20
_SNIFF_YAML = re.compile(rb"""^(?:\xef\xbb\xbf)?["']?(?:openapi|swagger)["']?\s*:""", re.MULTILINE)
_SNIFF_JSON = re.compile(rb'"(?:openapi|swagger)"\s*:')
#: ``$ref: value`` in block or flow YAML and ``"$ref": "value"`` in JSON
_REF = re.compile(
    rb"""["']?\$ref["']?\s*:\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\s,}\]#'"][^\s,}\]]*))"""
)


@dataclass(frozen=True)
class ScannedFile:
    """One file as the scan sees it: is it a root, and which files does it ``$ref``."""

    is_root: bool
    #: absolute, normalised paths of the files its ``$ref``s name
    refs: frozenset[str]


def scan(path: str) -> ScannedFile:
    """Read ``path`` (absolute) and return its root flag and ``$ref`` targets.

    A file that cannot be read is neither a root nor refers to anything.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return ScannedFile(False, frozenset())
    return scan_bytes(data, path)


def scan_bytes(data: bytes, path: str) -> ScannedFile:
    """:func:`scan` on the bytes ``data`` of the file at ``path``."""
    sniff = _SNIFF_JSON if path.lower().endswith(JSON_SUFFIXES) else _SNIFF_YAML
    is_root = bool(sniff.search(data, 0, SNIFF_BYTES))
    if b"$ref" not in data:
        return ScannedFile(is_root, frozenset())
    folder = os.path.dirname(path)
    refs = set()
    for match in _REF.finditer(data):
        raw = match.group(1) or match.group(2) or match.group(3) or b""
        target = _ref_target(raw.decode("utf-8", errors="replace"), folder)
        if target is not None:
            refs.add(target)
    return ScannedFile(is_root, frozenset(refs))


def _ref_target(ref: str, folder: str) -> str | None:
    location = ref.partition("#")[0].strip()
    if not location:
        return None
    parts = urlsplit(location)
    if parts.scheme and len(parts.scheme) > 1:  # http(s) and other schemes; C: is a drive
        return None
    return os.path.normpath(os.path.join(folder, unquote(location)))


def candidate_files(top: Path) -> list[str]:
    """Absolute paths of the spec files (``*.yaml``, ``*.yml``, ``*.json``) under ``top``.

    Inside a git work tree these are the files git knows or would add (tracked, plus
    untracked ones ``.gitignore`` does not exclude); elsewhere, a walk. Files in
    :data:`SKIP_DIRS` folders are left out.
    """
    top = Path(os.path.abspath(top))
    names = _git_files(top)
    if names is None:
        names = _walked_files(top)
    found = []
    for name in names:
        if not name.lower().endswith(SPEC_SUFFIXES):
            continue
        parts = name.split("/")
        if any(part in SKIP_DIRS for part in parts[:-1]):
            continue
        found.append(os.path.normpath(os.path.join(top, name)))
    return found


def _git_files(top: Path) -> list[str] | None:
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=top,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return sorted({os.fsdecode(name) for name in done.stdout.split(b"\0") if name})


def _walked_files(top: Path) -> list[str]:
    names = []
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        relative = os.path.relpath(folder, top)
        for name in sorted(files):
            names.append(name if relative == "." else f"{relative}/{name}".replace(os.sep, "/"))
    return names


@dataclass
class RefGraph:
    """The ``$ref`` graph among the files scanned so far (absolute, normalised paths)."""

    files: dict[str, ScannedFile] = field(default_factory=dict)

    def scanned(self, path: str) -> ScannedFile:
        if path not in self.files:
            self.files[path] = scan(path)
        return self.files[path]

    def add_closure(self, root: str) -> None:
        """Scan every file ``root`` reaches through ``$ref`` (each file once)."""
        queue = deque([root])
        while queue:
            for target in self.scanned(queue.popleft()).refs:
                if target not in self.files:  # a missing file scans as reaching nothing
                    self.files[target] = scan(target)
                    queue.append(target)

    def referrers(self) -> dict[str, set[str]]:
        """Reverse edges: file -> the scanned files that ``$ref`` it."""
        reverse: dict[str, set[str]] = {}
        for path, scanned in self.files.items():
            for target in scanned.refs:
                reverse.setdefault(target, set()).add(path)
        return reverse


def roots_reaching(
    targets: Iterable[str | Path], top: Path, search: Sequence[str | Path] = ()
) -> dict[str, list[str]]:
    """The root specs under ``top`` whose ``$ref`` closure contains each of ``targets``.

    ``targets``: the files to place (any spelling; made absolute against the cwd).
    ``top``: the repository's top folder. ``search``: files or folders holding the roots
    to consider (default: all of ``top``). Returns ``{root: [targets it reaches]}`` with
    absolute paths, roots sorted; targets that no root reaches are absent from every list.
    Never raises for unreadable files: they simply reach nothing.
    """
    wanted = {os.path.normpath(os.path.abspath(target)) for target in targets}
    prefixes = [os.path.normpath(os.path.abspath(place)) for place in search]
    graph = RefGraph()
    roots = []
    for path in candidate_files(top):
        if prefixes and not any(path == p or path.startswith(p + os.sep) for p in prefixes):
            continue
        if graph.scanned(path).is_root:
            roots.append(path)
    for root in roots:
        graph.add_closure(root)
    reverse = graph.referrers()
    root_set = set(roots)
    reached: dict[str, list[str]] = {}
    for target in sorted(wanted):
        for root in _ancestors(target, reverse):
            if root in root_set:
                reached.setdefault(root, []).append(target)
    return dict(sorted(reached.items()))


def _ancestors(target: str, reverse: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    queue = deque([target])
    while queue:
        for referrer in reverse.get(queue.popleft(), ()):
            if referrer not in seen:
                seen.add(referrer)
                queue.append(referrer)
    return seen
