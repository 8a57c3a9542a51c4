"""The application layer: each use case loads from the store, decides through workflow/, commits."""
