"""The ``errlint`` command: parse arguments, call the library, print, choose the exit code.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 errlint
could not do its job (bad path, option, config or ruleset, or an internal error).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from linter import __version__
from linter.cli.audit import coverage_command, fix_command
from linter.cli.options import lint_options, spec_options
from linter.jsonvalue import excerpt

if TYPE_CHECKING:
    from linter.api import RunResult
    from linter.model import LintResult

FAIL_ON = ("error", "warning", "info", "never")
DEFAULT_BASELINE = ".errlint-baseline.json"


def _fail(message: str) -> None:
    """One line on stderr; spec text inside it is escaped (see :mod:`linter.report.escape`)."""
    from linter.report.escape import printable

    click.echo(f"errlint: {printable(message)}", err=True)


#: information for people goes to stderr too, so reports on stdout stay clean
_note = _fail


def _use_color(no_color: bool, stream: TextIO) -> bool:
    """Colour only on a terminal that can show it: not with ``--no-color``, ``NO_COLOR`` or
    ``TERM=dumb``."""
    if no_color or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return _is_terminal(stream)


def _is_terminal(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="errlint", message="%(prog)s %(version)s")
def cli() -> None:
    """errlint: prove that an OpenAPI spec declares the documented error responses."""


# the audit commands (coverage, fix) are defined in linter.cli.audit
cli.add_command(coverage_command)
cli.add_command(fix_command)


@dataclass(frozen=True)
class _Target:
    """One report to write: a format, and a file (None for stdout)."""

    format: str
    path: Path | None


def _targets(formats: tuple[str, ...], output: Path | None) -> list[_Target]:
    """Parse ``--format FORMAT[:FILE]`` (repeatable) and ``--output``; at most one goes to stdout."""
    from linter.errors import UsageError

    targets = []
    for given in formats or ("text",):
        name, colon, file = given.partition(":")
        if colon and not file:
            raise UsageError(f"--format {excerpt(given)}: give a file after the colon, or drop the colon")
        targets.append(_Target(name, Path(file) if colon else None))
    if output is not None:
        if len(targets) != 1 or targets[0].path is not None:
            raise UsageError("--output takes a single --format; write several with --format FORMAT:FILE")
        targets = [_Target(targets[0].format, output)]
    if sum(target.path is None for target in targets) > 1:
        raise UsageError("only one --format can go to stdout; give the others a file (FORMAT:FILE)")
    seen: dict[Path, _Target] = {}
    for target in targets:
        if target.path is None:
            continue
        key = target.path.resolve()
        if key in seen:
            raise UsageError(
                f"--format {seen[key].format}:{seen[key].path} and --format {target.format}:{target.path} "
                "write the same file; give each report its own file"
            )
        seen[key] = target
    return targets


def _write_reports(
    result: LintResult, targets: list[_Target], quiet: bool, no_color: bool, code_frame: bool | None = None
) -> None:
    """Render every target; stdout stays silent under --quiet when there is nothing to say.
    ``code_frame`` (None: on a terminal) asks reporters that can for the spec's lines."""
    import io

    from linter import registry
    from linter.safeio import write_text

    for target in targets:
        reporter_class = registry.reporter(target.format)
        if target.path is None:
            if not (quiet and not result.findings):
                extra: dict[str, Any] = {}
                if getattr(reporter_class, "supports_code_frame", False):
                    extra["code_frame"] = _is_terminal(sys.stdout) if code_frame is None else code_frame
                reporter = reporter_class(color=_use_color(no_color, sys.stdout), quiet=quiet, **extra)
                reporter.render(result, click.get_text_stream("stdout"))
            continue
        buffer = io.StringIO()
        extra = {"code_frame": True} if code_frame and getattr(reporter_class, "supports_code_frame", False) else {}
        reporter_class(color=False, quiet=quiet, **extra).render(result, buffer)
        write_text(target.path, buffer.getvalue())


def _exit_code(result: RunResult, fail_on: str) -> int:
    from linter.model import Severity

    if result.errors or result.internal_errors:
        return 2
    if fail_on != "never":
        threshold = Severity.parse(fail_on)
        if any(f.severity >= threshold for f in result.findings):
            return 1
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@cli.command()
@spec_options
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT[:FILE]",
    help="Output format: text (default), json, sarif, github, gitlab, junit or markdown; with :FILE, written "
    "there. Repeatable; at most one without a file (it goes to stdout).",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the (single) report here."
)
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Print findings only: no summary, nothing when clean.")
@click.option("--no-color", is_flag=True, help="Never colour the output (NO_COLOR is honoured too).")
@click.option(
    "--code-frame/--no-code-frame",
    default=None,
    help="Text output: show each finding's line of the spec with a caret (default: on a terminal).",
)
@click.option(
    "--explain-scope",
    "--verbose",
    "-v",
    "explain_scope",
    is_flag=True,
    help="Say, per operation, which API family and conventions apply and why (on stderr).",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Hide the findings recorded in this file (see 'errlint baseline').",
)
@click.option(
    "--diff-base",
    metavar="REF",
    help="Report only findings new since git REF, and error responses removed since.",
)
def lint(
    paths: tuple[str, ...],
    formats: tuple[str, ...],
    output: Path | None,
    fail_on: str,
    quiet: bool,
    no_color: bool,
    code_frame: bool | None,
    explain_scope: bool,
    baseline_file: Path | None,
    diff_base: str | None,
    **spec: Any,
) -> None:
    """Lint OpenAPI specs (files, or folders walked for specs)."""
    from linter import registry
    from linter.api import lint_paths
    from linter.report.escape import printable
    from linter.safeio import refuse_inputs

    targets = _targets(formats, output)
    for target in targets:
        registry.reporter(target.format)
    from linter.cli.progress import Progress

    options = replace(lint_options(spec), explain_scope=explain_scope, keep_specs=diff_base is not None)
    with Progress() as progress:
        result = lint_paths(list(paths), options, on_file=progress.update)
    for error in result.errors:
        _fail(error)
    if not quiet:
        for note in result.notes:
            _note(note)
    if result.errors and not result.files:
        sys.exit(2)  # nothing was linted: the lines above say why, and no report would mean anything
    for report in result.specs:
        for line in report.scope_lines:
            click.echo(printable(line), err=True)
    if diff_base is not None:
        from linter.report.diffmode import apply_diff_base

        diff = apply_diff_base(result, diff_base, options)
        if not quiet:
            _note(
                f"compared with {diff.ref}: {_plural(diff.preexisting, 'finding')} already there not shown, "
                f"{_plural(diff.removed, 'error response')} removed"
            )
    if baseline_file is not None:
        from linter.report.baseline import apply_baseline, load_baseline
        from linter.report.fingerprint import repository_root

        kept = apply_baseline(result, load_baseline(baseline_file), repository_root())
        if not quiet:
            _note(
                f"baseline {baseline_file}: {_plural(kept.suppressed, 'known finding')} not shown, "
                f"{kept.gone} gone since it was recorded"
                + (" (refresh it with 'errlint baseline')" if kept.gone else "")
            )
    refuse_inputs([target.path for target in targets], paths, resolved=_sources(result))
    _write_reports(result, targets, quiet, no_color, code_frame)
    sys.exit(_exit_code(result, fail_on))


def _sources(result: RunResult) -> list[str]:
    """Every file the run read besides the paths named: each spec's files (``$ref``'d too), as
    real paths."""
    return [source for report in result.specs for source in report.sources]


@cli.command("baseline")
@spec_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_BASELINE,
    show_default=True,
    help="Where to write the baseline.",
)
def baseline_command(paths: tuple[str, ...], output: Path, **spec: Any) -> None:
    """Record the current findings, so that 'lint --baseline FILE' fails only on new ones."""
    from linter.api import lint_paths
    from linter.errors import ConfigError
    from linter.report.baseline import linted_files, write_baseline
    from linter.report.fingerprint import repository_root
    from linter.safeio import refuse_inputs

    result = lint_paths(list(paths), lint_options(spec))
    for error in result.errors:
        _fail(error)
    if result.errors or result.internal_errors:
        _fail("baseline not written: errlint could not lint everything")
        sys.exit(2)
    refuse_inputs([output], paths, "baseline", resolved=_sources(result))
    root = repository_root()
    try:
        kept = write_baseline(output, result.findings, root, linted_files(result, root))
    except ConfigError as exc:
        _fail(str(exc))
        sys.exit(2)
    others = f" (and kept {_plural(kept, 'finding')} of other files)" if kept else ""
    _note(f"wrote {_plural(len(result.findings), 'finding')} to {output}{others}")


@cli.command("rules")
@click.option(
    "--format", "format_name", type=click.Choice(("text", "json")), default="text", show_default=True
)
@click.option("--ruleset", "ruleset", default=None, metavar="NAME|FILE", help="Show which rules it enables.")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Also list the policies of this config (default: the config lint finds from here).",
)
def list_rules(format_name: str, ruleset: str | None, config_file: Path | None) -> None:
    """List every rule, the built-in rulesets' policies (with the ruleset each comes from)
    and the policies of the config in effect, with severity and summary."""
    import json

    from linter import registry
    from linter.rules.docs import builtin_policies, builtin_policy_rulesets

    config = _config_in_effect(config_file, (ruleset,) if ruleset else ())
    enabled = config.enabled_rules() if ruleset is not None and config is not None else None
    known: dict[str, Any] = dict(registry.rules())
    policies: dict[str, Any] = {**builtin_policies(), **(config.policies if config is not None else {})}
    known.update(policies)
    origins = builtin_policy_rulesets()
    rows = []
    for rule_id, rule in sorted(known.items()):
        if enabled is not None and rule_id not in enabled:
            continue
        severity = enabled[rule_id].severity.label if enabled is not None else rule.default_severity.label
        row = {"id": rule_id, "severity": severity, "summary": rule.summary()}
        if rule_id in policies:
            row["policy"] = True
            if rule_id in origins:
                row["ruleset"] = origins[rule_id]
        rows.append(row)
    if format_name == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(row["id"]) for row in rows), default=0)
    for row in rows:
        source = f" ({row['ruleset']} ruleset)" if "ruleset" in row else ""
        click.echo(f"{row['id']:<{width}}  {row['severity']:<7}  {row['summary']}{source}")


@cli.command()
@click.argument("rule_id")
@click.option("--ruleset", "rulesets", multiple=True, metavar="NAME|FILE", help="Look among its policies too.")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Look among its policies too (default: the config lint finds from here).",
)
def explain(rule_id: str, rulesets: tuple[str, ...], config_file: Path | None) -> None:
    """Print a rule's or policy's documentation: what it checks, why, and examples."""
    from linter import registry
    from linter.errors import ConfigError
    from linter.jsonvalue import excerpt
    from linter.rules.docs import builtin_policies, rule_page

    config = _config_in_effect(config_file, rulesets)
    policies = config.policies if config is not None else {}
    found = policies.get(rule_id) or registry.find_rule(rule_id)
    if found is None:  # the built-in rulesets' policies, read only now
        builtin = builtin_policies()
        found = builtin.get(rule_id)
        if found is None:
            hint = registry.suggest_rule(rule_id, [*builtin, *policies])
            raise ConfigError(f"unknown rule {excerpt(rule_id)}{hint} (see 'errlint rules')")
    click.echo(rule_page(found))


def _config_in_effect(config_file: Path | None, rulesets: tuple[str, ...]) -> Any:
    """The config ``lint`` would use for a spec in the current folder, or None when there is
    none beyond the built-in default (its policies are the built-in rulesets')."""
    from linter.check.config import build_config, discover

    if not rulesets and config_file is None and discover(Path.cwd()) is None:
        return None
    return build_config(Path.cwd(), config_file, rulesets)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every failure becomes one line on stderr and exit code 2."""
    from linter.errors import ErrlintError

    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = cli.main(args=argv, prog_name="errlint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(2)
    except click.ClickException as exc:
        _fail(exc.format_message())
        sys.exit(2)
    except click.exceptions.Abort:
        _fail("aborted")
        sys.exit(2)
    except ErrlintError as exc:
        for line in str(exc).splitlines() or [""]:  # a config's mistakes: one line each
            _fail(line)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(1)
    except KeyboardInterrupt:
        _fail("interrupted")
        sys.exit(2)
    except Exception as exc:
        if debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)")
        sys.exit(2)
    sys.exit(code or 0)


def _reopen_closed_streams() -> None:
    """A stream closed by the caller (``>&-``, ``2>&-``) becomes the null device, so errlint
    runs and exits with the same code, and no write fails with a traceback. Opening it takes
    the lowest free descriptor, which is the closed one."""
    for name in ("stdin", "stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "r" if name == "stdin" else "w", encoding="utf-8"))  # noqa: SIM115


def entry() -> None:
    """The ``errlint`` command: :func:`main` with the cycle collector off, then a prompt exit.

    A run builds millions of small objects that live until the end; the collector would
    scan them again and again (a tenth of the run on a 13 MB spec), and tearing them down
    one by one at exit costs as much again. Output is flushed first; nothing else is
    pending at exit (report files are closed as they are written, worker pools are joined).
    """
    import contextlib
    import gc
    import os

    gc.disable()
    _reopen_closed_streams()
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)

