"""Built-in rulesets: each ``<name>.yaml`` beside this file is one ruleset."""
