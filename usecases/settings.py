"""One place for settings: read from the environment once, passed in everywhere else."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-secret-change-me-in-production"


class Settings(BaseSettings):
    """Every variable the processes read; documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    environment: str = Field(default="development", alias="MF_ENV")
    database_url: str = Field(default=f"sqlite:///{ROOT / 'var' / 'microfactory.db'}", alias="DATABASE_URL")
    kafka_bootstrap: str | None = Field(default=None, alias="KAFKA_BOOTSTRAP")
    embedded_broker_port: int = Field(default=19092, alias="EMBEDDED_BROKER_PORT")
    api_host: str = Field(default="127.0.0.1", alias="API_HOST")
    api_port: int = Field(default=8000, alias="API_PORT")
    api_url: str | None = Field(default=None, alias="API_URL")
    api_header_timeout_s: float = Field(default=10.0, alias="API_HEADER_TIMEOUT_S", gt=0)
    api_keep_alive_s: int = Field(default=5, alias="API_KEEP_ALIVE_S", gt=0)
    api_max_connections: int = Field(default=1000, alias="API_MAX_CONNECTIONS", gt=0)
    # API processes sharing the port (uvicorn workers); 1 keeps `make run` light, a deployment sets one per core.
    api_processes: int = Field(default=1, alias="API_PROCESSES", ge=1, le=64)
    forwarded_allow_ips: str = Field(default="", alias="FORWARDED_ALLOW_IPS")
    # The dashboard, like the API, answers this machine only unless told otherwise (a container sets 0.0.0.0): the
    # demo's sign-ins and their one password are printed in the README (new-user trial, 2026-11-30).
    dashboard_host: str = Field(default="127.0.0.1", alias="DASHBOARD_HOST")
    dashboard_port: int = Field(default=8501, alias="DASHBOARD_PORT")
    # How often `microfactory run` checks every invariant (microfactory audit --every): /health shows the last run.
    audit_every_s: float = Field(default=600.0, alias="AUDIT_EVERY_S", gt=0)
    demo: bool = Field(default=True, alias="DEMO")
    demo_speed: float = Field(default=1.0, alias="DEMO_SPEED", gt=0)
    secret_key: str = Field(default=DEFAULT_SECRET, alias="SECRET_KEY")
    token_minutes: int = Field(default=8 * 60, alias="TOKEN_MINUTES")
    offer_ttl_minutes: int = Field(default=120, alias="OFFER_TTL_MINUTES")
    auto_accept_hours: int = Field(default=72, alias="AUTO_ACCEPT_HOURS")
    appeal_days: int = Field(default=7, alias="APPEAL_DAYS")
    redelivery_after_s: float = Field(default=20.0, alias="REDELIVERY_AFTER_S")
    match_interval_s: float = Field(default=5.0, alias="MATCH_INTERVAL_S")
    consumer_stall_after_s: float = Field(default=30.0, alias="CONSUMER_STALL_AFTER_S", gt=0)
    worker_id: str = Field(default="worker-1", alias="WORKER_ID")
    wecom_webhook_url: str | None = Field(default=None, alias="WECOM_WEBHOOK_URL")
    refuse_below_minimum_wage: bool = Field(default=False, alias="REFUSE_BELOW_MINIMUM_WAGE")
    service_fee_bps: int = Field(default=500, alias="SERVICE_FEE_BPS", ge=0)
    # SQLite only: how long a writer waits for another process's write lock before giving up on it.
    sqlite_busy_timeout_s: float = Field(default=30.0, alias="SQLITE_BUSY_TIMEOUT_S", gt=0)
    log_dir: Path = Field(default=ROOT / "var" / "logs", alias="LOG_DIR")

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> Settings:
        # A forgotten default secret would let anyone mint tokens.
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("SECRET_KEY must be set outside development")
        return self

    @property
    def bootstrap(self) -> str:
        """Kafka bootstrap servers: the external cluster, or the embedded broker."""
        return self.kafka_bootstrap or f"127.0.0.1:{self.embedded_broker_port}"

    @property
    def api_base(self) -> str:
        return self.api_url or f"http://127.0.0.1:{self.api_port}"


@lru_cache
def get_settings() -> Settings:
    """Settings of this process (cached; tests build their own Settings instead)."""
    return Settings()
