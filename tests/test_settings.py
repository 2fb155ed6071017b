"""Settings fail fast in production when a required variable is missing, and name it."""

import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {"KAIFAQU_SECRET_KEY": "s" * 50, "KAIFAQU_ALLOWED_HOSTS": "kaifaqu.example.gov.cn"}


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KAIFAQU_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", "import kaifaqu.project.settings as s; print(s.DEBUG, s.TIME_ZONE)"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("missing", ["KAIFAQU_SECRET_KEY", "KAIFAQU_ALLOWED_HOSTS"])
def test_missing_production_setting_is_named(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = load_settings(env)
    assert result.returncode == 1
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_settings_load_when_complete():
    result = load_settings(PRODUCTION_ENV)
    assert result.stdout.strip() == "False Asia/Shanghai"


def test_debug_runs_out_of_the_box():
    assert load_settings({"KAIFAQU_DEBUG": "true"}).stdout.strip() == "True Asia/Shanghai"


def test_production_settings_pass_the_deployment_check():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KAIFAQU_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-m", "kaifaqu", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **PRODUCTION_ENV, "KAIFAQU_SECRET_KEY": "k" * 20 + "Zq8#vX2!pL9@wR4$" * 3},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
