"""Channels: how applicants reach the assistant (Telegram, WhatsApp, the website widget).

Every channel speaks to Rasa only (the REST contract or Rasa's InputChannel API) and knows
nothing of the knowledge base. Platform JSON <-> Rasa messages is pure code in each channel.
"""
