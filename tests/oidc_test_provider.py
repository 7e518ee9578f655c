"""A minimal OpenID Connect provider on 127.0.0.1, for tests of the app's login (``st.login``).

It speaks the authorization-code flow as a real provider does, so Streamlit's
own OIDC client (Authlib) runs unchanged against it:

- ``/.well-known/openid-configuration``: the discovery document;
- ``/authorize``: no login form; it redirects straight back to the registered
  ``redirect_uri`` with a one-time code for the user the test chose
  (:attr:`OIDCTestProvider.next_user`), echoing ``state``;
- ``/token``: checks the client's id and secret (HTTP Basic or form), the code,
  the redirect URI and the PKCE verifier (S256), and returns an ID token signed
  with RS256 by a key made when the provider starts, carrying the ``nonce``;
- ``/jwks``: that key's public half; ``/userinfo``: the user's claims for a bearer token.

Test code only: it keeps everything in memory and trusts whoever calls ``/authorize``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KID = "footprint-test-key"


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515, section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_bytes(n: int) -> bytes:
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


@dataclass
class _Grant:
    user: str
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None


@dataclass
class OIDCTestProvider:
    """An OpenID Connect provider for tests; use as a context manager.

    Parameters
    ----------
    users : dict
        User key → claims (at least ``sub``; ``email`` and ``name`` are shown by the app).
    client_id, client_secret, redirect_uri : str
        The one registered client.
    """

    users: dict[str, dict[str, str]]
    client_id: str
    client_secret: str
    redirect_uri: str
    next_user: str | None = None  #: who /authorize logs in next
    #: the users an ID token was issued to, in order
    issued: list[str] = field(default_factory=list)
    _grants: dict[str, _Grant] = field(default_factory=dict)
    _access: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle -----------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def __enter__(self) -> OIDCTestProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # --- protocol ------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        i = self.issuer
        return {
            "issuer": i,
            "authorization_endpoint": f"{i}/authorize",
            "token_endpoint": f"{i}/token",
            "jwks_uri": f"{i}/jwks",
            "userinfo_endpoint": f"{i}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
            ],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "iss",
                "sub",
                "aud",
                "exp",
                "iat",
                "nonce",
                "email",
                "name",
            ],
        }

    def jwks(self) -> dict[str, Any]:
        pub = self._key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": KID,
                    "n": b64url(_int_bytes(pub.n)),
                    "e": b64url(_int_bytes(pub.e)),
                }
            ]
        }

    def sign(self, claims: dict[str, Any]) -> str:
        """A compact JWS (RS256) of ``claims``."""
        header = {"alg": "RS256", "typ": "JWT", "kid": KID}
        signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
        sig = self._key.sign(
            signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        return f"{signing_input}.{b64url(sig)}"

    def authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """(status, Location or error) for an authorization request."""
        if query.get("client_id") != self.client_id:
            return 400, "unknown client_id"
        if query.get("redirect_uri") != self.redirect_uri:
            return 400, f"redirect_uri {query.get('redirect_uri')!r} is not registered"
        if query.get("response_type") != "code" or "openid" not in query.get(
            "scope", ""
        ):
            return 400, "only response_type=code with scope openid"
        if self.next_user not in self.users:
            return 400, "the test chose no user"
        if query.get("code_challenge") and query.get("code_challenge_method") != "S256":
            return 400, "only S256 PKCE"
        code = secrets.token_urlsafe(16)
        self._grants[code] = _Grant(
            self.next_user,
            self.client_id,
            self.redirect_uri,
            query.get("nonce"),
            query.get("code_challenge"),
        )
        back = {"code": code}
        if "state" in query:
            back["state"] = query["state"]
        return 302, f"{self.redirect_uri}?{urlencode(back)}"

    def token(
        self, form: dict[str, str], authorization: str | None
    ) -> tuple[int, dict[str, Any]]:
        """(status, JSON body) for a token request."""
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            raw = base64.b64decode(authorization[6:]).decode()
            client_id, client_secret = (unquote(x) for x in raw.partition(":")[::2])
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}
        grant = self._grants.pop(form.get("code", ""), None)  # one use only
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant.redirect_uri != form.get("redirect_uri")
        ):
            return 400, {"error": "invalid_grant"}
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            if (
                b64url(hashlib.sha256(verifier.encode()).digest())
                != grant.code_challenge
            ):
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            **self.users[grant.user],
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        access = secrets.token_urlsafe(16)
        self._access[access] = grant.user
        self.issued.append(grant.user)
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 600,
            "scope": "openid profile email",
            "id_token": self.sign(claims),
        }

    def userinfo(self, authorization: str | None) -> tuple[int, dict[str, Any]]:
        user = self._access.get((authorization or "").removeprefix("Bearer "))
        if user is None:
            return 401, {"error": "invalid_token"}
        return 200, dict(self.users[user])


def _handler(provider: OIDCTestProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlparse(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.metadata())
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/userinfo":
                self._json(*provider.userinfo(self.headers.get("Authorization")))
            elif url.path == "/authorize":
                status, where = provider.authorize(query)
                if status == 302:
                    self.send_response(302)
                    self.send_header("Location", where)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._json(
                        status, {"error": "invalid_request", "error_description": where}
                    )
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            if urlparse(self.path).path != "/token":
                self._json(404, {"error": "not found"})
                return
            body = self.rfile.read(
                int(self.headers.get("Content-Length") or 0)
            ).decode()
            form = {k: v[-1] for k, v in parse_qs(body).items()}
            self._json(*provider.token(form, self.headers.get("Authorization")))

    return Handler
