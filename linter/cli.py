"""The ``errlint`` command: parse arguments, call the library, print, choose the exit code.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 errlint
could not do its job (bad path, option, config or ruleset, or an internal error).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, TextIO

import click

from linter import __version__

FAIL_ON = ("error", "warning", "info", "never")


def _fail(message: str) -> None:
    click.echo(f"errlint: {message}", err=True)


def _use_color(no_color: bool, stream: TextIO) -> bool:
    if no_color or "NO_COLOR" in os.environ:
        return False
    return hasattr(stream, "isatty") and stream.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="errlint", message="%(prog)s %(version)s")
def cli() -> None:
    """errlint: prove that an OpenAPI spec declares the documented error responses."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--ruleset", "rulesets", multiple=True, metavar="NAME|FILE", help="Ruleset to apply (repeatable)."
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Config file.")
@click.option(
    "--format", "format_name", default="text", show_default=True, help="Output format: text or json."
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here."
)
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Print findings only: no summary, nothing when clean.")
@click.option("--no-color", is_flag=True, help="Never colour the output (NO_COLOR is honoured too).")
@click.option("--allow-remote", is_flag=True, help="Fetch http(s) $ref targets.")
@click.option("--allow-outside-root", is_flag=True, help="Let local $refs leave the root spec's folder.")
@click.option(
    "--report-unused-ignores", is_flag=True, help="Report x-errlint-ignore entries that match nothing."
)
@click.option(
    "--explain-scope",
    "--verbose",
    "-v",
    "explain_scope",
    is_flag=True,
    help="Say, per operation, which API family and conventions apply and why (on stderr).",
)
@click.option("--only-openapi", is_flag=True, help="Skip files without an openapi/swagger key (pre-commit).")
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=64 * 1024 * 1024,
    show_default=True,
    help="Largest file read, in bytes.",
)
@click.option(
    "--max-depth",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Deepest nesting accepted.",
)
@click.option(
    "--max-aliases",
    type=click.IntRange(min=0),
    default=10_000,
    show_default=True,
    help="Most YAML alias uses accepted per file.",
)
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
def lint(
    paths: tuple[str, ...],
    rulesets: tuple[str, ...],
    config_file: Path | None,
    format_name: str,
    output: Path | None,
    fail_on: str,
    quiet: bool,
    no_color: bool,
    allow_remote: bool,
    allow_outside_root: bool,
    report_unused_ignores: bool,
    explain_scope: bool,
    only_openapi: bool,
    max_file_size: int,
    max_depth: int,
    max_aliases: int,
    debug: bool,
) -> None:
    """Lint OpenAPI specs (files, or folders walked for specs)."""
    from linter import registry
    from linter.api import LintOptions, lint_paths
    from linter.document import Limits
    from linter.model import Severity

    reporter_class = registry.reporter(format_name)
    options = LintOptions(
        rulesets=rulesets,
        config_file=config_file,
        allow_remote=allow_remote,
        allow_outside_root=allow_outside_root,
        report_unused_ignores=report_unused_ignores,
        only_openapi=only_openapi,
        limits=Limits(max_file_bytes=max_file_size, max_depth=max_depth, max_aliases=max_aliases),
        raise_errors=debug,
    )
    result = lint_paths(list(paths), options)
    for error in result.errors:
        _fail(error)
    if explain_scope:
        from linter.explain import explain_scopes

        for report in result.specs:
            for line in explain_scopes(report.spec):
                click.echo(line, err=True)
    if not (quiet and not result.findings):
        if output is not None:
            with output.open("w", encoding="utf-8") as handle:
                reporter_class(color=False, quiet=quiet).render(result, handle)
        else:
            reporter = reporter_class(color=_use_color(no_color, sys.stdout), quiet=quiet)
            reporter.render(result, click.get_text_stream("stdout"))
    if result.errors or result.internal_errors:
        sys.exit(2)
    if fail_on != "never":
        threshold = Severity.parse(fail_on)
        if any(f.severity >= threshold for f in result.findings):
            sys.exit(1)
    sys.exit(0)


@cli.command("rules")
@click.option(
    "--format", "format_name", type=click.Choice(("text", "json")), default="text", show_default=True
)
@click.option("--ruleset", "ruleset", default=None, metavar="NAME|FILE", help="Show which rules it enables.")
def list_rules(format_name: str, ruleset: str | None) -> None:
    """List every rule with its default severity and summary."""
    import json

    from linter import registry
    from linter.ruleset import load_ruleset, resolve_name

    enabled: dict[str, Any] | None = None
    if ruleset is not None:
        enabled = load_ruleset(resolve_name(ruleset, Path.cwd())).enabled_rules()
    rows = []
    for rule_id, rule in registry.rules().items():
        if enabled is not None and rule_id not in enabled:
            continue
        severity = enabled[rule_id].severity.label if enabled is not None else rule.default_severity.label
        rows.append({"id": rule_id, "severity": severity, "summary": rule.summary()})
    if format_name == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(row["id"]) for row in rows), default=0)
    for row in rows:
        click.echo(f"{row['id']:<{width}}  {row['severity']:<7}  {row['summary']}")


@cli.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Print a rule's documentation: what it checks, why, and examples."""
    from linter import registry
    from linter.docs import rule_page

    click.echo(rule_page(registry.rule(rule_id)))


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
        _fail(str(exc))
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
