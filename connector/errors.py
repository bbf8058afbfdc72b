"""The exceptions the connector raises on purpose, and the exit code each one means.

Every error a user can cause or meet is a ``ConnectorError``; the CLI catches that
root, prints the message and exits with ``exit_code``. Anything else is a bug and
keeps its traceback. Messages are one sentence a user can act on: what failed,
where (file:line, module and record id, URL path without secrets) and what to do.
They never carry a token, a password or a client secret.

    ConnectorError                      exit 1
    ├── ConfigurationError              exit 2  bad settings, mapping file, usage
    │   ├── UsageError                  exit 2  no such customer or record in the state
    │   └── RemoteConfigurationError    exit 3  SuiteCRM side: wrong URL, API off, no OAuth keys
    │       ├── EndpointNotFoundError   exit 3  404 where the API should answer
    │       ├── AuthenticationError     exit 3  bad client id/secret, user or password
    │       ├── AccessDeniedError       exit 3  the API user may not read/write a module
    │       └── UnknownModuleError      exit 2  the module does not exist: fix `modules`
    ├── TransientError                  exit 3  try again later: unreachable, slow, rate-limited
    │   ├── ConnectionFailedError               no TCP connection, DNS, TLS
    │   ├── RequestTimeoutError                 no answer within the read timeout
    │   ├── RateLimitedError                    429 after all retries
    │   ├── ServerError                         5xx after all retries
    │   └── ProtocolError                       HTML or broken JSON where JSON was due
    ├── SkippableError                  exit 1  one record is bad: count it, report it, go on
    │   ├── NotFoundError                       the record does not exist (or is deleted)
    │   ├── DuplicateIdError                    a create with an id that already exists
    │   ├── RecordRejectedError                 SuiteCRM refused the record's content
    │   └── BadRecordError                      a source record cannot be normalised: quarantined
    ├── InterruptedRunError             exit 130 asked to stop; the current page was finished
    └── FatalError                      exit 1  a bug or corrupt state; stop
        └── BadRequestError                     SuiteCRM refused a request we built
            └── DatabaseFailureError            SuiteCRM's own query failed ("Database failure")
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_CONFIGURATION = 2
EXIT_UNREACHABLE = 3


class ConnectorError(Exception):
    """Root of every error the connector raises on purpose."""

    exit_code: int = EXIT_FAILURES
    kind: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigurationError(ConnectorError):
    """Settings, mapping or usage are wrong; retrying will not help."""

    exit_code = EXIT_CONFIGURATION
    kind = "configuration"


class ConfigurationProblems(ConfigurationError):
    """Several configuration problems, reported together."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} configuration {noun}:\n{lines}")


class UsageError(ConfigurationError):
    """The command was asked for something that does not exist (a customer, a record)."""


class RemoteConfigurationError(ConfigurationError):
    """SuiteCRM is reachable but not set up for us (URL, API, OAuth keys)."""

    exit_code = EXIT_UNREACHABLE


class EndpointNotFoundError(RemoteConfigurationError):
    """SuiteCRM (or whatever answers at the URL) has no such API route."""


class AuthenticationError(RemoteConfigurationError):
    """SuiteCRM refused our credentials."""


class AccessDeniedError(RemoteConfigurationError):
    """The API user lacks the ACL rights for a module or record."""


class UnknownModuleError(RemoteConfigurationError):
    """The module name does not exist on this SuiteCRM instance: the `modules` setting
    (or ``--modules``) names it, so it is the user's configuration to fix (exit 2, as
    ``check`` says too), not SuiteCRM's."""

    exit_code = EXIT_CONFIGURATION

    def __init__(self, message: str, module: str) -> None:
        super().__init__(message)
        self.module = module


class TransientError(ConnectorError):
    """SuiteCRM could not be reached or answered badly for now; retry later."""

    exit_code = EXIT_UNREACHABLE
    kind = "transient"


class ConnectionFailedError(TransientError):
    """No connection could be made."""


class RequestTimeoutError(TransientError):
    """The server did not answer in time."""


class RateLimitedError(TransientError):
    """The server kept answering 429."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerError(TransientError):
    """The server kept failing with 5xx."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ProtocolError(TransientError):
    """The answer was not what the protocol promises (HTML page, broken JSON)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SkippableError(ConnectorError):
    """One record failed; the run counts it and goes on."""

    kind = "record"

    def __init__(self, message: str, module: str | None = None, record_id: str | None = None):
        super().__init__(message)
        self.module = module
        self.record_id = record_id


class NotFoundError(SkippableError):
    """The record does not exist or is deleted."""


class DuplicateIdError(SkippableError):
    """A record with this id already exists (also when soft-deleted)."""


class RecordRejectedError(SkippableError):
    """SuiteCRM refused the record's content (unknown field, bad value)."""


class BadRecordError(SkippableError):
    """A source record that cannot be normalised (a date that does not exist or lies
    outside 1990 … now + 1 year, a broken encoding): quarantined until fixed."""

    def __init__(self, module: str, record_id: str, field: str, value: str, reason: str):
        shown = f"{field} {value!r}" if value else field
        super().__init__(
            f"{module} record {record_id} skipped: {shown} is {reason}; "
            "fix it in SuiteCRM and the next sync takes it.",
            module,
            record_id,
        )
        self.field = field
        self.value = value
        self.reason = reason


class InterruptedRunError(ConnectorError):
    """A stop was asked for (SIGTERM, Ctrl-C); the current page was finished first."""

    kind = "interrupted"
    exit_code = 130


class FatalError(ConnectorError):
    """A bug or corrupt state: stop, and say so."""

    kind = "fatal"


class BadRequestError(FatalError):
    """SuiteCRM answered 400 to a request we built; our request was wrong."""


class DatabaseFailureError(BadRequestError):
    """SuiteCRM's database refused the query SuiteCRM built for our request (HTTP 500
    "Database failure"); asking again gives the same answer, so it is not retried."""
