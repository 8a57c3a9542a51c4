"""A real OpenID Connect provider for tests: oidc-provider-mock, served on a free port in a thread
and stopped afterwards. `MockProvider.forging` makes its token endpoint hand out ID tokens signed
with a key of the attacker's (same key id, another key; "HS256": with a shared secret the attacker
chose; "unknown key": a key id the provider never published): a forged answer at the network boundary."""
import base64
import json
import threading
from urllib.parse import quote

import httpx
import oidc_provider_mock
from authlib.jose import JsonWebKey, jwt
from werkzeug.serving import make_server


class MockProvider:
    def __init__(self):
        self.forging = False
        self.app = oidc_provider_mock.app()
        self.app.wsgi_app = self._forger(self.app.wsgi_app)
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://localhost:{self.server.server_port}"
        self.attacker_key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def user(self, sub, **claims):
        """Tell the provider who `sub` is: the claims its ID tokens carry."""
        answer = httpx.put(f"{self.issuer}/users/{quote(sub, safe='')}", json=claims)
        assert answer.status_code == 204, answer.text

    def registered(self, redirect_uri):
        """(client id, secret) of a client registered with the provider, which checks its secret."""
        answer = httpx.post(f"{self.issuer}/oauth2/clients", json={"redirect_uris": [redirect_uri]})
        assert answer.status_code == 201, answer.text
        return answer.json()["client_id"], answer.json()["client_secret"]

    def _forger(self, wsgi_app):
        def app(environ, start_response):
            if not (self.forging and environ["PATH_INFO"].endswith("/token")):
                return wsgi_app(environ, start_response)
            held = {}
            body = b"".join(wsgi_app(environ, lambda status, headers, *_: held.update(status=status,
                                                                                       headers=headers)))
            tokens = json.loads(body)
            tokens["id_token"] = self._resigned(tokens["id_token"])
            body = json.dumps(tokens).encode()
            headers = [(k, v) for k, v in held["headers"] if k.lower() != "content-length"]
            start_response(held["status"], [*headers, ("Content-Length", str(len(body)))])
            return [body]
        return app

    def _resigned(self, id_token):
        """The same header and claims, signed with the attacker's key."""
        head, payload, _ = id_token.split(".")
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if self.forging == "unknown key":
            return jwt.encode({**header, "kid": "unknown"}, claims, self.attacker_key).decode()
        if self.forging == "HS256":
            return jwt.encode({**header, "alg": "HS256"}, claims, "a secret the attacker chose").decode()
        return jwt.encode(header, claims, self.attacker_key).decode()


def started():
    provider = MockProvider()
    provider.thread.start()
    return provider


def stopped(provider):
    provider.server.shutdown()
    provider.thread.join()
