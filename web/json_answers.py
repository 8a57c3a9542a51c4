"""The app's JSON answers: Flask's own provider, the encoder of its compact answers made once.

Flask's `jsonify` encodes through json.dumps with the provider's options, and json.dumps given
options builds a json.JSONEncoder for every answer. Made once here with the same options, so the
bytes are the same: keys sorted, non-ASCII escaped, no spaces, Flask's `default` for dates and the
like. In debug mode (or with `compact` off) Flask asks for indented JSON: that is left to Flask.
"""
import json

from flask.json.provider import DefaultJSONProvider

COMPACT = (",", ":")  # the separators Flask's `response` asks `dumps` for, outside debug mode


class JSONAnswers(DefaultJSONProvider):

    def __init__(self, app):
        super().__init__(app)
        self._compact = json.JSONEncoder(default=self.default, ensure_ascii=self.ensure_ascii,
                                         sort_keys=self.sort_keys, separators=COMPACT)

    def dumps(self, obj, **kwargs):
        if kwargs == {"separators": COMPACT}:
            return self._compact.encode(obj)
        return super().dumps(obj, **kwargs)
