"""What ships: the wheel's package data, the Dockerfile and the compose file.

There is no Docker engine here, so the container files are checked by reading
them: the services and how they connect, the image's essentials.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_of_the_package_ships_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]
    missing = []
    for path in (ROOT / "connector").rglob("*"):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        in_package = (path.parent / "__init__.py").exists()
        if path.suffix == ".py" and in_package:
            continue
        package_dir = next(p for p in path.parents if (p / "__init__.py").exists())
        package = ".".join(package_dir.relative_to(ROOT).parts)
        relative = path.relative_to(package_dir).as_posix()
        if not any(fnmatch.fnmatch(relative, g) for g in patterns.get(package, [])):
            missing.append(f"{package}: {relative}")
    assert missing == []


def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())


def test_compose_has_mariadb_suitecrm_and_the_connector() -> None:
    services = compose()["services"]
    assert set(services) == {"mariadb", "suitecrm", "journey"}
    assert services["mariadb"]["image"].startswith("mariadb:")
    assert "suitecrm" in services["suitecrm"]["image"]
    assert services["suitecrm"]["environment"]["SUITECRM_DATABASE_HOST"] == "mariadb"
    assert services["suitecrm"]["depends_on"]["mariadb"]["condition"] == "service_healthy"
    journey = services["journey"]
    assert journey["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}
    assert journey["environment"]["SUITEJOURNEY_URL"] == "http://suitecrm:8080"
    assert journey["command"] == ["schedule"]
    assert "journey.env" in journey["env_file"]
    assert any(v.endswith(":/data") for v in journey["volumes"])


def test_compose_holds_no_secret_values() -> None:
    text = (ROOT / "docker" / "compose.yaml").read_text()
    for line in text.splitlines():
        if re.search(r"(PASSWORD|SECRET)\s*:", line):
            assert "${" in line, f"a secret is written into compose.yaml: {line.strip()}"
    assert "CLIENT_SECRET" not in text


def test_dockerfile_essentials() -> None:
    text = (ROOT / "docker" / "Dockerfile").read_text()
    instructions = [line.split()[0] for line in text.splitlines()
                    if line and not line.startswith(("#", " "))]
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1] not in ("root", "0")
    assert instructions.index("USER") > instructions.index("RUN")
    assert re.search(r'^CMD \["schedule"\]', text, re.M)
    assert re.search(r'^ENTRYPOINT \["suitejourney"', text, re.M)
    assert "COPY --chown=journey:journey mappings" in text
    assert "SECRET" not in text and "PASSWORD" not in text
    copied = re.findall(r"^COPY (?:--\S+ )*(\S+)", text, re.M)
    for source in copied:
        if not source.startswith("/"):
            assert (ROOT / source).exists(), f"the Dockerfile copies a missing {source}"
    ignored = (ROOT / ".dockerignore").read_text()
    assert "docker/journey.env" in ignored and "*.db" in ignored


def test_the_default_mapping_ships_with_a_wheel_install() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    shipped = {f for files in config["tool"]["setuptools"]["data-files"].values() for f in files}
    assert "mappings/default.yaml" in shipped
    assert all((ROOT / f).is_file() for f in shipped)
    from connector.app import SHIPPED_MAPPINGS

    assert any(str(p).endswith("share/suitecrm-journey/mappings") for p in SHIPPED_MAPPINGS)
