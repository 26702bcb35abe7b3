"""Every certificate screen for each member of the cast: the certifier may; others get 403 on the
certifier's pages and 404 on objects; anonymous people reach only /verifier/."""

import pytest
from django.urls import reverse

from tests.cast import FIRST_CIRCLE as CAST
from tests.cast import WORKERS as EVALUATOR_ORG

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, path_setting):
    """The cast's certificate (its closed session, print run, mailing, CPF export) and its dossier in
    training (the trainer sees it)."""
    return {
        "s": path_setting,
        "certificate": cast.certificate,
        "session": cast.jury_session,
        "batch": cast.mailing_batch,
        "mailing": cast.mailing,
        "export": cast.cpf_export,
        "training": cast.dossier,
    }


def certifier_pages(w):
    return [
        reverse("certificates:list"),
        reverse("certificates:sessions"),
        reverse("certificates:batches"),
        reverse("certificates:batch_create"),
        reverse("certificates:cpf"),
        reverse("certificates:cpf_overdue"),
    ]


def certifier_objects(w):
    c, b, m, e = w["certificate"].public_id, w["batch"].public_id, w["mailing"].public_id, w["export"].public_id
    return [
        reverse("certificates:detail", args=[c]),
        reverse("certificates:pdf", args=[c]),
        reverse("certificates:duplicate", args=[c]),
        reverse("certificates:revoke", args=[c]),
        reverse("certificates:batch_detail", args=[b]),
        reverse("certificates:batch_pdf", args=[b]),
        reverse("certificates:mailing_returned", args=[m]),
        reverse("certificates:mailing_pdf", args=[m]),
        reverse("certificates:cpf_export_download", args=[e]),
    ]


def certifier_posts(w):
    """(url, is an object: 404 for others rather than 403)."""
    return [
        (reverse("certificates:session_issue", args=[w["session"].public_id]), True),
        (reverse("certificates:batch_sent", args=[w["batch"].public_id]), True),
        (reverse("certificates:mailing_sent", args=[w["mailing"].public_id]), True),
        (reverse("certificates:mailing_resend", args=[w["mailing"].public_id]), True),
        (reverse("certificates:cpf_export"), False),
        (reverse("certificates:cpf_ack_import"), False),
    ]


@pytest.mark.parametrize("name", CAST)
def test_certifier_screens(client, world, name):
    client.force_login(world["s"][name])
    allowed = name == "certifier"
    for url in certifier_pages(world):
        assert client.get(url).status_code == (200 if allowed else 403), url
    for url in certifier_objects(world):
        assert client.get(url).status_code == (200 if allowed else 404), url
    for url, is_object in certifier_posts(world):
        expected = 302 if allowed else (404 if is_object else 403)
        assert client.post(url).status_code == expected, url
    if not allowed:
        world["certificate"].refresh_from_db()
        assert not world["certificate"].is_revoked
        assert (
            client.post(
                reverse("certificates:revoke", args=[world["certificate"].public_id]), {"reason": "x"}
            ).status_code
            == 404
        )
        assert world["mailing"].__class__.objects.get(pk=world["mailing"].pk).status == "to_print"


@pytest.mark.parametrize("name", CAST)
def test_record_of_acquired_skills(client, world, name):
    client.force_login(world["s"][name])
    response = client.get(reverse("certificates:skills_record", args=[world["training"].public_id]))
    if name in EVALUATOR_ORG or name == "certifier":
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
    elif name == "trainer":
        assert response.status_code == 403  # sees the dossier, may not download the attestation
    else:
        assert response.status_code == 404


def test_outsider_never_gets_the_record_of_another_organisation(client, world):
    client.force_login(world["s"]["outsider"])
    certified = world["certificate"].dossier
    assert client.get(reverse("certificates:skills_record", args=[certified.public_id])).status_code == 404


def test_anonymous_reaches_only_the_verification(client, world):
    login = reverse("accounts:login")
    urls = [*certifier_pages(world), *certifier_objects(world)]
    urls.append(reverse("certificates:skills_record", args=[world["training"].public_id]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url
    for url, _ in certifier_posts(world):
        assert client.post(url).status_code == 302, url
    assert client.get(reverse("verification:form")).status_code == 200
    code = world["certificate"].verification_code
    assert client.get(reverse("verification:result", args=[code])).status_code == 200
