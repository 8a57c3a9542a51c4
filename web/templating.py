"""The Jinja environment the pages are rendered in: Flask's, with a quicker `doc.title`.

Jinja reads `doc.title` as an attribute first and as an item only when that
fails, so on the plain dicts our documents are, every such lookup raises and
catches an AttributeError before it finds the key; a page does it hundreds of
times. A plain dict has no attributes but dict's own, so for any other name the
item lookup alone gives exactly what Jinja would.
https://jinja.palletsprojects.com/en/stable/templates/#variables
"""
from flask.templating import Environment

_DICT_ATTRIBUTES = frozenset(dir(dict))


class PageEnvironment(Environment):
    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)
