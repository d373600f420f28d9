"""API tokens: random, shown once, stored only as a SHA-256 hash."""

import hashlib
import secrets


def new_token() -> str:
    return "al_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough (no password stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()
