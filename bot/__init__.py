"""Channel adapters: Telegram (python-telegram-bot) and a console preview.

Adapters turn what arrives into `conversations.kernel.events.Event`s, hand them to
`api.chat.service.ChatService`, and render the replies. No business rules live here.
"""
