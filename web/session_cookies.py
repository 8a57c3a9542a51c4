"""Session cookies this process has verified, so that the same cookie coming again is not verified again.

Flask opens the session at every request: itsdangerous checks the cookie's HMAC and age, then
decodes its base64, zlib and tagged JSON (some 27 µs of a page's CPU, a fifth of its
instructions). A cookie is kept only once it verified, with the moment it was signed, by the
serializer of the app's present keys: a new key or fallback makes a new serializer, and with it
a new set of kept cookies. Each time a kept cookie comes again its age is checked as itsdangerous
checks it, so an expired one is refused as before. Signing out ends the session on the server
(services.sign_in_service), which a kept cookie does not change. Each request gets its own copy of
what the cookie holds. Bounded: the cookies seen longest ago are forgotten first.
"""
import threading
import time

from workflow.documents import copy_of


class VerifiedCookies:
    MOST = 4096

    def __init__(self, serializer):
        self.serializer = serializer  # an itsdangerous URLSafeTimedSerializer
        self._lock = threading.Lock()  # several request threads may open sessions at once
        self._kept = {}  # cookie -> (what it holds, when it was signed in whole seconds since the epoch)

    def loads(self, cookie, max_age):
        """What `cookie` holds, as serializer.loads(cookie, max_age=max_age) answers; it raises as that does."""
        kept = self._kept.get(cookie)
        if kept is not None and 0 <= int(time.time()) - kept[1] <= max_age:
            return copy_of(kept[0])
        data, signed = self.serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        with self._lock:
            self._kept.pop(cookie, None)  # to the end: the most recently seen
            self._kept[cookie] = (copy_of(data), int(signed.timestamp()))
            while len(self._kept) > self.MOST:
                del self._kept[next(iter(self._kept))]
        return data
