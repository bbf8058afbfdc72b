"""Settings: file < environment < flags, every problem at once, secrets masked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from connector.config import DEFAULT_MODULES, load_settings, secret_values
from connector.errors import ConfigurationProblems
from connector.secrets import Secret


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_defaults_without_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.api == "auto"
    assert settings.modules == DEFAULT_MODULES
    assert settings.page_size == 200
    assert settings.writer == "api"
    assert settings.config_path is None
    assert settings.database_url.reveal() == f"sqlite:///{tmp_path.resolve() / 'suitejourney.db'}"
    assert settings.source_of("page_size") == "default"


def test_file_then_env_then_flags(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "suitejourney.toml",
        'url = "https://crm.example.com/"\npage_size = 50\nconcurrency = 2\nwriter = "bulk"\n',
    )
    env = {"SUITEJOURNEY_PAGE_SIZE": "80", "SUITEJOURNEY_WRITER": "api"}
    settings = load_settings(config_path=cfg, env=env, flags={"page_size": 120, "url": None})
    assert settings.url == "https://crm.example.com"
    assert settings.page_size == 120
    assert settings.source_of("page_size") == "flag --page-size"
    assert settings.writer == "api"
    assert settings.source_of("writer") == "environment SUITEJOURNEY_WRITER"
    assert settings.concurrency == 2
    assert settings.source_of("concurrency") == f"{cfg}:3"
    assert settings.database_url.reveal() == f"sqlite:///{tmp_path.resolve() / 'suitejourney.db'}"


def test_every_problem_is_reported_at_once_with_where(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "s.toml",
        "\n".join(
            [
                'url = "crm.example.com"',
                "page_size = 0",
                'api = "soap"',
                "colour = 'blue'",
                "verify_tls = 'maybe'",
                "modules = ['Accounts', 'no such']",
            ]
        ),
    )
    env = {"SUITEJOURNEY_CONCURRENCY": "many"}
    with pytest.raises(ConfigurationProblems) as info:
        load_settings(config_path=cfg, env=env)
    problems = info.value.problems
    text = "\n".join(problems)
    assert len(problems) == 7, text
    assert f"{cfg}:1: url must start with http" in text
    assert f"{cfg}:2: page_size must be at least 1" in text
    assert f"{cfg}:3: api must be one of auto, v8, legacy" in text
    assert f"{cfg}:4: unknown key 'colour'" in text
    assert f"{cfg}:5: verify_tls must be true or false" in text
    assert f"{cfg}:6: modules has names that are not SuiteCRM module names: no such" in text
    assert "environment SUITEJOURNEY_CONCURRENCY: concurrency must be a whole number" in text
    assert info.value.exit_code == 2


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    cfg = write(tmp_path / "s.toml", 'url = "https://x"\npage_size = = 3\n')
    with pytest.raises(ConfigurationProblems) as info:
        load_settings(config_path=cfg, env={})
    assert "not valid TOML" in str(info.value)
    assert "line 2" in str(info.value)


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationProblems, match="configuration file not found"):
        load_settings(config_path=tmp_path / "nope.toml", env={})


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("https://crm.example.com/index.php", "drop '/index.php'"),
        ("https://crm.example.com/legacy/Api", "drop '/legacy/Api'"),
        ("https://user:pw@crm.example.com", "must not carry a user or password"),
        ("ftp://crm.example.com", "must start with http"),
    ],
)
def test_bad_urls(url: str, fragment: str) -> None:
    with pytest.raises(ConfigurationProblems, match=fragment.replace("(", r"\(")):
        load_settings(env={"SUITEJOURNEY_URL": url}, config_path=None)


def test_secrets_are_masked_everywhere(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "s.toml",
        'url = "https://crm"\nclient_id = "abc"\nclient_secret = "s3cr3t-value"\n'
        'database_url = "mysql+pymysql://cj:db-pass-99@db/cj"\n',
    )
    settings = load_settings(
        config_path=cfg, env={"SUITEJOURNEY_PASSWORD": "pw-xyz-1"}, flags={"username": "api"}
    )
    shown = repr(settings) + str(settings.describe()) + f"{settings.client_secret}"
    for secret in ("s3cr3t-value", "db-pass-99", "pw-xyz-1"):
        assert secret not in shown
    assert settings.describe()["database_url"] == "mysql+pymysql://cj:********@db/cj"
    assert isinstance(settings.client_secret, Secret)
    assert settings.client_secret.reveal() == "s3cr3t-value"
    assert set(secret_values(settings)) == {"s3cr3t-value", "db-pass-99", "pw-xyz-1"}


def test_secret_file_readable_by_others_warns(tmp_path: Path) -> None:
    cfg = write(tmp_path / "s.toml", 'client_id = "a"\nclient_secret = "b"\n', mode=0o644)
    settings = load_settings(config_path=cfg, env={})
    assert len(settings.warnings) == 1
    assert "readable by other users (mode 0644)" in settings.warnings[0]
    assert f"chmod 600 {cfg}" in settings.warnings[0]
    private = write(tmp_path / "p.toml", 'client_id = "a"\nclient_secret = "b"\n', mode=0o600)
    assert load_settings(config_path=private, env={}).warnings == ()
    no_secret = write(tmp_path / "n.toml", "page_size = 10\n", mode=0o644)
    assert load_settings(config_path=no_secret, env={}).warnings == ()


def test_instances_override_the_top_level(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "s.toml",
        'url = "https://main"\npage_size = 100\n\n[instances.eu]\nurl = "https://eu"\nbogus = 1\n',
    )
    with pytest.raises(ConfigurationProblems, match=rf"{cfg}:6: unknown key 'bogus'"):
        load_settings(config_path=cfg, env={}, instance="eu")
    cfg.write_text('url = "https://main"\npage_size = 100\n[instances.eu]\nurl = "https://eu"\n')
    eu = load_settings(config_path=cfg, env={"SUITEJOURNEY_EU_PAGE_SIZE": "7"}, instance="eu")
    assert eu.url == "https://eu"
    assert eu.page_size == 7
    assert eu.source_of("url") == f"{cfg}:4"
    assert eu.database_url.reveal().endswith("suitejourney-eu.db")
    with pytest.raises(ConfigurationProblems, match=r"no \[instances.us\] table \(instances: eu\)"):
        load_settings(config_path=cfg, env={}, instance="us")


def test_modules_from_env_as_comma_list() -> None:
    settings = load_settings(env={"SUITEJOURNEY_MODULES": "Accounts, Calls,Accounts"})
    assert settings.modules == ("Accounts", "Calls")


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"SUITEJOURNEY_API": "v8", "SUITEJOURNEY_URL": "http://x"}, "api = v8 needs client_id"),
        ({"SUITEJOURNEY_API": "legacy", "SUITEJOURNEY_URL": "http://x"}, "needs username and"),
        ({"SUITEJOURNEY_URL": "http://x"}, "no credentials"),
        ({"SUITEJOURNEY_CLIENT_ID": "a", "SUITEJOURNEY_URL": "http://x"}, "client_secret is not"),
        ({"SUITEJOURNEY_CLIENT_ID": "a", "SUITEJOURNEY_CLIENT_SECRET": "b"}, "url is not set"),
    ],
)
def test_require_crm(
    env: dict[str, str], fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env=env)
    with pytest.raises(ConfigurationProblems, match=fragment):
        settings.require_crm()


def test_bad_database_url_is_masked_in_the_error() -> None:
    with pytest.raises(ConfigurationProblems) as info:
        load_settings(env={"SUITEJOURNEY_DATABASE_URL": "postgres://u:topsecret@h/db"})
    assert "topsecret" not in str(info.value)
    assert "database_url must be sqlite" in str(info.value)


def test_the_mysql_writer_needs_suitecrm_database_url() -> None:
    with pytest.raises(ConfigurationProblems, match=r"writer = mysql .* suitecrm_database_url"):
        load_settings(env={"SUITEJOURNEY_WRITER": "mysql"})
    settings = load_settings(
        env={
            "SUITEJOURNEY_WRITER": "mysql",
            "SUITEJOURNEY_SUITECRM_DATABASE_URL": "mysql+pymysql://crm:crm-pw-7@db/suitecrm",
        }
    )
    assert (
        settings.describe()["suitecrm_database_url"] == "mysql+pymysql://crm:********@db/suitecrm"
    )
    assert "crm-pw-7" in secret_values(settings)
