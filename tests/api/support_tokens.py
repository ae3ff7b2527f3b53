"""Access tokens minted the way the server issues them (HS256 with the development secret),
for tests that need a user or an admin before the identity endpoints exist."""
import base64
import hashlib
import hmac
import json
import time
import uuid

DEV_SECRET = "evently-development-secret-change-me"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_token(role="user", sub=None, secret=DEV_SECRET, ttl=1800, typ="access"):
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"sub": sub or str(uuid.uuid4()), "role": role, "iat": now, "exp": now + ttl,
              "jti": str(uuid.uuid4()), "typ": typ}
    signing_input = ".".join(_b64url(json.dumps(part, separators=(",", ":")).encode())
                             for part in (header, claims))
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64url(signature)


def admin_token():
    return mint_token("admin")


def user_token():
    return mint_token("user")
