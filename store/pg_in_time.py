"""A PostgreSQL commit sent whole, COMMIT included, that the server refuses once its client gave up.

A commit that waited for its statements' answers before sending COMMIT took two round
trips. Sent as one pipeline, a commit the client gave up on (the server frozen past the
watchdog's bound, then resuming) would be committed when the server comes to it, after
the client said it failed. So the pipeline's last statement, before its end commits, is
store_in_time(deadline): the server refuses the transaction, and nothing is written,
once its own clock is past the moment the client gives up.

That moment is on the client's clock; the server's runs at an offset. ServerClock keeps an
estimate of it that can only err low — the server's clock_timestamp() read during an
exchange, less the client's time once the answer came — so the deadline given is never
later than the client's giving up. A clock stepped since the estimate is what it cannot
see: the estimate is used only while fresh, and a commit without one waits for its
statements' answers before sending COMMIT, and measures again.
"""
from __future__ import annotations

import time

LATE = "SC408"
IN_TIME = f"""
CREATE OR REPLACE FUNCTION store_in_time(deadline double precision) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF extract(epoch FROM clock_timestamp()) > deadline THEN
        RAISE EXCEPTION 'the commit came to the server after its client gave up on it' USING ERRCODE = '{LATE}';
    END IF;
END $$;
"""
FRESH = 30.0  # seconds an estimate of the offset is used for


class ServerClock:
    """The estimate of the server's clock's offset from this host's (see the module docstring)."""

    def __init__(self):
        self._estimate = None  # (offset, time.monotonic() when measured)

    def deadline(self, limit: float) -> float | None:
        """The server's time (seconds since the epoch) by which a commit sent now, whose
        client gives up after `limit` seconds, must reach COMMIT; None without a fresh estimate.
        Taken before the client's wait starts, so that it is not later than the giving up."""
        estimate = self._estimate
        if estimate is None or time.monotonic() - estimate[1] > FRESH:
            return None
        return time.time() + limit + estimate[0]

    def forget(self) -> None:
        """The server refused a commit as late that its client still waited for: the estimate
        is wrong (a clock stepped). The next commit waits for its answers, and measures again."""
        self._estimate = None

    def measured(self, server_time: float) -> None:
        """`server_time`: the server's clock_timestamp() read during an exchange just answered."""
        self._estimate = (server_time - time.time(), time.monotonic())
