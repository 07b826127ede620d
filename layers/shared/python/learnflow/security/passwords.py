"""Password hashing with argon2id at OWASP's first recommended setting (docs/security.md says why).

Hashes made with other parameters (argon2-cffi's defaults, before) still verify: each hash names
its own.
"""

from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError

#: OWASP Password Storage Cheat Sheet, argon2id: 19 MiB of memory, 2 iterations, 1 degree of parallelism
MEMORY_KIB = 19 * 1024
ITERATIONS = 2
PARALLELISM = 1

_argon2 = Argon2(time_cost=ITERATIONS, memory_cost=MEMORY_KIB, parallelism=PARALLELISM)
_DUMMY_HASH = _argon2.hash("a password nobody has, for constant-time misses")


class Argon2idHasher:
    """The domain's `PasswordHasher`."""

    def hash(self, password: str) -> str:
        return _argon2.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; an unknown user costs as much time as a wrong password."""
        try:
            return _argon2.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False


password_hasher = Argon2idHasher()
