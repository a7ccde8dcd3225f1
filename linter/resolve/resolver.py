"""Load a root spec and every file its ``$ref``s reach; follow refs on demand for rules.

The resolver is our own small loader (see the README's design section for the
measurements behind that choice). It loads each referenced file once, records every
broken, remote, out-of-root or circular reference as a problem at the ``$ref`` itself,
and hands rules :class:`Node` views that dereference transparently while remembering
which ``$ref`` sites they went through.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from linter import pointer as jp
from linter.load.document import Document, Limits, LoadProblem
from linter.load.reader import load_document, parse_document
from linter.pointer import Pointer

#: the default of ``Limits.max_ref_chain`` (``--max-ref-chain``)
MAX_REF_CHAIN = Limits().max_ref_chain


@dataclass(frozen=True, slots=True)
class Site:
    """A place in a loaded document (positions are computed later, only if reported)."""

    doc: Document
    pointer: Pointer
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    def position(self) -> tuple[int, int]:
        """1-based (line, column): given by the parser, else looked up by pointer."""
        if self.line:
            return self.line, self.column
        return self.doc.locate(self.pointer)

    def written(self) -> Site:
        """This site at the place its value is written: a pointer through a YAML alias or
        merge key becomes the pointer of the anchored text (``Document.written_pointer``)."""
        if not self.doc.shares_values:
            return self
        pointer = self.doc.written_pointer(self.pointer)
        return self if pointer == self.pointer else Site(self.doc, pointer)


@dataclass(frozen=True, slots=True)
class RefProblem:
    rule: str
    message: str
    site: Site


@dataclass(frozen=True, slots=True)
class Target:
    doc: Document
    pointer: Pointer
    value: Any


@dataclass
class ResolveOptions:
    allow_remote: bool = False
    allow_outside_root: bool = False
    remote_timeout: float = 10.0
    remote_max_bytes: int = 16 * 1024 * 1024
    #: distinct URLs fetched per spec, at most: a server cannot lead errlint on forever
    remote_max_documents: int = 100
    limits: Limits = field(default_factory=Limits)


class SpecSet:
    """The root document and every document reached from it."""

    def __init__(self, root: Document, options: ResolveOptions | None = None) -> None:
        self.root = root
        self.options = options or ResolveOptions()
        self.root_dir = root.path.resolve().parent
        self.docs: dict[str, Document] = {str(root.path.resolve()): root}
        self.problems: list[RefProblem] = []
        self._reported: set[RefProblem] = set()
        self._resolved: dict[tuple[int, str], Target | None] = {}
        self._failed_files: set[str] = set()
        #: why each URL that failed could not be fetched (it is not asked for again)
        self._fetch_failures: dict[str, str] = {}
        self._real_paths: dict[str, Path] = {}
        self.cache: dict[str, Any] = {}
        #: whether :meth:`load_all` has run (until then, references are resolved as met)
        self.loaded_all = False

    # -- loading -------------------------------------------------------------------
    def load_all(self) -> None:
        """Visit every ``$ref`` in every reachable document once, loading files as needed."""
        self.loaded_all = True
        pending = [self.root]
        seen: set[int] = set()
        while pending:
            doc = pending.pop()
            if id(doc) in seen or not doc.ok:
                continue
            seen.add(id(doc))
            for ref_pointer, ref in _iter_refs(doc.data, doc.shares_values):
                site = Site(doc, ref_pointer)
                target = self.resolve_ref(doc, ref, site)
                if target is not None and id(target.doc) not in seen:
                    pending.append(target.doc)
                if target is not None:
                    self._check_chain(target, site)

    def _check_chain(self, target: Target, site: Site) -> None:
        seen = {(id(site.doc), site.pointer)}
        current = target
        for _ in range(self.options.limits.max_ref_chain):
            value = current.value
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return
            key = (id(current.doc), current.pointer)
            if key in seen:
                self._problem(
                    "ref-cycle", "circular $ref: the chain of references never reaches a value", site
                )
                return
            seen.add(key)
            next_site = Site(current.doc, current.pointer)
            resolved = self.resolve_ref(current.doc, value["$ref"], next_site, report=False)
            if resolved is None:
                return
            current = resolved
        self._problem(
            "ref-cycle",
            f"$ref chain longer than {self.options.limits.max_ref_chain} references (--max-ref-chain)",
            site,
        )

    def _problem(self, rule: str, message: str, site: Site) -> None:
        problem = RefProblem(rule, message, site)
        if problem not in self._reported:
            self._reported.add(problem)
            self.problems.append(problem)

    # -- resolving -----------------------------------------------------------------
    def resolve_ref(self, doc: Document, ref: Any, site: Site, *, report: bool = True) -> Target | None:
        """The target of ``ref`` written in ``doc``; problems are recorded at ``site`` once."""
        if not isinstance(ref, str):
            if report:
                self._problem("ref-unresolved", "$ref must be a string", site)
            return None
        cache_key = (id(doc), ref)
        # a failure found while reporting was off (following a chain) is looked up again
        # when the site itself is visited, so that it is reported where the $ref is written
        if cache_key in self._resolved and (self._resolved[cache_key] is not None or not report):
            return self._resolved[cache_key]
        target = self._resolve_uncached(doc, ref, site if report else None)
        self._resolved[cache_key] = target
        return target

    def _resolve_uncached(self, doc: Document, ref: str, site: Site | None) -> Target | None:
        def fail(rule: str, message: str) -> None:
            if site is not None:
                self._problem(rule, message, site)

        location, _, fragment = ref.partition("#")
        if location:
            target_doc = self._load_reference(doc, location, ref, fail)
            if target_doc is None:
                return None
        else:
            target_doc = doc
        if not target_doc.ok:
            fail("ref-unresolved", f"$ref {ref!r}: the target file could not be parsed")
            return None
        try:
            pointer = jp.parse(fragment)
        except ValueError:
            fail("ref-unresolved", f"$ref {ref!r}: fragment is not a JSON pointer")
            return None
        try:
            value = target_doc.value_at(pointer)
        except KeyError:
            fail(
                "ref-unresolved",
                f"$ref {ref!r}: {jp.to_str(pointer) or '/'} not found in {target_doc.display}",
            )
            return None
        return Target(target_doc, pointer, value)

    def _load_reference(self, doc: Document, location: str, ref: str, fail: Any) -> Document | None:
        if doc.display.startswith(("http://", "https://")):
            location = urljoin(doc.display, location)
        parts = urlsplit(location)
        if parts.scheme in ("http", "https"):
            return self._load_remote(doc, location, ref, fail)
        if parts.scheme and len(parts.scheme) > 1:
            fail("ref-unresolved", f"$ref {ref!r}: scheme {parts.scheme!r} is not supported")
            return None
        relative = Path(unquote(location))
        path = relative if relative.is_absolute() else doc.path.parent / relative
        try:
            real = self._real_path(path)
        except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the path
            fail("ref-unresolved", f"$ref {ref!r}: cannot resolve path")
            return None
        if not self.options.allow_outside_root and not real.is_relative_to(self.root_dir):
            fail(
                "ref-outside-root",
                f"$ref {ref!r} leaves the spec's folder; refused (use --allow-outside-root to allow)",
            )
            return None
        key = str(real)
        if key in self.docs:
            return self.docs[key]
        if key in self._failed_files:
            fail("ref-unresolved", f"$ref {ref!r}: file not found or unreadable")
            return None
        if not real.is_file():
            self._failed_files.add(key)
            fail("ref-unresolved", f"$ref {ref!r}: file not found")
            return None
        display = _display_path(real, self.root, path)
        try:
            target = load_document(real, display, self.options.limits)
        except OSError as exc:
            self._failed_files.add(key)
            fail("ref-unresolved", f"$ref {ref!r}: cannot read file ({exc.strerror or exc})")
            return None
        self.docs[key] = target
        return target

    def _real_path(self, path: Path) -> Path:
        """``path.resolve()``, once per spelling: a big split spec names the same file from
        many places, and each resolve costs one ``lstat`` per path component."""
        key = str(path)
        if key not in self._real_paths:
            self._real_paths[key] = path.resolve()
        return self._real_paths[key]

    def _load_remote(self, doc: Document, location: str, ref: str, fail: Any) -> Document | None:
        if not self.options.allow_remote:
            fail("ref-remote", f"remote $ref {ref!r} not fetched (use --allow-remote to allow)")
            return None
        from linter.resolve.remote import RemoteError, fetch

        if location in self.docs:
            return self.docs[location]
        if location in self._fetch_failures:
            fail("ref-unresolved", f"$ref {ref!r}: {self._fetch_failures[location]}")
            return None
        fetched = sum(1 for key in self.docs if key.startswith(("http://", "https://")))
        if fetched >= self.options.remote_max_documents:
            fail("ref-unresolved", f"$ref {ref!r}: not fetched, {fetched} remote documents already were")
            return None
        try:
            raw = fetch(location, self.options.remote_timeout, self.options.remote_max_bytes)
        except RemoteError as exc:
            self._fetch_failures[location] = str(exc)
            fail("ref-unresolved", f"$ref {ref!r}: {exc}")
            return None
        name = urlsplit(location).path.rsplit("/", 1)[-1] or "remote.yaml"
        target = parse_document(raw, Path(name), location, self.options.limits)
        self.docs[location] = target
        return target

    # -- views ---------------------------------------------------------------------
    def root_node(self) -> Node:
        return Node(self.root.data, self.root, (), (), self)

    def all_problems(self) -> Iterator[tuple[Document, LoadProblem]]:
        for doc in self.docs.values():
            for problem in doc.problems:
                yield doc, problem


def _display_path(real: Path, root: Document, path: Path) -> str:
    """A path to show users: relative to where the root was named from when possible."""
    root_real = root.path.resolve()
    try:
        rel = os.path.relpath(real, root_real.parent)
    except ValueError:
        return str(real)
    base = os.path.dirname(root.display)
    return os.path.normpath(os.path.join(base, rel)) if base else os.path.normpath(rel)


_SKIP_KEYS = frozenset({"example", "x-errlint-ignore"})


def _iter_refs(data: Any, shared: bool = True) -> Iterator[tuple[Pointer, Any]]:
    """Every ``$ref`` in ``data`` (not inside ``example`` values), each container visited once.

    ``shared`` says that containers may be reached on several paths (YAML aliases); data
    that is a tree (all JSON, YAML without aliases) is walked without remembering what was
    visited, a third faster on big specs.
    """
    stack: list[tuple[Any, Pointer]] = [(data, ())]
    visited: set[int] = set()
    while stack:
        value, pointer = stack.pop()
        if shared:
            if id(value) in visited:
                continue
            visited.add(id(value))
        if isinstance(value, dict):
            if "$ref" in value:
                yield pointer, value["$ref"]
            for key, child in value.items():
                if isinstance(child, (dict, list)) and key not in _SKIP_KEYS:
                    stack.append((child, (*pointer, key)))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                if isinstance(child, (dict, list)):
                    stack.append((child, (*pointer, str(index))))


class Node:
    """A value in the spec, where it is, and which ``$ref`` sites led there.

    ``get``/``items``/``iter`` dereference children transparently; ``via`` holds the
    ``$ref`` sites passed on the way, outermost first.
    """

    __slots__ = ("doc", "pointer", "spec", "value", "via")

    def __init__(self, value: Any, doc: Document, pointer: Pointer, via: tuple[Site, ...], spec: SpecSet):
        self.value = value
        self.doc = doc
        self.pointer = pointer
        self.via = via
        self.spec = spec

    def __repr__(self) -> str:
        return f"Node({self.doc.display}#{jp.to_str(self.pointer)})"

    @property
    def site(self) -> Site:
        return Site(self.doc, self.pointer)

    @property
    def is_ref(self) -> bool:
        return isinstance(self.value, dict) and "$ref" in self.value

    def deref(self) -> Node | None:
        """Follow ``$ref``s until a value; None when broken or circular (already reported)."""
        node = self
        for _ in range(self.spec.options.limits.max_ref_chain):
            if not node.is_ref:
                return node
            ref_site = node.site
            target = self.spec.resolve_ref(node.doc, node.value["$ref"], ref_site, report=False)
            if target is None:
                return None
            node = Node(target.value, target.doc, target.pointer, (*node.via, ref_site), self.spec)
        return None

    def child(self, key: str | int) -> Node | None:
        """The raw child (no dereference), or None."""
        value = self.value
        if isinstance(value, dict):
            if not isinstance(key, str) or key not in value:
                return None
            return Node(value[key], self.doc, (*self.pointer, key), self.via, self.spec)
        if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
            return Node(value[key], self.doc, (*self.pointer, str(key)), self.via, self.spec)
        return None

    def get(self, key: str | int) -> Node | None:
        """The dereferenced child, or None when absent or unresolvable."""
        child = self.child(key)
        return child.deref() if child is not None else None

    def get_value(self, key: str, default: Any = None) -> Any:
        node = self.get(key)
        return default if node is None else node.value

    def keys(self) -> list[str]:
        return list(self.value) if isinstance(self.value, dict) else []

    def items(self) -> Iterator[tuple[str, Node]]:
        """Dereferenced members of a mapping (broken refs skipped)."""
        if isinstance(self.value, dict):
            for key in self.value:
                node = self.get(key)
                if node is not None:
                    yield key, node

    def elements(self) -> Iterator[Node]:
        """Dereferenced items of a list (broken refs skipped)."""
        if isinstance(self.value, list):
            for index in range(len(self.value)):
                node = self.get(index)
                if node is not None:
                    yield node

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)
