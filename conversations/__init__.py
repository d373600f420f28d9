"""The conversations a vecino has with the service, independent of any channel.

A flow step is a function of (state, event, context) -> outcome (new state, replies).
Nothing here imports Telegram, HTTP or a database driver: channels (bot/) turn their
input into events and render replies; storage (api/) implements the ports.
"""
