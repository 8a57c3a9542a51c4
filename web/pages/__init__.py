"""The pages: each view parses a request, calls one service function, renders."""
