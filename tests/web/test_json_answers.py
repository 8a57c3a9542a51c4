"""The app's JSON answers: Flask's bytes, from an encoder made once (web/json_answers.py)."""
import datetime as dt
import json

from flask import jsonify
from flask.json.provider import DefaultJSONProvider

ANSWER = {"title": "Café “policy”", "at": dt.date(2008, 3, 31), "fields": {"z": [1, 2.5, None], "a": True}}


def _encoders_made(monkeypatch):
    made = []
    init = json.JSONEncoder.__init__

    def counted(self, *args, **kwargs):
        made.append(kwargs)
        init(self, *args, **kwargs)
    monkeypatch.setattr(json.JSONEncoder, "__init__", counted)
    return made


def test_an_answer_builds_no_encoder_and_is_flasks_own_bytes(app, monkeypatch):
    made = _encoders_made(monkeypatch)
    with app.test_request_context():
        body = jsonify(ANSWER).get_data()
    assert made == []
    with app.test_request_context():
        assert body == DefaultJSONProvider(app).response(ANSWER).get_data()
    assert body.endswith(b"}\n") and b"\\u201c" in body and b'"a":true' in body


def test_an_answer_makes_no_c_encoder_either(app, monkeypatch):
    """JSONEncoder.encode makes the C encoder anew for every value it encodes: made once instead."""
    made = []
    make = json.encoder.c_make_encoder

    def counted(*args):
        made.append(args)
        return make(*args)
    monkeypatch.setattr(json.encoder, "c_make_encoder", counted)
    with app.test_request_context():
        body = jsonify(ANSWER).get_data()
        assert body == DefaultJSONProvider(app).response(ANSWER).get_data()  # which makes one
    assert len(made) == 1


def test_indented_answers_are_left_to_flask(app):
    app.debug = True
    with app.test_request_context():
        body = jsonify(ANSWER).get_data()
        assert body == DefaultJSONProvider(app).response(ANSWER).get_data()
    assert body.startswith(b'{\n  "at": "Mon, 31 Mar 2008 00:00:00 GMT",\n')
