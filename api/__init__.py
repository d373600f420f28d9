"""The ejecutor-facing service: data, storage, the HTTP API and the command line."""
