"""`python -m generator.cli`: the `briefing` command."""

from generator.cli import run

run()
