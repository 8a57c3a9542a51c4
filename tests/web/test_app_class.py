"""web.App: Flask, with what `ensure_sync` makes of each hook and view kept, since Flask asks it
of every one at every request."""
import flask.app


def test_a_second_request_asks_of_no_function_whether_it_is_a_coroutine(client, make_user, monkeypatch):
    token = make_user("sam", "staff")

    def me():
        return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})

    assert me().status_code == 200  # each hook and the view asked once
    asked, real = [], flask.app.iscoroutinefunction
    monkeypatch.setattr(flask.app, "iscoroutinefunction", lambda func: asked.append(func) or real(func))
    assert me().json["name"] == "sam"
    assert asked == []


def test_a_callable_that_cannot_be_kept_is_made_sync_as_flask_makes_it(app):
    class Unhashable:
        __hash__ = None

        def __call__(self):
            return "called"

    made = Unhashable()
    assert app.ensure_sync(made) is made
    assert app.ensure_sync(made)() == "called"
