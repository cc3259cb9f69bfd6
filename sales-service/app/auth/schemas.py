"""Dev-token request and response."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.permissions import Permission, Role


class DevTokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    scopes: list[Permission] = Field(
        default_factory=list, description="Extra permissions; the only ones a `service` gets"
    )


class DevTokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires")
    sub: str = Field(examples=["demo-finance"])
    roles: list[Role]
    permissions: list[Permission]
