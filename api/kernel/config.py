"""All settings of the service, read once from the environment and an optional `.env`."""

from functools import lru_cache

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration; every field maps to the upper-case environment variable of its name."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./accion_local.db"
    telegram_bot_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_bot_username: str = Field(
        default="AccionLocalBot",
        description="Used for t.me deep links; replaced by the bot's own name when it starts.",
    )
    webhook_url: str | None = None
    webhook_secret: str | None = None
    admin_token: str | None = None
    default_locale: str = "es"
    timezone: str = "America/Santiago"
    jobs_interval_seconds: float = 15.0
    outbox_rate: float = Field(default=28.5, description=(
        "Outbox messages per second for the whole bot, all processes together: 95% of Telegram's "
        "30/s, leaving headroom for replies to vecinos and network jitter (bench/broadcast_bench.py)."))
    outbox_lease_seconds: float = Field(default=60.0, description=(
        "How long a process may hold claimed outbox rows; rows of a process that died go out after this."))
    reminder_hours: float = Field(default=24.0, description="How long before an assembly its reminder is sent.")
    retention_months: int = Field(default=6, ge=0, le=120, description=(
        "How long after a barrio's programme ends (its programme_ends_on) every link between members and "
        "their chats is kept; then the retention job cuts them for good (aggregate results stay)."))

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
