"""store/pg_pipeline.next_result: libpq's results taken as they come, the socket read only when needed."""
from store.pg_pipeline import next_result


class _Held:
    """A libpq connection that already holds a whole answer: one result, then its end."""

    def __init__(self):
        self.results = ["the result", None]
        self.reads = 0

    def is_busy(self):
        return False

    def consume_input(self):
        self.reads += 1

    def get_result(self):
        return self.results.pop(0)


def test_an_answer_already_held_is_taken_without_reading_the_socket():
    # Each read of the socket that finds nothing is a system call: a transition's commit
    # took some twenty of them for answers that had all come in one packet.
    pgconn = _Held()
    assert next_result(pgconn) == "the result"
    assert next_result(pgconn) is None
    assert pgconn.reads == 0
