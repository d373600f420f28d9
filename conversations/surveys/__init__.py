"""Answering the barrio's surveys in the chat (flow.py), the form and its XLSForm expressions."""
