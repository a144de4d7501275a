"""The reliability harness: faults, concurrency and hostile input, with nothing lost; and security.

Not part of the installed package: it lives beside the tests, which use its building
blocks, and runs from a checkout with tests/ on the path (`make reliability`, i.e.
`PYTHONPATH=tests python -m harness --short`). It imports motorgraph's public modules only.

- `dump`: the canonical graph dump every test compares with (tests/conftest.py), duplicates, counts;
- `data`: generated bulk CSV datasets and the fuzzing base document;
- `processes`: spare servers on free ports, loader and CLI subprocesses, SIGKILL, waits;
- `faults`: the loader and Neo4j killed mid-load, four loaders at once, a restart mid-session;
- `replacing`: the same faults during a replacing load of a curated source, two replacing
  loads at once, a replacing load beside an unload of its source;
- `hostile`: mutated YAML and CSV, hostile saved-query parameters;
- `security`: loopback only, authentication, password secrecy, read-only saved queries, no traversal;
- `context`, `report`, `run`: the shared throw-away server, docs/reliability.md, the run itself.
"""
