"""Fakes in one place: in-memory ports (ports.py) and the Telegram Bot API at the HTTP seam (telegram.py)."""
