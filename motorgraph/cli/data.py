"""`motorgraph load`."""

COMMANDS = []
