"""SQL implementations of the ports the conversations use (conversations/ports.py)."""
