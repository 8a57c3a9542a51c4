"""The app's JSON answers (web/json_answers.py): orjson's where it writes the value given,
Flask's own bytes, from an encoder made once, for everything else."""
import dataclasses
import datetime as dt
import decimal
import enum
import json
import math
import uuid
from collections import OrderedDict

import pytest
from flask import jsonify
from flask.json.provider import DefaultJSONProvider

# A date: encoded as before, by Flask's `default` (orjson would write its own format).
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


def _both(app, value):
    """The answer's body, and Flask's own provider's for the same value."""
    with app.test_request_context():
        return jsonify(value).get_data(), DefaultJSONProvider(app).response(value).get_data()


def test_a_plain_ascii_answer_is_flasks_bytes(app):
    value = {"title": "EqIA 1: Estates", "items": [{"id": "12", "version": 3, "n": -7, "ok": True, "no": False,
                                                 "gone": None, "share": 0.25, "big": 2 ** 63 - 1}], "total": 1}
    ours, flasks = _both(app, value)
    assert ours == flasks


def test_text_beyond_ascii_is_sent_as_utf8_the_same_value(app):
    value = {"title": "Café “policy” — 平等", "line": "a\u2028b\u2029c", "nul": "a\x00b"}
    ours, flasks = _both(app, value)
    assert "Café “policy” — 平等".encode() in ours and b"\\u201c" not in ours
    assert json.loads(ours) == json.loads(flasks) == value


class Colour(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Shade(str, enum.Enum):
    DARK = "dark"


class Name(str):
    pass


class Keys(dict):
    pass


@dataclasses.dataclass
class Point:
    x: int


def _nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


# What orjson refuses or writes otherwise than json: each answered as before, byte for byte.
AS_BEFORE = {
    "nan": float("nan"), "infinity": float("inf"), "minus infinity": -math.inf,
    "past 64 bits": 2 ** 64, "below 64 bits": -2 ** 63 - 1, "thirty digits": 10 ** 30,
    "int keys": {1: "a", 2: "b"}, "a str subclass": Name("x"),
    "a dict subclass": Keys(b=1, a=2), "an ordered dict": OrderedDict(b=1, a=2), "a tuple": ("a", 1),
    "a date": dt.date(2008, 3, 31), "a datetime": dt.datetime(2008, 3, 31, 12, 5, tzinfo=dt.UTC),
    "a uuid": uuid.UUID(int=7), "a decimal": decimal.Decimal("1.10"), "a dataclass": Point(1),
    "a lone surrogate": "a\ud800b", "300 deep": _nested(300),
}


@pytest.mark.parametrize("value", AS_BEFORE.values(), ids=AS_BEFORE.keys())
def test_what_orjson_would_write_otherwise_is_answered_as_before(app, value):
    ours, flasks = _both(app, {"title": "Café", "value": value, "gone": None})
    assert ours == flasks


# What orjson writes as json would, but for bytes: the same value.
SAME_VALUE = {"an int enum": Level.HIGH, "exponents": [1e16, 1e-7, -1.5e300, 5e-324], "a str enum": Shade.DARK}


@pytest.mark.parametrize("value", SAME_VALUE.values(), ids=SAME_VALUE.keys())
def test_what_orjson_writes_as_json_would_is_the_same_value(app, value):
    ours, flasks = _both(app, {"value": value})
    assert json.loads(ours) == json.loads(flasks) == json.loads(json.dumps({"value": value}))


def test_what_json_refuses_is_refused_as_before(app):
    with app.test_request_context(), pytest.raises(TypeError):
        jsonify({"colour": Colour.RED})  # orjson would write "red"
