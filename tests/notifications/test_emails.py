"""Every notification e-mail is a template, sent as text and HTML; names are never HTML-escaped in the text."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from clea.notifications import sending
from clea.notifications.emails import render_email

EMAILS = Path(settings.BASE_DIR) / "clea" / "templates" / "emails"
NAMES = sorted(p.name for p in EMAILS.iterdir() if p.is_dir())
CONTEXT = {
    "organisation": "Boulangerie D'Or & Fils",
    "certification": "CléA",
    "candidate": "Léa DURAND",
    "deadline": datetime.date(2031, 11, 27),
    "start": datetime.date(2027, 1, 4),
    "end": datetime.date(2027, 2, 26),
    "answer_due": datetime.date(2026, 12, 4),
    "session_date": datetime.date(2027, 3, 1),
    "hours": 35,
    "prescriber": "CEP Rennes",
    "training_organisation": "Formation <Ouest>",
    "reason": "Hors de notre région",
    "status": "acceptée",
    "outcome": "certifié",
    "number": "CLEA-2027-000001",
    "link": "https://clea.example/espace/activation/x/",
    "days": 14,
}


def test_every_template_used_by_the_code_exists():
    code = "\n".join(p.read_text() for p in (Path(settings.BASE_DIR) / "clea").rglob("*.py"))
    used = set(re.findall(r'template="([a-z_]+)"', code)) | set(
        re.findall(r'_tell_prescriber\(referral, "([a-z_]+)"', code)
    )
    used |= set(re.findall(r'render_email\("([a-z_]+)"', code))
    assert used and used <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_e_mail_renders_as_text_and_html(name):
    email = render_email(name, CONTEXT)
    assert email.subject and "\n" not in email.subject and "{{" not in email.subject + email.text
    assert "&amp;" not in email.text and "&#x27;" not in email.text  # plain text, not HTML
    assert email.html.startswith("<!DOCTYPE html>") and 'lang="fr"' in email.html
    assert "<Ouest>" not in email.html  # the HTML version escapes what it shows


@pytest.mark.django_db
def test_a_delivery_sends_both_versions(path_setting):
    email = render_email("dossier_opened", CONTEXT)
    sending.deliver.call("dossier_opened", email.subject, email.text, [], ["lea@exemple.fr"], None, "k", email.html)
    [message] = mail.outbox
    assert message.subject == "[CléA] Votre dossier CléA est ouvert"
    assert "Boulangerie D'Or & Fils a ouvert" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Boulangerie D&#x27;Or &amp; Fils" in html
