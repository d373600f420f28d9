"""Voting on the barrio's iniciativas (flow.py) and how ballots are counted (rules.py)."""
