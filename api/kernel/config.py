"""All settings of the service, read once from the environment and an optional `.env`."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_ADMIN_TOKEN = 32  # characters: a short admin token could be guessed over the network


class Settings(BaseSettings):
    """Configuration; every field maps to the upper-case environment variable of its name."""

    # Each setting's docstring is its description (use_attribute_docstrings).
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", use_attribute_docstrings=True)

    database_url: str = "sqlite:///./accion_local.db"
    telegram_bot_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_bot_username: str = "AccionLocalBot"
    """Used for t.me deep links; replaced by the bot's own name when it starts."""
    webhook_url: str | None = None
    webhook_secret: str | None = None
    admin_token: str | None = Field(default=None, description=(  # a description that names MIN_ADMIN_TOKEN
        f"The bootstrap admin credential; at least {MIN_ADMIN_TOKEN} characters (`openssl rand -hex 24`)."))
    default_locale: str = "es"
    timezone: str = "America/Santiago"
    jobs_interval_seconds: float = 15.0
    outbox_rate: float = 28.5
    """Outbox messages per second for the whole bot, all processes together: 95% of Telegram's
    30/s, leaving headroom for replies to vecinos and network jitter (bench/broadcast_bench.py)."""
    outbox_lease_seconds: float = 60.0
    """How long a process may hold claimed outbox rows; rows of a process that died go out after this."""
    reminder_hours: float = 24.0
    """How long before an assembly its reminder is sent."""
    docs_enabled: bool = True
    """Serve /docs and /openapi.json (the API's documentation)."""
    log_format: Literal["text", "json"] = "text"
    """`json`: one JSON object per log line, for a log collector."""
    max_json_bytes: int = Field(default=2_000_000, ge=1024)
    """Largest request body accepted, except uploads; a larger one gets 413 before it is read."""
    max_upload_bytes: int = Field(default=10_000_000, ge=1024)
    """Largest multipart (file upload) body."""
    exports_per_organisation: int = Field(default=2, ge=1)
    """Exports (CSV, Excel) one ejecutor may run at once (all processes together); more get 429 with Retry-After."""
    exports_total: int = Field(default=4, ge=1)
    """Exports running at once, all ejecutores and all processes on the database together."""
    auth_failures: int = Field(default=10, ge=1)
    """Failed authentications (bad token, wrong webhook secret) one client address may make within
    AUTH_WINDOW_SECONDS before it gets 429 for AUTH_BLOCK_SECONDS; all processes on the database count together."""
    auth_window_seconds: float = Field(default=60.0, gt=0)
    """The window AUTH_FAILURES are counted in."""
    auth_block_seconds: float = Field(default=300.0, gt=0)
    """How long an address that failed too often gets 429 (with Retry-After) on /api and the webhook."""
    shutdown_seconds: float = Field(default=7.0, gt=0)
    """On SIGTERM, how long requests in flight may take to finish before the process exits."""

    max_photo_mb: float = Field(default=10.0, gt=0, le=20)
    """The heaviest photo a vecino may send as a survey answer, in MB (Telegram lets bots download up to 20).
    Of the sizes Telegram offers, the heaviest within it is kept; the photo is refused only when none fits."""
    retention_months: int = Field(default=6, ge=0, le=120)
    """How long after a barrio's programme ends (its programme_ends_on) every link between members and
    their chats is kept; then the retention job cuts them for good (aggregate results stay)."""

    @field_validator("admin_token")
    @classmethod
    def _admin_token_is_long(cls, token: str | None) -> str | None:
        """A blank ADMIN_TOKEN counts as unset; a short one stops the service (never a guessable admin)."""
        if token is None or not token.strip():
            return None
        if len(token) < MIN_ADMIN_TOKEN:
            raise ValueError(f"ADMIN_TOKEN must be at least {MIN_ADMIN_TOKEN} characters long (it has "
                             f"{len(token)}); make one with `openssl rand -hex 24`, or leave it unset")
        return token

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> "Settings":
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_SECRET must be set when WEBHOOK_URL is set")
        return self

    @property
    def webhook_path(self) -> str:
        return "/telegram/webhook"

    @property
    def uses_webhook(self) -> bool:
        return bool(self.webhook_url)


@lru_cache
def get_settings() -> Settings:
    return Settings()
