"""`python -m scoring` is the `score` command."""
from .cli import main

main(prog_name="score")
