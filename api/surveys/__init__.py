"""Survey work outside the chat: XLSForm import, results, exports and the demo survey."""
