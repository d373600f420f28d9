"""Joining a barrio (onboarding.py) and the vecino's own account (account.py)."""
