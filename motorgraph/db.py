"""The driver: one place that opens connections and turns driver errors into one-line messages."""

from __future__ import annotations

import contextlib
from typing import Iterator

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as neo_exc

from motorgraph.errors import ConnectionFailed, DatabaseError
from motorgraph.settings import Settings, get_settings


def _fix_hint(settings: Settings) -> str:
    if settings.local:
        return "start the local server with `motorgraph server start`, or set NEO4J_URI to another Neo4j"
    return "check NEO4J_URI, and that the server is running and reachable"


def open_driver(settings: Settings | None = None, verify: bool = True) -> neo4j.Driver:
    """A driver for the configured Neo4j; with verify, fail now with a clear message."""
    settings = settings or get_settings()
    driver = GraphDatabase.driver(
        settings.bolt_uri,
        auth=settings.auth(),
        connection_timeout=10,
        max_transaction_retry_time=30,
        user_agent="motorgraph",
        # The server's notifications (e.g. "The property `since` does not exist", for a property
        # that only some facts carry) are hints for writing Cypher, not results: the driver would
        # log each one, query included, as a warning on every call. The server is asked not to
        # send them (the driver's documented setting).
        notifications_min_severity="OFF",
    )
    if verify:
        try:
            driver.verify_connectivity()
        except BaseException as exc:
            driver.close()
            raise translate(exc, settings) from None
    return driver


def translate(exc: BaseException, settings: Settings) -> BaseException:
    """A driver exception as a user-facing error; the one place driver errors are translated.

    Connection and credential problems become `ConnectionFailed`, anything else Neo4j said
    becomes `DatabaseError` (with its `code`); other exceptions pass through unchanged.
    """
    uri = settings.bolt_uri
    if isinstance(exc, neo_exc.AuthError):
        where = (
            f"the password in {settings.password_file}"
            if settings.local
            else "NEO4J_USERNAME / NEO4J_PASSWORD"
        )
        return ConnectionFailed(f"Neo4j at {uri} rejected the credentials; check {where}")
    if isinstance(exc, (neo_exc.ServiceUnavailable, neo_exc.SessionExpired, OSError)):
        return ConnectionFailed(f"cannot reach Neo4j at {uri}; {_fix_hint(settings)}")
    if isinstance(exc, neo_exc.ConfigurationError):
        return ConnectionFailed(f"cannot use {uri}: {exc}")
    if isinstance(exc, neo_exc.Neo4jError):
        return DatabaseError(f"Neo4j said: {exc.code}: {exc.message}", code=exc.code)
    return exc


@contextlib.contextmanager
def translated(settings: Settings) -> Iterator[None]:
    """Driver errors inside the block become one-line `MotorgraphError`s (see `translate`)."""
    try:
        yield
    except (neo_exc.Neo4jError, neo_exc.DriverError) as exc:
        mapped = translate(exc, settings)
        if mapped is exc:
            raise
        raise mapped from exc
