"""The audit commands: ``errlint coverage`` (the error-coverage matrix) and ``errlint fix``
(add the missing required error responses without disturbing the file as written).

Exit codes follow ``lint``: 2 when errlint could not do its job; ``coverage`` exits 1 below
``--fail-under``, ``fix --dry-run`` exits 1 when it would change something.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from linter.cli.options import lint_options, spec_options

if TYPE_CHECKING:
    pass

Command = Callable[..., None]


def _say(message: str) -> None:
    """Messages for people go to stderr, so reports and diffs on stdout stay clean; spec
    text inside them is escaped (see :mod:`linter.report.escape`)."""
    from linter.report.escape import printable

    click.echo(f"errlint: {printable(message)}", err=True)


@click.command("coverage")
@spec_options
@click.option(
    "--format",
    "format_name",
    type=click.Choice(("text", "markdown", "csv", "json", "html")),
    default="text",
    show_default=True,
    help="Output format (html: one self-contained page with filters).",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
@click.option(
    "--group-by", type=click.Choice(("tag", "path")), default="tag", show_default=True, help="Row groups."
)
@click.option("--width", type=click.IntRange(min=60), default=120, show_default=True, help="Text width.")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    metavar="PERCENT",
    help="Exit 1 when coverage is below PERCENT.",
)
def coverage_command(
    paths: tuple[str, ...],
    format_name: str,
    output: Path | None,
    group_by: str,
    width: int,
    fail_under: float | None,
    **spec: Any,
) -> None:
    """Show which error responses each operation declares, must declare, or must not declare."""
    from linter.audit.coverage import build_matrix
    from linter.audit.render import render
    from linter.cli.progress import Progress

    with Progress() as progress:
        matrix = build_matrix(list(paths), lint_options(spec), group_by, on_file=progress.update)
    for error in matrix.errors:
        _say(error)
    if output is not None:
        import io

        from linter.safeio import refuse_inputs, write_text

        refuse_inputs([output], paths, "coverage report", resolved=matrix.sources)
        buffer = io.StringIO(newline="")
        render(matrix, format_name, buffer, width)
        write_text(output, buffer.getvalue())
        _say(f"wrote {format_name} coverage report to {output}")
    else:
        render(matrix, format_name, click.get_text_stream("stdout"), width)
    if matrix.errors:
        sys.exit(2)
    if matrix.files and not matrix.status_rules:
        from linter.audit.expectations import no_expectations_hint

        _say(no_expectations_hint())
        if fail_under is not None:
            _say("--fail-under has nothing to measure")
            sys.exit(2)
    coverage = matrix.totals.coverage
    if fail_under is not None and coverage is not None and coverage < fail_under:
        _say(f"coverage {coverage:.1f}% is below --fail-under {fail_under:g}%")
        sys.exit(1)
    sys.exit(0)


@click.command("fix")
@spec_options
@click.option(
    "--dry-run", is_flag=True, help="Print a unified diff instead of writing; exit 1 if it is not empty."
)
@click.option(
    "--unsafe", is_flag=True, help="Also remove responses a rule forbids (e.g. 403 on Sales Layer DAM)."
)
@click.option(
    "--components-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Put new shared responses and schemas here instead of the root file.",
)
@click.option("--verbose", "-v", is_flag=True, help="List every change on stderr.")
def fix_command(
    paths: tuple[str, ...],
    dry_run: bool,
    unsafe: bool,
    components_file: Path | None,
    verbose: bool,
    **spec: Any,
) -> None:
    """Declare the error responses the ruleset requires, keeping the files as written."""
    from linter.audit.fix import fix_paths
    from linter.cli.progress import Progress

    with Progress() as progress:
        result = fix_paths(
            list(paths),
            lint_options(spec),
            unsafe=unsafe,
            components_file=components_file,
            on_file=progress.update,
        )
    for error in result.errors:
        _say(error)
    for skipped in result.skipped:
        _say(f"left alone: {skipped}")
    if verbose:
        for change in result.changes:
            _say(f"{change.file}: {change.message}")
    files = len(result.edits)
    if dry_run:
        click.echo(result.diff(), nl=False)
        _say(f"would make {len(result.changes)} changes in {files} file{'s' if files != 1 else ''}")
    elif result.errors:
        _say("nothing written: every file is written or none")
    elif result.stdin_output is not None:
        # a spec on standard input is never written: the fixed spec goes to standard output
        stdout = click.get_binary_stream("stdout")
        stdout.write(result.stdin_output)
        stdout.flush()
        _say(f"made {len(result.changes)} changes (printed on standard output)")
    else:
        result.write()
        _say(f"made {len(result.changes)} changes in {files} file{'s' if files != 1 else ''}")
    if not result.errors and not result.changes and not result.status_rules:
        from linter.audit.expectations import no_expectations_hint

        _say(f"nothing to add: {no_expectations_hint()}")
    if result.errors:
        sys.exit(2)
    sys.exit(1 if dry_run and result.edits else 0)
