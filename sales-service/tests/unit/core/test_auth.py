import json
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from app.core.auth import TokenVerifier, principal_from_claims
from app.core.errors import Unauthorized
from app.core.permissions import Permission, Role, permissions_for
from tests.support import TEST_JWT_SECRET, make_settings, make_token, unsigned_token


@pytest.fixture
def verifier() -> TokenVerifier:
    return TokenVerifier(make_settings())


class TestPermissions:
    def test_sales(self) -> None:
        assert permissions_for([Role.SALES], []) == {
            Permission.ORDERS_READ,
            Permission.ORDERS_WRITE,
            Permission.PAYMENTS_READ,
            Permission.PAYMENTS_WRITE,
            Permission.PAYMENTS_CAPTURE,
        }

    def test_finance_refunds_and_takes_payments_but_cannot_write_orders(self) -> None:
        granted = permissions_for([Role.FINANCE], [])
        assert {
            Permission.REFUNDS_WRITE,
            Permission.REPORTS_READ,
            Permission.ORDERS_READ,
            Permission.PAYMENTS_WRITE,
        } <= granted
        assert Permission.ORDERS_WRITE not in granted

    def test_admin_has_everything(self) -> None:
        assert permissions_for([Role.ADMIN], []) == set(Permission)

    def test_service_gets_only_its_known_scopes(self) -> None:
        assert permissions_for([Role.SERVICE], ["orders:write", "launch:rockets"]) == {
            Permission.ORDERS_WRITE
        }
        assert permissions_for([Role.SERVICE], []) == set()


class TestClaims:
    def test_roles_and_scope_combine(self) -> None:
        principal = principal_from_claims(
            {
                "sub": "svc-billing",
                "roles": ["service", "unknown"],
                "scope": "orders:read refunds:write",
            }
        )
        assert principal.subject == "svc-billing"
        assert principal.roles == {Role.SERVICE}
        assert principal.permissions == {Permission.ORDERS_READ, Permission.REFUNDS_WRITE}

    @pytest.mark.parametrize(
        "claims",
        [
            {"roles": ["admin"]},
            {"sub": "", "roles": []},
            {"sub": "u", "roles": "admin"},
            {"sub": "u", "scope": ["a"]},
        ],
    )
    def test_malformed_claims_are_unauthorized(self, claims: dict[str, object]) -> None:
        with pytest.raises(Unauthorized):
            principal_from_claims(claims)


class TestHs256Verification:
    async def test_valid_token(self, verifier: TokenVerifier) -> None:
        principal = await verifier.verify(make_token(sub="alice", roles=["finance"]))
        assert principal.subject == "alice"
        assert Permission.REFUNDS_WRITE in principal.permissions

    async def test_expired_token(self, verifier: TokenVerifier) -> None:
        token = make_token(roles=["admin"], expires_in=timedelta(minutes=-5))
        with pytest.raises(Unauthorized, match="expired") as caught:
            await verifier.verify(token)
        assert caught.value.headers == {"WWW-Authenticate": 'Bearer error="invalid_token"'}

    async def test_token_within_clock_skew_is_accepted(self, verifier: TokenVerifier) -> None:
        assert await verifier.verify(make_token(roles=["sales"], expires_in=timedelta(seconds=-5)))

    @pytest.mark.parametrize(
        "make",
        [
            pytest.param(
                lambda: unsigned_token({"sub": "x", "roles": ["admin"], "exp": 9999999999}),
                id="alg-none",
            ),
            pytest.param(
                lambda: make_token(roles=["admin"], key="another-secret-of-thirty-two-chars!!"),
                id="wrong-key",
            ),
            pytest.param(lambda: "not.a.jwt", id="malformed"),
            pytest.param(lambda: "", id="empty"),
            pytest.param(
                lambda: make_token(roles=["admin"], key=TEST_JWT_SECRET * 2, algorithm="HS512"),
                id="other-algorithm",
            ),
            pytest.param(lambda: make_token(sub=None, roles=["admin"]), id="no-subject"),
            pytest.param(
                lambda: make_token(roles=["admin"], extra={"aud": "someone-else"}),
                id="unexpected-audience",
            ),
        ],
    )
    async def test_bad_tokens_are_unauthorized(
        self, verifier: TokenVerifier, make: Callable[[], str]
    ) -> None:
        with pytest.raises(Unauthorized, match="invalid"):
            await verifier.verify(make())

    async def test_token_without_exp_is_refused(self, verifier: TokenVerifier) -> None:
        token = jwt.encode({"sub": "x", "roles": ["admin"]}, TEST_JWT_SECRET, algorithm="HS256")
        with pytest.raises(Unauthorized):
            await verifier.verify(token)

    async def test_issuer_and_audience_are_checked_when_configured(self) -> None:
        verifier = TokenVerifier(make_settings(jwt_issuer="https://idp", jwt_audience="sales"))
        good = make_token(roles=["sales"], extra={"iss": "https://idp", "aud": "sales"})
        assert (await verifier.verify(good)).subject == "user-1"
        for bad in ({"iss": "https://evil", "aud": "sales"}, {"iss": "https://idp"}):
            with pytest.raises(Unauthorized):
                await verifier.verify(make_token(roles=["sales"], extra=bad))


class TestRs256Verification:
    async def test_pem_public_key(
        self, rsa_private_key: rsa.RSAPrivateKey, rsa_public_pem: str
    ) -> None:
        verifier = TokenVerifier(
            make_settings(
                jwt_algorithm="RS256",
                jwt_secret=None,
                jwt_public_key=rsa_public_pem,
                auth_dev_login=False,
            )
        )
        token = make_token(roles=["finance"], key=rsa_private_key, algorithm="RS256")
        assert Permission.REFUNDS_WRITE in (await verifier.verify(token)).permissions
        # An HS256 token signed with the public key text must not pass (key confusion).
        forged = make_token(roles=["admin"], key="x" * 40)
        with pytest.raises(Unauthorized):
            await verifier.verify(forged)

    async def test_jwks_url(self, rsa_private_key: rsa.RSAPrivateKey, jwks_url: str) -> None:
        verifier = TokenVerifier(
            make_settings(
                jwt_algorithm="RS256", jwt_secret=None, jwt_jwks_url=jwks_url, auth_dev_login=False
            )
        )
        token = make_token(
            roles=["sales"], key=rsa_private_key, algorithm="RS256", headers={"kid": "k1"}
        )
        assert (await verifier.verify(token)).roles == {Role.SALES}
        unknown_kid = make_token(
            roles=["sales"], key=rsa_private_key, algorithm="RS256", headers={"kid": "k9"}
        )
        with pytest.raises(Unauthorized):
            await verifier.verify(unknown_kid)


@pytest.fixture
def jwks_url(rsa_private_key: rsa.RSAPrivateKey) -> Iterator[str]:
    """A real local HTTP server publishing the test key as a JWKS."""
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_private_key.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jwks.json"
    server.shutdown()
    server.server_close()
