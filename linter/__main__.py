from linter.cli import entry

entry()
