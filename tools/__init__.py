"""Developer tools that drive the assistant from outside (evaluation). They import `bot`; nothing in
`bot/` or `actions/` imports them."""
