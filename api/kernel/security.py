"""API tokens: random, shown once, stored only as a SHA-256 hash; secrets compared in constant time."""

import hashlib
import hmac
import secrets


def new_token() -> str:
    return "al_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough (no password stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    """Compare a credential from a request with the configured one in constant time.

    Header values arrive as any text (latin-1 decoded); hmac.compare_digest refuses non-ASCII
    `str` with a TypeError, so both sides are compared as UTF-8 bytes: a wrong credential is
    just unequal, never a 500.
    """
    return hmac.compare_digest(given.encode(), expected.encode())
