"""Password hashing with Argon2id (argon2-cffi, the reference implementation's maintained binding)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # the library's defaults follow RFC 9106's recommendations (about 0.15 s a hash here)

# Verified when the email matches nobody, so an unknown account costs as much time as a known one.
_DUMMY = _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
