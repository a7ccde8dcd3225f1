from linter.cli.main import entry

entry()
