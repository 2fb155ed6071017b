"""Settings fail fast in production when a required variable is missing, and name it; production
starts clean of the deployment check's warnings and with its static files collected."""

import os
import re
import subprocess
import sys

import pytest

PRODUCTION_ENV = {"KAIFAQU_SECRET_KEY": "s" * 50, "KAIFAQU_ALLOWED_HOSTS": "kaifaqu.example.gov.cn"}


def environment(env: dict[str, str]) -> dict[str, str]:
    """This process's environment without its Kaifaqu and Django settings, plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KAIFAQU_", "DJANGO_"))}
    return {**clean, **env}


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import kaifaqu.project.settings as s; print(s.DEBUG, s.TIME_ZONE)"],
        env=environment(env),
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
    result = subprocess.run(
        [sys.executable, "-m", "kaifaqu", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment(
            {**PRODUCTION_ENV, "KAIFAQU_SECRET_KEY": "k" * 20 + "Zq8#vX2!pL9@wR4$" * 3}
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


# Requests the login page, then the stylesheet it links, from the production WSGI application.
SERVE_LOGIN_PAGE = """
import re, sys
from wsgiref.util import setup_testing_defaults
from kaifaqu.project.wsgi import application

def get(path):
    environ = {"PATH_INFO": path, "HTTP_HOST": "kaifaqu.example.gov.cn", "wsgi.url_scheme": "https"}
    setup_testing_defaults(environ)
    statuses = []
    body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
    return statuses[0], body.decode(errors="replace")

status, page = get("/accounts/login/")
stylesheet = re.search(r'href="(/static/kaifaqu/app\\.[0-9a-f]{12}\\.css)"', page).group(1)
print(status, stylesheet, get(stylesheet)[0], sep="\\n")
"""


def test_production_collects_static_files_at_start_and_serves_the_login_page(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SERVE_LOGIN_PAGE],
        env=environment({**PRODUCTION_ENV, "KAIFAQU_VAR_DIR": str(tmp_path)}),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    # the JSON log lines of the two requests (ops/logs.py) come between what the script prints
    printed = [line for line in result.stdout.splitlines() if not line.startswith("{")]
    login, stylesheet, stylesheet_status = printed
    assert login == "200 OK"
    assert re.fullmatch(r"/static/kaifaqu/app\.[0-9a-f]{12}\.css", stylesheet)
    assert stylesheet_status == "200 OK"
    assert (tmp_path / "static" / "staticfiles.json").is_file()


def test_attachments_and_e_mail_settings():
    def read(env: dict[str, str], names: str) -> subprocess.CompletedProcess[str]:
        code = f"import kaifaqu.project.settings as s; print({names})"
        return subprocess.run(
            [sys.executable, "-c", code],
            env=environment({"KAIFAQU_DEBUG": "true", **env}),
            capture_output=True,
            text=True,
            check=False,
        )

    defaults = read({}, "s.KAIFAQU_ATTACHMENT_MAX_MB, s.EMAIL_BACKEND")
    small_uploads = read({"KAIFAQU_UPLOAD_MAX_MB": "8"}, "s.KAIFAQU_ATTACHMENT_MAX_MB")
    too_large = read({"KAIFAQU_ATTACHMENT_MAX_MB": "60"}, "s.KAIFAQU_ATTACHMENT_MAX_MB")
    smtp = read({"KAIFAQU_SMTP_HOST": "smtp.example.gov.cn"}, "s.EMAIL_BACKEND, s.EMAIL_HOST")

    # without an SMTP server every message is dropped: nothing leaves the machine
    assert defaults.stdout.split() == ["20", "django.core.mail.backends.dummy.EmailBackend"]
    assert small_uploads.stdout.strip() == "8"
    assert "KAIFAQU_ATTACHMENT_MAX_MB must be at least 1 and at most" in too_large.stderr
    assert smtp.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.gov.cn",
    ]
