"""Sign-in throttling: per account name and per client address, kept in the store, never for good."""
import datetime as dt
import threading

import pytest

from services import account_service, throttle_service
from store import Conflict
from tests.conftest import PASSWORD
from tests.web.browsing import without_tokens
from web import create_app

WRONG = "not the password"
HOME = "10.0.0.1"


class Clock:
    """The time throttling sees; tests move it on instead of sleeping."""

    def __init__(self):
        self.at = dt.datetime(2025, 3, 5, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.at

    def advance(self, **delta):
        self.at += dt.timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app_config(clock):
    return {"WTF_CSRF_ENABLED": False, "SIGN_IN_CLOCK": clock}


@pytest.fixture
def people(make_user):
    make_user("kim", "staff", teams=["CLAMS"])
    make_user("lee", "staff", teams=["CLAMS"])


def attempt(client, name, password=PASSWORD, address=HOME, forwarded=None):
    """One sign-in from `address`, claiming in X-Forwarded-For to come from `forwarded`."""
    return client.post("/sign-in", data={"name": name, "password": password}, environ_base={"REMOTE_ADDR": address},
                       headers={"X-Forwarded-For": forwarded} if forwarded else {})


def fail(client, name, times, address=HOME):
    for _ in range(times):
        assert attempt(client, name, WRONG, address).status_code == 401


def signed_in(client):
    return client.get("/account").status_code == 200


def test_five_wrong_passwords_refuse_the_sixth_even_when_right(client, people):
    fail(client, "kim", 5)
    response = attempt(client, "kim")
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"
    assert "Too many wrong passwords" in response.text and "Try again in 1 minute." in response.text
    assert not signed_in(client)


def test_after_the_back_off_the_right_password_works_and_clears_the_count(client, clock, people):
    fail(client, "kim", 5)
    clock.advance(seconds=59)
    assert attempt(client, "kim").status_code == 429
    clock.advance(seconds=2)
    assert attempt(client, "kim").status_code == 302 and signed_in(client)
    client.post("/sign-out")
    fail(client, "kim", 4)  # the success forgot the earlier failures: four more are allowed
    assert attempt(client, "kim").status_code == 302


def test_the_back_off_doubles_up_to_fifteen_minutes(client, clock, people):
    for seconds in (60, 120, 240, 480, 900, 900):
        fail(client, "kim", 5)
        assert attempt(client, "kim").headers["Retry-After"] == str(seconds)
        clock.advance(seconds=seconds)
    assert attempt(client, "kim").status_code == 302


def test_after_a_quiet_day_the_back_off_starts_again_at_one_minute(client, clock, people):
    for _ in range(3):
        fail(client, "kim", 5)
        clock.advance(minutes=15)
    clock.advance(days=1)
    fail(client, "kim", 5)
    assert attempt(client, "kim").headers["Retry-After"] == "60"


def test_failures_older_than_the_window_no_longer_count(client, clock, people):
    fail(client, "kim", 4)
    clock.advance(minutes=16)
    fail(client, "kim", 4)
    assert attempt(client, "kim").status_code == 302


def test_a_refused_attempt_neither_checks_the_password_nor_answers_faster(client, people, monkeypatch):
    fail(client, "kim", 5)
    checked, spent = [], []
    monkeypatch.setattr(account_service, "check_password", lambda *args: checked.append(args))
    monkeypatch.setattr(account_service, "spend_check_time", spent.append)
    assert attempt(client, "kim").status_code == 429
    assert checked == [] and spent == [PASSWORD]


def test_unknown_names_are_throttled_alike_so_nothing_tells_which_accounts_exist(client, people):
    fail(client, "kim", 5)
    fail(client, "nobody", 5)
    known, unknown = attempt(client, "kim"), attempt(client, "nobody")
    assert known.status_code == unknown.status_code == 429
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"]
    assert without_tokens(known.text) == without_tokens(unknown.text).replace('value="nobody"', 'value="kim"')


def test_names_differing_only_in_case_share_one_count(client, people):
    fail(client, "kim", 3)
    fail(client, "KIM", 2)
    assert attempt(client, "kim").status_code == 429


def test_another_account_from_the_same_address_is_not_locked_out(client, people):
    fail(client, "kim", 5)
    assert attempt(client, "lee").status_code == 302


def test_many_names_from_one_address_hit_the_address_limit(app, people):
    attacker, colleague = app.test_client(), app.test_client()
    for n in range(throttle_service.ADDRESS.failures):
        assert attempt(attacker, f"guess{n % 10}", WRONG, "10.0.0.9").status_code == 401
    assert attempt(attacker, "kim", address="10.0.0.9").status_code == 429
    assert attempt(colleague, "kim", address="10.0.0.10").status_code == 302


def test_the_account_limit_holds_whatever_the_address(client, people):
    for n in range(5):
        fail(client, "kim", 1, address=f"10.0.1.{n}")
    assert attempt(client, "kim", address="10.0.2.1").status_code == 429


def test_processes_sharing_a_store_share_the_counts(app, tmp_path, clock, people):
    other = create_app({"STORE": str(tmp_path / "data"), "TESTING": True, "SECRET_KEY": "test",
                        "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False, "SIGN_IN_CLOCK": clock})
    try:
        fail(app.test_client(), "kim", 3)
        fail(other.test_client(), "kim", 2)
        assert attempt(app.test_client(), "kim").status_code == 429
    finally:
        other.extensions["store"].close()


def test_a_count_changed_by_another_process_meanwhile_is_read_again(store, clock):
    class Racing:
        """Loses the first commit to another process, as a busy store would."""

        def __init__(self, store):
            self.store, self.lost = store, False

        def __getattr__(self, name):
            return getattr(self.store, name)

        def commit(self, ops):
            if not self.lost:
                self.lost = True
                self.store.commit([throttle_service.Put(op.collection, op.key, op.record, op.expected_version) for op in ops])
                raise Conflict(ops[0].collection, ops[0].key, ops[0].expected_version, 1)
            return self.store.commit(ops)

    throttle_service.attempt(Racing(store), "kim", HOME, clock())
    records = store.scan(throttle_service.THROTTLE)
    assert sorted(record["failures"] for record in records) == [2, 2]  # the other's failure and this one


def test_the_store_keeps_no_typed_name_or_address(client, store, people):
    attempt(client, "correct horse battery staple", WRONG)
    stored = repr(store.scan(throttle_service.THROTTLE))
    assert "horse" not in stored and HOME not in stored


def test_guessing_the_current_password_of_a_signed_in_session_is_throttled_too(client, people):
    assert attempt(client, "kim").status_code == 302
    for _ in range(5):
        response = client.post("/account/password", data={"current_password": WRONG, "new_password": "a new password",
                                                          "confirm_password": "a new password"},
                               environ_base={"REMOTE_ADDR": HOME})
        assert response.status_code == 422
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "a new password",
                                                      "confirm_password": "a new password"})
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"
    assert "Try again in 1 minute." in response.text


def test_x_forwarded_for_is_believed_only_behind_a_configured_proxy(app, clock, people):
    for n in range(throttle_service.ADDRESS.failures):  # one client posing as twenty addresses
        attempt(app.test_client(), f"guess{n % 10}", WRONG, forwarded=f"10.9.0.{n}")
    assert attempt(app.test_client(), "kim").status_code == 429  # all counted against its real address


def test_behind_a_configured_proxy_the_forwarded_address_is_the_clients(tmp_path, clock):
    app = create_app({"STORE": str(tmp_path / "proxied"), "TESTING": True, "SECRET_KEY": "test",
                      "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False, "SIGN_IN_CLOCK": clock,
                      "PROXY_HOPS": 1})
    proxy = "10.0.0.254"  # every request arrives from the proxy
    try:
        account_service.add_user(app.extensions["store"], "kim", PASSWORD, ["staff"])
        for n in range(throttle_service.ADDRESS.failures):
            attempt(app.test_client(), f"guess{n % 10}", WRONG, proxy, forwarded="198.51.100.7")
        blocked = attempt(app.test_client(), "kim", address=proxy, forwarded="198.51.100.7")
        other = attempt(app.test_client(), "kim", address=proxy, forwarded="198.51.100.8")
        assert (blocked.status_code, other.status_code) == (429, 302)
    finally:
        app.extensions["store"].close()


def _in_flight_at_once(guesses, monkeypatch):
    """Run `guesses` (each returns a status) in parallel, every password check held until
    the whole burst has been let in or turned away: (names checked, statuses)."""
    checked, finished, release = [], [], threading.Event()
    arrived = threading.Condition()
    right = account_service.check_password

    def slow_check(*args):
        with arrived:
            checked.append(args[1])
            arrived.notify_all()
        release.wait(10)
        return right(*args)

    def run(guess):
        status = guess()
        with arrived:
            finished.append(status)
            arrived.notify_all()

    monkeypatch.setattr(account_service, "check_password", slow_check)
    burst = [threading.Thread(target=run, args=(guess,)) for guess in guesses]
    for thread in burst:
        thread.start()
    with arrived:
        arrived.wait_for(lambda: len(checked) + len(finished) == len(burst), timeout=10)
    release.set()
    for thread in burst:
        thread.join(10)
    return checked, sorted(finished)


def test_a_burst_of_parallel_guesses_checks_no_more_passwords_than_the_limit(app, people, monkeypatch):
    """Every guess of the burst is in flight at once: the count must be taken before the check."""
    checked, statuses = _in_flight_at_once(
        [lambda: attempt(app.test_client(), "kim", WRONG).status_code] * 12, monkeypatch)
    assert len(checked) == throttle_service.ACCOUNT.failures
    assert statuses == [401] * 5 + [429] * 7
    # The right passwords of others from the same address count nothing against it.
    monkeypatch.undo()
    for _ in range(throttle_service.ADDRESS.failures):
        client = app.test_client()
        assert attempt(client, "lee").status_code == 302
        client.post("/sign-out")
    assert attempt(app.test_client(), "lee").status_code == 302


def test_a_burst_of_guesses_at_the_current_password_checks_no_more_than_the_limit(app, people, monkeypatch):
    sessions = [app.test_client() for _ in range(12)]  # kim signed in twelve times
    for session in sessions:
        assert attempt(session, "kim").status_code == 302

    def guess(session):
        return lambda: session.post("/account/password", data={
            "current_password": WRONG, "new_password": "a new password", "confirm_password": "a new password"},
            environ_base={"REMOTE_ADDR": HOME}).status_code

    checked, statuses = _in_flight_at_once([guess(session) for session in sessions], monkeypatch)
    assert len(checked) == throttle_service.ACCOUNT.failures
    assert statuses == [422] * 5 + [429] * 7
