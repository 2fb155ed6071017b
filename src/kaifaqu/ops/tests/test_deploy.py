"""The deployment files: the nginx site follows the settings, the example in deploy/ is current,
and `kaifaqu serve` runs gunicorn with the settings' workers and address."""

import re
from pathlib import Path

import pytest

from kaifaqu.ops.management.commands.nginx_site import nginx_site
from kaifaqu.ops.management.commands.serve import gunicorn_command

DEPLOY = Path(__file__).resolve().parents[4] / "deploy"
EXAMPLE_HOST = "kaifaqu.example.gov.cn"


@pytest.fixture
def installed(settings):
    """The settings of an installation under /opt/kaifaqu with every default."""
    settings.STATIC_ROOT = Path("/opt/kaifaqu/var/static")
    settings.KAIFAQU_UPLOAD_MAX_MB = 50
    settings.KAIFAQU_BIND = "127.0.0.1:8000"
    settings.KAIFAQU_WEB_TIMEOUT = 120
    settings.SECURE_HSTS_SECONDS = 31536000
    return settings


def test_nginx_body_limit_follows_the_upload_setting(installed):
    installed.KAIFAQU_UPLOAD_MAX_MB = 200

    site = nginx_site("kq.example")

    assert "client_max_body_size 201m;" in site
    assert "alias /opt/kaifaqu/var/static/;" in site
    assert "server 127.0.0.1:8000;" in site


def test_the_example_in_deploy_is_what_the_command_prints_for_the_defaults(installed):
    example = (DEPLOY / "nginx" / "kaifaqu.conf").read_text()

    assert example == nginx_site(EXAMPLE_HOST, generated_from="the default settings")


def test_serve_runs_gunicorn_with_the_settings(settings):
    settings.KAIFAQU_BIND = "unix:/run/kaifaqu/web.sock"
    settings.KAIFAQU_WEB_WORKERS = 5

    command = gunicorn_command(settings.KAIFAQU_BIND, None)

    assert command[1:3] == ["-m", "gunicorn"]
    assert command[command.index("--bind") + 1] == "unix:/run/kaifaqu/web.sock"
    assert command[command.index("--workers") + 1] == "5"
    assert command[-1] == "kaifaqu.project.wsgi:application"


def setting_names(text: str) -> set[str]:
    return set(re.findall(r"\bKAIFAQU_[A-Z0-9_]+[A-Z0-9]\b", text))


def variables_read(text: str) -> set[str]:
    """The environment variables a settings module reads (quoted names, not Django settings)."""
    return set(re.findall(r"\"(KAIFAQU_[A-Z0-9_]+)\"", text))


def test_every_setting_is_in_the_config_template_and_the_readme():
    package = Path(__file__).resolve().parents[2]
    read = variables_read((package / "project" / "settings.py").read_text())
    read |= variables_read((package / "api" / "conf.py").read_text())
    read |= setting_names((DEPLOY / "systemd" / "kaifaqu-backup.service").read_text())
    template = setting_names((DEPLOY / "kaifaqu.env.in").read_text())
    readme = setting_names((DEPLOY.parent / "README.md").read_text())

    assert sorted(read - template) == []
    assert sorted(read - readme) == []
