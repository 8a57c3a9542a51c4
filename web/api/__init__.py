"""The JSON API under /api/v1: each view parses a request, calls one service function, serialises."""
