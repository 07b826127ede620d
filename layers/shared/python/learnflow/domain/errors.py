"""What can go wrong in the domain, independent of how it is reported to a caller."""


class DomainError(Exception):
    def __init__(self, message: str, *, details: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFoundError(DomainError):
    """The thing does not exist, or the caller may not know that it does."""


class ConflictError(DomainError):
    """The request clashes with the current state (a duplicate, nothing left to give)."""


class PermissionDeniedError(DomainError):
    """The caller is known but their role does not allow this."""


class InvalidInputError(DomainError):
    """The input is well-formed but breaks a rule; details name the fields."""


class AuthenticationError(DomainError):
    """Credentials or a token are missing, wrong or expired."""


class SandboxUnavailableError(RuntimeError):
    """The sandbox cannot run code right now; callers answer 503 or go on without it."""
