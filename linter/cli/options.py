"""Options shared by every command that reads specs (``lint``, ``baseline``, ``coverage``, ``fix``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from linter.check.watchdog import DEFAULT_RULE_TIMEOUT
from linter.load.document import DEPTH_CEILING, Limits

if TYPE_CHECKING:
    from linter.api import LintOptions

_LIMITS = Limits()


def _bound(name: str, kind: click.ParamType, default: float, help_text: str) -> Callable[..., Any]:
    """An option for one of the limits (a number within ``kind``, its default shown)."""
    return click.option(name, type=kind, default=default, show_default=True, help=help_text)


def spec_options(command: Callable[..., None]) -> Callable[..., None]:
    """The arguments and options that choose what is linted and how: shared by lint and baseline."""
    options = [
        click.argument("paths", nargs=-1, required=True),
        click.option(
            "--ruleset", "rulesets", multiple=True, metavar="NAME|FILE", help="Ruleset to apply (repeatable)."
        ),
        click.option(
            "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Config file."
        ),
        click.option(
            "--stdin-filename",
            metavar="NAME",
            default=None,
            help="With PATH '-' (the spec on standard input): the name to show (default <stdin>).",
        ),
        click.option("--allow-remote", is_flag=True, help="Fetch http(s) $ref targets."),
        click.option(
            "--remote-timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=10.0,
            show_default=True,
            metavar="SECONDS",
            help="With --allow-remote: the most each remote document may take to fetch, in all.",
        ),
        click.option(
            "--allow-outside-root", is_flag=True, help="Let local $refs leave the root spec's folder."
        ),
        click.option(
            "--report-unused-ignores",
            is_flag=True,
            help="Report x-errlint-ignore entries that match nothing.",
        ),
        click.option(
            "--only-openapi",
            is_flag=True,
            help="For named files without an openapi/swagger key, lint the root specs that $ref them; "
            "skip the others (pre-commit).",
        ),
        click.option(
            "--roots",
            "roots",
            multiple=True,
            metavar="PATH",
            help="With --only-openapi: where to look for those root specs (file or folder; repeatable; "
            "default: the whole repository).",
        ),
        _bound(
            "--max-file-size", click.IntRange(min=1), _LIMITS.max_file_bytes, "Largest file read, in bytes."
        ),
        _bound(
            "--max-depth",
            click.IntRange(min=1, max=DEPTH_CEILING),
            _LIMITS.max_depth,
            "Deepest nesting accepted.",
        ),
        _bound(
            "--max-aliases",
            click.IntRange(min=0),
            _LIMITS.max_aliases,
            "Most nodes YAML aliases may repeat per file (an alias bomb guard).",
        ),
        _bound(
            "--max-ref-chain",
            click.IntRange(min=1),
            _LIMITS.max_ref_chain,
            "Most $refs followed in a row before the chain is reported.",
        ),
        _bound(
            "--rule-timeout",
            click.FloatRange(min=0),
            DEFAULT_RULE_TIMEOUT,
            "Seconds each rule may spend on each spec (0: no limit).",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            default=0,
            help="Processes linting independent root specs at once (default 0: one per CPU core).",
        ),
        click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def lint_options(spec: dict[str, Any]) -> LintOptions:
    """LintOptions from the values of :func:`spec_options` (without ``paths``)."""
    from linter.api import LintOptions

    return LintOptions(
        rulesets=spec["rulesets"],
        config_file=spec["config_file"],
        allow_remote=spec["allow_remote"],
        remote_timeout=spec["remote_timeout"],
        allow_outside_root=spec["allow_outside_root"],
        report_unused_ignores=spec["report_unused_ignores"],
        only_openapi=spec["only_openapi"],
        stdin_filename=spec["stdin_filename"],
        roots=spec["roots"],
        limits=Limits(
            max_file_bytes=spec["max_file_size"],
            max_depth=spec["max_depth"],
            max_aliases=spec["max_aliases"],
            max_ref_chain=spec["max_ref_chain"],
        ),
        raise_errors=spec["debug"],
        rule_timeout=spec["rule_timeout"] or None,
        jobs=spec["jobs"] or os.cpu_count() or 1,
    )
