"""The domain: document kinds, the state machine, who may see and do what.

Nothing here imports Flask or a storage library: callers load documents,
ask this package what may happen, and persist what it returns.
"""
