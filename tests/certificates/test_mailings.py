"""Print runs: one PDF sorted by postcode, letters whose address sits in the envelope window, statuses,
duplicates that keep the number, revoked certificates never sent."""

import pytest

from clea.certificates import documents, services
from clea.certificates.models import Mailing, MailingKind, MailingStatus
from clea.geography.models import Commune
from clea.lib.errors import Conflict, RuleViolation
from tests.certificates.builders import awarded
from tests.certificates.layout import MM_PER_PX, boxes_with_class, lines_of, mm_rect, page_text, render_pages

pytestmark = pytest.mark.django_db


def issue(s, session, **candidate):
    return services.issue_certificate(awarded(s, session, **candidate), by=s["certifier"])


@pytest.fixture
def three(path_setting, session):
    s = path_setting
    brest, paris15 = Commune.objects.get(code="29019"), Commune.objects.get(code="75115")
    return [
        issue(s, session, postcode="35000", first_names="Léa"),
        issue(s, session, postcode="29200", commune=brest, first_names="Yann", sex="M"),
        issue(s, session, postcode="75015", commune=paris15, first_names="Inès", address_line2="Bâtiment B"),
    ]


def test_batch_is_one_pdf_sorted_by_postcode(path_setting, three):
    s = path_setting
    batch = services.create_mailing_batch(three, by=s["certifier"])
    mailings = list(batch.mailings.order_by("position"))
    assert [m.postcode for m in mailings] == ["29200", "35000", "75015"]
    assert [m.status for m in mailings] == [MailingStatus.TO_PRINT] * 3
    assert all(m.kind == MailingKind.ORIGINAL for m in mailings)
    assert mailings[2].address_lines[-1] == "75015 PARIS"
    assert mailings[2].address_lines[1] == "BÂTIMENT B"
    assert mailings[0].address_lines[0].startswith("Monsieur Yann ")
    pdf = bytes(batch.pdf)
    assert pdf.startswith(b"%PDF-")
    assert batch.size == 3
    assert len(batch.pdf_sha256) == 64
    # Letter then certificate for each holder, in the batch's order.
    pages = render_pages(documents.render_mailings(mailings))
    assert len(pages) == 6
    texts = [page_text(p) for p in pages]
    for index, mailing in enumerate(mailings):
        letter, certificate = texts[2 * index], texts[2 * index + 1]
        assert "Objet" in letter and mailing.certificate.number in letter
        assert mailing.address_lines[-1] in letter
        assert mailing.certificate.number in certificate
        assert mailing.certificate.verification_code_display in certificate
        assert "DUPLICATA" not in certificate


def test_address_block_sits_in_the_envelope_window(path_setting, three):
    s = path_setting
    batch = services.create_mailing_batch(three, by=s["certifier"])
    pages = render_pages(documents.render_mailings(list(batch.mailings.all())))
    window = documents.WINDOW
    for letter in pages[0::2]:
        (block,) = boxes_with_class(letter, "address")
        left, top, right, bottom = mm_rect(block)
        assert window["left"] <= left and right <= window["left"] + window["width"] + 0.01
        assert window["top"] <= top and bottom <= window["top"] + window["height"] + 0.01
        lines = lines_of(block)
        assert 3 <= len(lines) <= 6
        for line in lines:
            line_left, _, _, line_bottom = mm_rect(line)
            line_right = line_left + sum(child.margin_width() for child in line.children) * MM_PER_PX
            assert line_right <= window["left"] + window["width"] - 2, "une ligne dépasse de la fenêtre"
            assert line_bottom <= window["top"] + window["height"]


def test_longest_possible_lines_still_fit_the_window(path_setting, certificate):
    mailing = Mailing(certificate=certificate, kind=MailingKind.ORIGINAL, position=1, postcode="35000")
    mailing.address_lines = ["W" * 38, "M" * 38, "35000 " + "W" * 32]
    (letter, _) = render_pages(documents.render_mailings([mailing]))
    (block,) = boxes_with_class(letter, "address")
    lines = lines_of(block)
    assert len(lines) == 3
    for line in lines:
        left, _, _, _ = mm_rect(line)
        width = sum(child.margin_width() for child in line.children) * MM_PER_PX
        assert left + width <= documents.WINDOW["left"] + documents.WINDOW["width"]


def test_statuses_to_print_sent_returned_resent(path_setting, three):
    s = path_setting
    batch = services.create_mailing_batch(three, by=s["certifier"])
    first = batch.mailings.order_by("position").first()
    services.mark_sent(first, by=s["certifier"])
    assert services.mark_batch_sent(batch, by=s["certifier"]) == 2
    with pytest.raises(Conflict, match="à imprimer"):
        services.mark_sent(first, by=s["certifier"])
    with pytest.raises(RuleViolation, match="motif"):
        services.mark_returned(first, reason=" ", by=s["certifier"])
    with pytest.raises(Conflict, match="revenu"):
        services.resend(first, by=s["certifier"])
    returned = services.mark_returned(first, reason="Destinataire inconnu à l'adresse", by=s["certifier"])
    assert (returned.status, returned.return_reason) == (MailingStatus.RETURNED, "Destinataire inconnu à l'adresse")
    # The holder's address is corrected in the dossier; the letter goes again to the new one.
    candidate = first.certificate.dossier.candidate
    candidate.address_line1 = "8 place de la Mairie"
    candidate.save()
    again = services.resend(first, by=s["certifier"])
    assert again.status == MailingStatus.RESENT
    assert "8 PLACE DE LA MAIRIE" in again.address_lines
    assert services.mailing_pdf(again).startswith(b"%PDF-")
    services.mark_returned(again, reason="Refusé", by=s["certifier"])
    again.refresh_from_db()
    assert [h["status"] for h in again.history] == ["to_print", "sent", "returned", "resent", "returned"]
    assert again.history[2]["reason"] == "Destinataire inconnu à l'adresse"


def test_an_original_is_sent_once(path_setting, three):
    s = path_setting
    services.create_mailing_batch(three[:1], by=s["certifier"])
    with pytest.raises(Conflict, match="duplicata"):
        services.create_mailing_batch(three, by=s["certifier"])
    assert Mailing.objects.count() == 1
    with pytest.raises(RuleViolation, match="Aucun certificat"):
        services.create_mailing_batch([], by=s["certifier"])


def test_duplicate_keeps_the_number_and_says_so(path_setting, certificate):
    s = path_setting
    services.create_mailing_batch([certificate], by=s["certifier"])
    batch = services.duplicate(certificate, by=s["certifier"])
    (mailing,) = batch.mailings.all()
    assert mailing.kind == MailingKind.DUPLICATE
    assert mailing.certificate == certificate
    assert bytes(batch.pdf).startswith(b"%PDF-")
    letter, page = (page_text(p) for p in render_pages(documents.render_mailings([mailing])))
    assert "DUPLICATA" in page and certificate.number in page
    assert "duplicata" in letter
    # A second duplicate is possible (lost again), always with the same number.
    assert services.duplicate(certificate, by=s["certifier"]).mailings.get().certificate.number == certificate.number


def test_revoked_certificates_are_never_sent(path_setting, certificate):
    s = path_setting
    services.revoke(certificate, reason="Fraude établie à l'évaluation", by=s["certifier"])
    with pytest.raises(Conflict, match="retiré"):
        services.create_mailing_batch([certificate], by=s["certifier"])
    with pytest.raises(Conflict, match="retiré"):
        services.duplicate(certificate, by=s["certifier"])


def test_revoked_after_return_is_not_resent(path_setting, certificate):
    s = path_setting
    mailing = services.create_mailing_batch([certificate], by=s["certifier"]).mailings.get()
    services.mark_sent(mailing, by=s["certifier"])
    services.mark_returned(mailing, reason="NPAI", by=s["certifier"])
    services.revoke(certificate, reason="Erreur de jury", by=s["certifier"])
    with pytest.raises(Conflict, match="retiré"):
        services.resend(mailing, by=s["certifier"])


def test_an_address_that_cannot_be_printed_blocks_the_batch_with_the_reason(path_setting, session):
    s = path_setting
    good = issue(s, session)
    bad = issue(s, session, address_line1="3 rue " + "X" * 60)
    with pytest.raises(RuleViolation, match=bad.number):
        services.create_mailing_batch([good, bad], by=s["certifier"])
    assert not Mailing.objects.exists()


def test_revocation(path_setting, certificate):
    s = path_setting
    with pytest.raises(RuleViolation, match="motif"):
        services.revoke(certificate, reason="  ", by=s["certifier"])
    revoked = services.revoke(certificate, reason="Fraude", by=s["certifier"])
    assert revoked.is_revoked and revoked.revoked_by == s["certifier"]
    with pytest.raises(Conflict, match="déjà été retiré"):
        services.revoke(certificate, reason="Encore", by=s["certifier"])
