"""Channel adapters: Telegram (python-telegram-bot) and a console preview.

Adapters turn what arrives into `conversations.events.Event`s, hand them to
`api.chat.ChatService`, and render the replies. No business rules live here.
"""
