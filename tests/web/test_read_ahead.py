"""The look at the store sent as a request arrives (web/hooks.py, store.Store.read_ahead): for a
request that reads the store, never for a static file, which reads nothing of it."""


def _counted(store, monkeypatch):
    calls = []
    for name in ("read_ahead", "read_done"):
        real = getattr(store, name)
        monkeypatch.setattr(store, name, lambda real=real, name=name: calls.append(name) or real())
    return calls


def test_a_static_file_sends_no_look_at_the_store(client, store, monkeypatch):
    calls = _counted(store, monkeypatch)
    answer = client.get("/static/style.css")
    assert answer.status_code == 200 and answer.data
    answer.close()
    assert calls == []


def test_a_request_that_reads_the_store_sends_the_look_as_it_arrives(client, store, make_user, monkeypatch):
    token = make_user("sam", "staff")
    calls = _counted(store, monkeypatch)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert calls == ["read_ahead", "read_done"]
