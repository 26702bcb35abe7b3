"""The demo's sensitive accounts come enrolled with the key the README publishes; ``demo_code`` prints
the code of the moment, and refuses without DEBUG."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from clea.accounts.models import User
from clea.demo.data import demo_totp_secret, load_demo
from tests.clock import TODAY

pytestmark = pytest.mark.django_db


def test_sensitive_demo_accounts_are_enrolled_with_the_published_key(referentiels, geography, settings):
    load_demo(TODAY)
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__email", flat=True))
    assert {"certificateur@demo.clea.fr", "jury@demo.clea.fr", "admin@demo.clea.fr"} <= enrolled
    assert "evaluateur@demo.clea.fr" not in enrolled
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert demo_totp_secret() in readme
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    code = re.search(r"Code du moment : (\d{6})", out.getvalue()).group(1)
    assert match_token(User.objects.get(email="jury@demo.clea.fr"), code) is not None


def test_demo_code_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code")
