"""``errlint fix``: declare the error responses the status rules require, as ``$ref``s to
shared responses, without disturbing the files as written.

For every operation, every enabled :class:`~linter.rules.status.StatusRule` in scope that
``lint`` would report decides what changes: a missing required 4xx/5xx code gets
``<code>: {$ref: <shared response>}`` in the file that holds the operation; a declared
forbidden code is removed only with ``unsafe``. The shared response is the one the spec
already uses most for that code, else ``components/responses/<Name>`` (2.0: root
``responses``) in the root file or the components file, created with the convention's
canonical schema when missing (see :mod:`linter.audit.conventions`).
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.api import LintOptions, stdin_bytes
from linter.audit.conventions import Convention, convention_for, description, response_name
from linter.audit.expectations import LoadedSpec, evaluate, iter_loaded_specs, status_rule_ids
from linter.edit.encoding import TextEncoding, read_regular
from linter.edit.roundtrip import CannotEdit, TextEditor, editor_for
from linter.errors import UsageError
from linter.load.reader import parse_document
from linter.pointer import Pointer, to_str
from linter.resolve.resolver import Node, SpecSet
from linter.rules.shapes import match
from linter.safeio import Planned, write_files
from linter.spec.openapi import Operation, is_error_status, iter_operations, spec_version


@dataclass(frozen=True, slots=True)
class Change:
    file: str
    message: str
    #: the rule whose finding the change fixes (None for new shared responses)
    rule: str | None = None


@dataclass
class FileEdit:
    path: Path
    display: str
    before: str
    after: str
    created: bool = False
    #: the file's bytes when it was read (written back only if still the same)
    raw: bytes = b""
    encoding: TextEncoding = field(default_factory=TextEncoding)
    #: the spec came from standard input: it is printed, never written
    stdin: bool = False

    def diff(self) -> str:
        name = self.display.lstrip("/")
        before = "/dev/null" if self.created else f"a/{name}"
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=before,
            tofile=f"b/{name}",
        )
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
        )

    def planned(self) -> Planned:
        """The write of this edit: in the file's own encoding and BOM, only over the bytes read."""
        return Planned(self.path, self.encoding.encode(self.after), self.raw, self.created)


@dataclass
class FixResult:
    edits: list[FileEdit] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    #: findings left alone, and why (non-error codes, forbidden codes without --unsafe, ...)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: the enabled rules that set status expectations, over every spec's config
    status_rules: set[str] = field(default_factory=set)
    #: the spec read from standard input, fixed, in its own encoding (unchanged when there
    #: was nothing to fix); None when no spec came from standard input
    stdin_output: bytes | None = None

    def diff(self) -> str:
        return "".join(edit.diff() for edit in self.edits)

    def skip(self, message: str) -> None:
        """Record an operation or finding left alone (once per message)."""
        if message not in self.skipped:
            self.skipped.append(message)

    def write(self) -> None:
        """Write every edited file, or none (see :mod:`linter.safeio`); raises
        :class:`~linter.safeio.WriteError`. Nothing is written when planning found errors.
        A spec read from standard input is never written (see :attr:`stdin_output`)."""
        if self.errors:
            return
        write_files([edit.planned() for edit in self.edits if not edit.stdin])


@dataclass
class _OpenFile:
    path: Path
    display: str
    editor: TextEditor
    created: bool
    raw: bytes = b""
    encoding: TextEncoding = field(default_factory=TextEncoding)
    stdin: bool = False
    changes: list[Change] = field(default_factory=list)
    #: per container pointer, the operation and changes that go there (to leave them alone)
    owners: dict[Pointer, list[tuple[str, Change]]] = field(default_factory=dict)
    #: (file, pointer) of each ``$ref`` added, to check it resolves after the edits
    targets: list[tuple[Path, Pointer]] = field(default_factory=list)


class Workspace:
    """The files being edited, shared by every spec of one run (they may share files)."""

    def __init__(self) -> None:
        self.files: dict[Path, _OpenFile] = {}

    def open(self, path: Path, display: str) -> _OpenFile:
        """The file at ``path``, read once (its bytes, encoding and text); raises
        :class:`CannotEdit` when it is not a regular file or cannot be decoded."""
        key = path.resolve()
        if key not in self.files:
            piped = stdin_bytes(path)
            raw, created = (piped, False) if piped is not None else read_regular(path)
            encoding, text = TextEncoding.sniff(raw)
            self.files[key] = _OpenFile(
                path, display, editor_for(path, text), created, raw, encoding, stdin=piped is not None
            )
        return self.files[key]

    def finish(self, result: FixResult) -> None:
        """Apply the queued edits of every file; an operation whose edit would not parse is
        left alone (and said so), the rest is kept. Every edited text must parse and every
        added ``$ref`` resolve, else ``result.errors`` says why (and nothing is written)."""
        afters: dict[Path, str] = {}
        for key, item in self.files.items():
            if not item.editor.changed:
                continue
            try:
                after = _edited_text(item, result)
            except CannotEdit as exc:
                result.errors.append(f"{item.display}: not changed: {exc}")
                continue
            afters[key] = after
            if after != item.editor.text:
                result.edits.append(
                    FileEdit(
                        item.path, item.display, item.editor.text, after, item.created, item.raw, item.encoding,
                        stdin=item.stdin,
                    )
                )
                result.changes.extend(item.changes)
        self._check_targets(afters, result)

    def _check_targets(self, afters: dict[Path, str], result: FixResult) -> None:
        editors: dict[Path, TextEditor | None] = {}
        for item in self.files.values():
            for path, pointer in dict.fromkeys(item.targets):
                key = path.resolve()
                if key not in editors:
                    owner = self.files.get(key)
                    text = afters.get(key, owner.editor.text if owner else None)
                    editors[key] = owner.editor if owner and key not in afters else None
                    if owner is None:
                        text = _read_text(path)
                    if editors[key] is None and text is not None:
                        editors[key] = editor_for(path, text)
                editor = editors[key]
                if editor is None or not editor.has(pointer):
                    result.errors.append(
                        f"{item.display}: not changed: a new $ref would not resolve "
                        f"({path.name}#{to_str(pointer)})"
                    )


def _read_text(path: Path) -> str | None:
    try:
        raw, created = read_regular(path)
        return None if created else TextEncoding.sniff(raw)[1]
    except CannotEdit:
        return None


def _edited_text(item: _OpenFile, result: FixResult) -> str:
    """The edited text; edits that would not parse are dropped, their operations left alone."""
    baseline = _problem_counts(item, item.editor.text)
    try:
        return _verified(item, item.editor.result(), baseline)
    except CannotEdit:
        if not item.owners:
            raise
    for pointer, owners in list(item.owners.items()):
        try:
            _verified(item, item.editor.result_of(pointer), baseline)
        except CannotEdit as exc:
            item.editor.drop(pointer)
            for label, change in owners:
                result.skip(f"{label}: {exc}")
                if change in item.changes:
                    item.changes.remove(change)
            del item.owners[pointer]
    return _verified(item, item.editor.result(), baseline)


def _problem_counts(item: _OpenFile, text: str) -> Counter[str] | None:
    doc = parse_document(text.encode("utf-8"), item.path, item.display)
    return Counter(problem.rule for problem in doc.problems) if doc.ok else None


def _verified(item: _OpenFile, text: str, baseline: Counter[str] | None) -> str:
    """``text`` if it parses with no problem the original did not have."""
    doc = parse_document(text.encode("utf-8"), item.path, item.display)
    problems = Counter(problem.rule for problem in doc.problems)
    new = [p for p in doc.problems if problems[p.rule] > (baseline or Counter())[p.rule]]
    if not doc.ok or new:
        problem = new[0] if new else (doc.problems[0] if doc.problems else None)
        detail = f" ({problem.message} at line {problem.line})" if problem else ""
        raise CannotEdit(f"the edit would not parse{detail}; fix it by hand")
    return text


def fix_paths(
    paths: list[str],
    options: LintOptions,
    *,
    unsafe: bool = False,
    components_file: Path | None = None,
    on_file: Callable[[int, int, str], None] | None = None,
) -> FixResult:
    """Plan the fixes for every spec under ``paths``; nothing is written (see :meth:`FixResult.write`)."""
    result = FixResult()
    workspace = Workspace()
    for index, total, loaded in iter_loaded_specs(paths, options, result.errors):
        if on_file is not None:
            on_file(index, total, loaded.display if loaded else "")
        if loaded is None:
            continue
        result.status_rules.update(status_rule_ids(loaded.config))
        if not loaded.spec.root.ok or spec_version(loaded.spec.root.data) is None:
            result.errors.append(
                f"{loaded.display}: not an OpenAPI document that errlint can read; not fixed"
            )
            continue
        if components_file is not None:
            if stdin_bytes(loaded.spec.root.path) is not None:
                raise UsageError(
                    "fix -: --components-file would write a file; fix writes files: "
                    "save the spec to a file and run fix on it"
                )
            _check_components_file(components_file, loaded.spec.root.path, options, workspace)
        try:
            SpecFixer(loaded, workspace, result, unsafe=unsafe, components_file=components_file).run()
        except CannotEdit as exc:
            result.errors.append(f"{loaded.display}: not fixed: {exc}")
    workspace.finish(result)
    _stdin_result(paths, workspace, result)
    return result


def _stdin_result(paths: list[str], workspace: Workspace, result: FixResult) -> None:
    """Set ``result.stdin_output`` for a spec read from standard input (PATH ``-``); raise
    :class:`UsageError` when fixing it would have to write files, which ``fix -`` never does."""
    piped = [item for item in workspace.files.values() if item.stdin]
    if "-" not in paths:
        return
    needs_files = "fix writes files: save the spec to a file and run fix on it"
    if len(paths) > 1:
        raise UsageError(f"fix -: standard input must be the only PATH; {needs_files}")
    others = [edit.display for edit in result.edits if not edit.stdin]
    if others:
        raise UsageError(f"fix -: the fixes would also change {', '.join(others)}; {needs_files}")
    if not piped:
        return
    item = piped[0]
    edit = next((edit for edit in result.edits if edit.stdin), None)
    result.stdin_output = edit.encoding.encode(edit.after) if edit else item.raw


def _check_components_file(path: Path, root: Path, options: LintOptions, workspace: Workspace) -> None:
    """Raise :class:`UsageError` unless ``path`` is inside the root spec's folder (or
    ``--allow-outside-root``), and is missing, empty or a mapping errlint can read."""
    folder = os.path.realpath(root.parent)
    real = os.path.realpath(path)
    if not options.allow_outside_root and os.path.commonpath([folder, real]) != folder:
        raise UsageError(
            f"--components-file {path}: outside the spec's folder {root.parent}; "
            "pass --allow-outside-root to allow it"
        )
    try:
        item = workspace.open(path, str(path))
    except CannotEdit as exc:
        raise UsageError(f"--components-file {path}: {exc}") from None
    if not item.editor.text.strip():
        return
    doc = parse_document(item.editor.text.encode("utf-8"), path, str(path))
    if not doc.ok or not isinstance(doc.data, dict):
        raise UsageError(f"--components-file {path}: not a YAML or JSON mapping")


class SpecFixer:
    """The fixes of one root spec."""

    def __init__(
        self,
        loaded: LoadedSpec,
        workspace: Workspace,
        result: FixResult,
        *,
        unsafe: bool,
        components_file: Path | None,
    ) -> None:
        self.loaded = loaded
        self.spec: SpecSet = loaded.spec
        self.workspace = workspace
        self.result = result
        self.unsafe = unsafe
        self.swagger = spec_version(self.spec.root.data) == "2.0"
        root = self.spec.root
        if components_file is None:
            self.components = workspace.open(root.path, root.display)
        else:
            self.components = workspace.open(components_file, str(components_file))
        self.responses_at: Pointer = ("responses",) if self.swagger else ("components", "responses")
        self.schemas_at: Pointer = ("definitions",) if self.swagger else ("components", "schemas")
        self.convention: Convention = convention_for(loaded.config, self.spec)
        self.in_use = _responses_in_use(self.spec)
        self.shared: dict[str, tuple[Path, Pointer]] = {}
        self.new_responses: dict[str, tuple[str, dict[str, Any]]] = {}

    def run(self) -> None:
        for verdicts in evaluate(self.loaded.engine, self.spec):
            violated = sorted(
                (o for o in verdicts.outcomes if o.violated), key=lambda o: _status_order(o.status)
            )
            for outcome in violated:
                op, status, rule = verdicts.op, outcome.status, outcome.expectation.rule
                refused = self._refusal(outcome.required, status, rule)
                if refused is not None:
                    self._skip(op, refused)
                    continue
                container = self._container(op)
                if container is None:
                    continue
                edit = self._add if outcome.required else self._remove
                edit(op, *container, status, rule)
        self._create_shared()

    def _refusal(self, required: bool, status: str, rule: str) -> str | None:
        """Why ``fix`` leaves this outcome alone: it adds error codes only, and removes
        forbidden ones only with ``--unsafe``."""
        if required and not is_error_status(status):
            return f"{status} is required by {rule}; fix adds error responses only"
        if not required and not self.unsafe:
            return f"declares {status}, which {rule} forbids; --unsafe removes it"
        return None

    # -- operations ----------------------------------------------------------------------
    def _skip(self, op: Operation, message: str) -> None:
        self.result.skip(f"{self.spec.root.display}: {op}: {message}")

    def _container(self, op: Operation) -> tuple[_OpenFile, Pointer] | None:
        raw = op.node.child("responses")
        if raw is not None and raw.is_ref:
            self._skip(op, "its responses are a $ref shared with other operations; fix them by hand")
            return None
        doc = op.node.doc
        if doc.display.startswith(("http://", "https://")):
            self._skip(op, "it is defined in a remote file")
            return None
        try:
            file = self.workspace.open(doc.path, doc.display)
            pointer: Pointer = (*op.node.pointer, "responses")
            file.editor.check(pointer)
        except CannotEdit as exc:
            self._skip(op, str(exc))
            return None
        return file, pointer

    def _add(self, op: Operation, file: _OpenFile, pointer: Pointer, status: str, rule: str) -> None:
        target_path, target_pointer = self._shared_response(status)
        ref = ref_string(file.path, target_path, target_pointer)
        file.editor.add(pointer, {status: {"$ref": ref}})
        change = Change(file.display, f"{op}: added {status} ($ref: {ref}) for {rule}", rule)
        file.changes.append(change)
        file.owners.setdefault(pointer, []).append((f"{self.spec.root.display}: {op}", change))
        file.targets.append((target_path, target_pointer))

    def _remove(self, op: Operation, file: _OpenFile, pointer: Pointer, status: str, rule: str) -> None:
        key = next(k for k in op.status_keys if k.upper() == status.upper())
        file.editor.remove(pointer, key)
        file.changes.append(Change(file.display, f"{op}: removed {key}, which {rule} forbids", rule))

    # -- shared responses ----------------------------------------------------------------
    def _shared_response(self, status: str) -> tuple[Path, Pointer]:
        """Where the shared response for ``status`` is (or will be)."""
        if status in self.shared:
            return self.shared[status]
        used = self.in_use.get(status.upper())
        if used:
            self.shared[status] = used.most_common(1)[0][0]
            return self.shared[status]
        name = response_name(status)
        pointer = (*self.responses_at, name)
        if not self.components.editor.has(pointer):
            self.new_responses[status] = (name, self._response_object(status))
        self.shared[status] = (self.components.path, pointer)
        return self.shared[status]

    def _response_object(self, status: str) -> dict[str, Any]:
        response: dict[str, Any] = {"description": description(status)}
        body = self.convention.body(status)
        if body is None:
            return response
        if body.existing is not None:
            ref = ref_string(self.components.path, body.existing.doc.path, body.existing.pointer)
        else:
            assert body.schema_name is not None and body.schema is not None
            name = self._schema_name(body.schema_name, body.schema)
            self.components.editor.add(self.schemas_at, {name: body.schema})
            ref = "#" + to_str((*self.schemas_at, name))
        if self.swagger:
            response["schema"] = {"$ref": ref}
        else:
            response["content"] = {body.media_type: {"schema": {"$ref": ref}}}
        return response

    def _schema_name(self, wanted: str, schema: dict[str, Any]) -> str:
        """``wanted`` when the components file has no schema of that name, or one with the
        convention's shape (:func:`linter.rules.shapes.match`, as lint checks it); else the
        first free ``wanted2``, ``wanted3``...: a spec's own ``Problem`` of another shape (or a
        ``$ref`` that resolves to nothing) is never reused for a convention it does not follow.
        A ``--components-file`` the spec does not ``$ref`` yet is read from its text."""
        doc = self.spec.docs.get(str(self.components.path.resolve()))
        if doc is None and self.components.editor.text.strip():  # a --components-file not $ref'd yet
            raw = self.components.editor.text.encode("utf-8")
            doc = parse_document(raw, self.components.path, self.components.display)
        schemas = Node(doc.data, doc, (), (), self.spec) if doc is not None else None
        for key in self.schemas_at:
            schemas = schemas.get(key) if schemas is not None and schemas.is_mapping else None
        name, suffix = wanted, 2
        while schemas is not None and schemas.is_mapping and (written := schemas.child(name)) is not None:
            found = written.deref()  # None: a $ref that resolves to nothing, no shape to reuse
            if found is not None and not match(found, schema, "the convention"):
                break
            name, suffix = f"{wanted}{suffix}", suffix + 1
        return name

    def _create_shared(self) -> None:
        for status in sorted(self.new_responses, key=_status_order):
            name, response = self.new_responses[status]
            self.components.editor.add(self.responses_at, {name: response})
            where = to_str((*self.responses_at, name))
            self.components.changes.append(
                Change(self.components.display, f"created {where} ({self.convention.name} convention)")
            )


def _status_order(status: str) -> tuple[int, str]:
    return (0 if status[:1].isdigit() else 1, status)


def _responses_in_use(spec: SpecSet) -> dict[str, Counter[tuple[Path, Pointer]]]:
    """Per STATUS, how often each ``$ref``'d response definition is used by the operations."""
    found: dict[str, Counter[tuple[Path, Pointer]]] = {}
    for op in iter_operations(spec):
        responses = op.responses_node
        if responses is None:
            continue
        for key in op.status_keys:
            raw = responses.child(key)
            if raw is None or not raw.is_ref:
                continue
            site = _first_target(raw)
            if site is not None:
                found.setdefault(key.upper(), Counter())[site] += 1
    return found


def _first_target(raw: Node) -> tuple[Path, Pointer] | None:
    """The (file, pointer) the ``$ref`` at ``raw`` names (one hop, so names stay as written)."""
    target = raw.spec.resolve_ref(raw.doc, raw.value["$ref"], raw.site, report=False)
    if target is None or target.doc.display.startswith(("http://", "https://")):
        return None
    return target.doc.path, target.pointer


def ref_string(from_file: Path, to_file: Path, pointer: Pointer) -> str:
    """A ``$ref`` written in ``from_file`` that names ``pointer`` in ``to_file``."""
    fragment = "#" + to_str(pointer) if pointer else ""
    source, target = from_file.resolve(), to_file.resolve()
    if source == target:
        return fragment or "#"
    relative = os.path.relpath(target, source.parent).replace(os.sep, "/")
    return relative + fragment
