"""Exceptions whose message is meant for the user, printed by the CLI on one line."""


class MotorgraphError(Exception):
    """Base class: the message says what went wrong and how to fix it."""


class ConfigError(MotorgraphError):
    pass


class ServerError(MotorgraphError):
    pass


class ConnectionFailed(MotorgraphError):
    pass


class DatabaseError(MotorgraphError):
    """Neo4j refused a statement; `code` is its status code (e.g. Neo.ClientError.Statement.SyntaxError)."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


class ValidationFailed(MotorgraphError):
    """Input did not validate; `problems` holds one message per problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the input; nothing was written"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class QueryError(MotorgraphError):
    pass


class NotFound(MotorgraphError):
    """Something named by the user (a source id) is not in the graph."""


class UnknownName(QueryError):
    """A saved query's lookup parameter names no entity: `param` (its name), `value` (as given),
    `suggestions` (the closest entity names, best first; maybe empty)."""

    def __init__(self, message: str, param: str, value: str, suggestions: list[str]):
        super().__init__(message)
        self.param = param
        self.value = value
        self.suggestions = list(suggestions)
