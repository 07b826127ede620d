import pytest

from learnflow.settings import DatabaseSettings, KafkaSettings, SettingsError, TokenSettings, load_settings


class FunctionSettings(DatabaseSettings, KafkaSettings, TokenSettings):
    pass


def test_missing_settings_stop_start_up_naming_each_one(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "DATABASE_URL",
        "DATABASE_SECRET_ARN",
        "KAFKA_BOOTSTRAP_SERVERS",
        "JWT_SECRET",
        "JWT_SECRET_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SettingsError) as stopped:
        load_settings(FunctionSettings)
    assert "KAFKA_BOOTSTRAP_SERVERS: Field required" in str(stopped.value)

    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    with pytest.raises(
        SettingsError, match="set DATABASE_URL or DATABASE_SECRET_ARN; set JWT_SECRET or JWT_SECRET_ARN"
    ):
        load_settings(FunctionSettings)


def test_a_malformed_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://x")
    monkeypatch.setenv("DATABASE_POOL_MAX", "lots")
    with pytest.raises(SettingsError, match="DATABASE_POOL_MAX"):
        load_settings(DatabaseSettings)


def test_a_short_signing_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_SECRET", "secret")
    with pytest.raises(SettingsError, match="JWT_SECRET"):
        load_settings(TokenSettings)
