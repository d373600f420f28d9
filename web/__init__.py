"""The staff web console: server-rendered pages over what api/ computes (api/ never imports this)."""
