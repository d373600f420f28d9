"""The grupo motor's convocatorias to assemblies, and vecinos' answers (flow.py)."""
