"""Demo tokens for local runs, signed with the HS256 secret."""

from app.auth.schemas import DevTokenRequest, DevTokenResponse
from app.core.permissions import permissions_for
from app.core.settings import Settings
from app.core.tokens import DEMO_TOKEN_TTL, issue_token


def issue_demo_token(settings: Settings, request: DevTokenRequest) -> DevTokenResponse:
    subject = f"demo-{request.role.value}"
    scopes = [scope.value for scope in request.scopes]
    token = issue_token(settings, subject=subject, roles=[request.role], scopes=scopes)
    return DevTokenResponse(
        access_token=token,
        expires_in=int(DEMO_TOKEN_TTL.total_seconds()),
        sub=subject,
        roles=[request.role],
        permissions=sorted(permissions_for([request.role], scopes)),
    )
