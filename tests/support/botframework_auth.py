"""A local stand-in for the Bot Framework token issuer: OpenID metadata, a JWKS, and tokens.

The bot validates inbound tokens against `{metadata_url}` → `jwks_uri` exactly as it would
against login.botframework.com. Tokens are RS256 JWTs minted here with a key generated per
test run, carrying the claims the Bot Framework channel puts in them (`iss`, `aud` = the bot's
app id, `serviceurl`, `nbf`, `exp`). `forged_token` signs with a key the JWKS does not hold.
"""

from __future__ import annotations

import base64
import functools
import time
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"
KEY_ID = "rag-or-ft-test-key"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@functools.cache
def _private_key(name: str) -> rsa.RSAPrivateKey:
    """Generated once per test session and name (generation costs ~0.1 s)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class TokenIssuerStandIn:
    def __init__(self) -> None:
        self._key = _private_key("issuer")
        self._other_key = _private_key("forger")
        self._server: TestServer | None = None
        self.metadata_requests = 0

    async def start(self) -> TokenIssuerStandIn:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        return self

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    @property
    def metadata_url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/v1/.well-known/openidconfiguration"))

    def token(
        self,
        *,
        audience: str,
        service_url: str,
        issuer: str = ISSUER,
        expires_in: int = 3600,
        signing_key: rsa.RSAPrivateKey | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "serviceurl": service_url,
            "nbf": now - 60,
            "exp": now + expires_in,
            "iss": issuer,
            "aud": audience,
        }
        key = signing_key or self._key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})

    def forged_token(self, *, audience: str, service_url: str) -> str:
        """Right claims and key id, wrong key: the signature cannot verify."""
        return self.token(audience=audience, service_url=service_url, signing_key=self._other_key)

    async def _metadata(self, request: web.Request) -> web.Response:
        self.metadata_requests += 1
        assert self._server is not None
        return web.json_response(
            {
                "issuer": ISSUER,
                "authorization_endpoint": "https://invalid.example/authorize",
                "jwks_uri": str(self._server.make_url("/v1/.well-known/keys")),
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        numbers = self._key.public_key().public_numbers()
        jwk = {
            "kty": "RSA",
            "use": "sig",
            "kid": KEY_ID,
            "n": _b64(numbers.n),
            "e": _b64(numbers.e),
            "endorsements": ["msteams", "emulator", "webchat"],
        }
        return web.json_response({"keys": [jwk]})
