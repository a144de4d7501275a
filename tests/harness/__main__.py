"""`PYTHONPATH=tests python -m harness [--short] [-o FILE]`: the reliability run (see harness.run)."""

from .run import main

main(prog_name="python -m harness")
