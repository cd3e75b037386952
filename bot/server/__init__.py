"""The HTTP server: one aiohttp application hosting health, metrics, Slack and Teams routes."""
