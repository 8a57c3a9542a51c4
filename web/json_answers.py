"""The app's JSON answers: Flask's own provider, the encoder of its compact answers made once.

Flask's `jsonify` encodes through json.dumps with the provider's options, and json.dumps given
options builds a json.JSONEncoder for every answer, whose `encode` builds the C encoder anew
(and a table of the containers it is inside, against circular values) each time. Here the C
encoder is made once with the same options, so the bytes are the same: keys sorted, non-ASCII
escaped, no spaces, Flask's `default` for dates and the like. It keeps no table of containers:
one kept between answers would hold the ones an encoding that failed was inside, and an answer
is built from stored records and the views' own dicts, never circular. In debug mode (or with
`compact` off) Flask asks for indented JSON: that is left to Flask.
"""
import json
from json.encoder import c_make_encoder, encode_basestring_ascii

from flask.json.provider import DefaultJSONProvider

COMPACT = (",", ":")  # the separators Flask's `response` asks `dumps` for, outside debug mode


class JSONAnswers(DefaultJSONProvider):

    def __init__(self, app):
        super().__init__(app)
        if c_make_encoder is not None and self.ensure_ascii:
            # The arguments JSONEncoder.iterencode gives it: no markers, `default`, the ASCII
            # escaper, no indent, the separators, sort_keys, skipkeys off, allow_nan on.
            encode = c_make_encoder(None, self.default, encode_basestring_ascii, None, COMPACT[1], COMPACT[0],
                                    self.sort_keys, False, True)
            self._compact = lambda obj: "".join(encode(obj, 0))
        else:  # another Python, or ASCII escaping turned off: the pure-Python encoder, made once
            self._compact = json.JSONEncoder(default=self.default, ensure_ascii=self.ensure_ascii,
                                             sort_keys=self.sort_keys, separators=COMPACT).encode

    def dumps(self, obj, **kwargs):
        if kwargs == {"separators": COMPACT}:
            return self._compact(obj)
        return super().dumps(obj, **kwargs)
