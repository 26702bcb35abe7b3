"""API v1: every bad input of the path answers 400/409 with its French reason, and writes nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clea.dossiers import services as dossiers
from clea.dossiers.models import Dossier
from clea.evaluations import services as evaluations
from clea.evaluations.models import CriterionJudgement
from clea.organisations.models import Role
from tests.api.errors import invalid
from tests.api.test_dossiers_api import (
    GAPS,
    A,
    N,
    candidate_payload,
    client_for,
    counts,
    day,
    in_initial,
    in_training,
    open_payload,
    open_with_services,
    today,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def refused(response, status: int, reason: str, field: str | None = None) -> dict:
    body = response.json()
    assert response.status_code == status, body
    assert reason in body["detail"], body["detail"]
    if field is not None:
        assert body["field"] == field
    return body


def sitting(api, evaluation, date: str, start: str, end: str):
    return api.post(
        f"/api/v1/evaluations/{evaluation.public_id}/sittings/",
        {"date": date, "start": start, "end": end, "place": "Rennes"},
        format="json",
    )


def results(api, evaluation, entries: list[dict], *, reason: str | None = None):
    if reason is None:
        return api.put(f"/api/v1/evaluations/{evaluation.public_id}/results/", {"results": entries}, format="json")
    return api.post(
        f"/api/v1/evaluations/{evaluation.public_id}/corrections/",
        {"results": entries, "reason": reason},
        format="json",
    )


def revision(evaluation, code: str) -> int | None:
    row = evaluation.judgements.filter(criterion__code=code).order_by("-pk").first()
    return row.pk if row else None


# --- sittings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "start", "end", "status", "reason", "field"),
    [
        (0, "10:00", "09:00", 400, "La séance doit finir après son début.", "end"),
        (1, "08:00", "12:01", 400, "Durée totale 7 h 01 : l'évaluation préalable dure au plus 7 h", "end"),
        (0, "11:30", "13:00", 400, "Cette séance chevauche celle du", "start"),
        (2400, "09:00", "10:00", 400, "n'a pas d'habilitation CléA valable le", None),
    ],
    ids=["ends-before-start", "over-the-limit", "overlap", "not-habilitated-that-day"],
)
def test_bad_sittings(path_setting, date, start, end, status, reason, field):
    s = path_setting
    _, initial = in_initial(s)  # 09:00–12:00 today
    before = counts()
    refused(sitting(client_for(s["evaluator"]), initial, day(date), start, end), status, reason, field)
    assert counts() == before


def test_sitting_on_a_closed_evaluation(path_setting):
    s = path_setting
    _, initial, _ = in_training(s)
    before = counts()
    refused(
        sitting(client_for(s["evaluator"]), initial, day(3), "09:00", "10:00"),
        409,
        "Cette évaluation est clôturée : on ne peut plus y ajouter de séance.",
    )
    assert counts() == before


# --- results ------------------------------------------------------------------------------------------


def test_results_on_a_closed_evaluation(path_setting):
    s = path_setting
    _, initial, _ = in_training(s)
    before = counts()
    body = refused(
        results(
            client_for(s["evaluator"]),
            initial,
            [{"criterion": "1.1.1", "judgement": A, "revision": revision(initial, "1.1.1")}],
        ),
        409,
        "Cette évaluation est clôturée : ses résultats ne changent plus.",
    )
    assert body["field"] is None
    assert counts() == before


def test_correction_needs_a_reason_then_moves_the_dossier(path_setting):
    s = path_setting
    dossier, initial, _ = in_training(s)
    api = client_for(s["evaluator"])
    entries = [{"criterion": code, "judgement": A, "revision": revision(initial, code)} for code in sorted(GAPS)]
    before = counts()
    response = results(api, initial, entries, reason="")
    assert response.status_code == 400
    assert response.json() == invalid({"reason": ["Ce champ ne peut être vide."]})
    assert counts() == before
    response = results(api, initial, entries, reason="Erreur de saisie")
    assert response.status_code == 200, response.json()
    dossier.refresh_from_db()
    assert dossier.state == "ready_for_jury"
    assert dossier.events.filter(kind="correction", reason="Erreur de saisie").exists()


@pytest.mark.parametrize(
    ("codes", "reason"),
    [
        (["1.1.1", "9.9.9", "0.0"], "Critères inconnus dans ce référentiel : 0.0, 9.9.9."),
        (["1.1.1", "1.1.1"], "Un même critère apparaît deux fois dans l'enregistrement."),
    ],
    ids=["unknown-codes", "twice"],
)
def test_unknown_criterion_codes_in_results(path_setting, codes, reason):
    s = path_setting
    _, initial = in_initial(s)
    before = counts()
    refused(
        results(client_for(s["evaluator"]), initial, [{"criterion": c, "judgement": A} for c in codes]), 400, reason
    )
    assert counts() == before


def test_invalid_judgement_is_a_field_error(path_setting):
    s = path_setting
    _, initial = in_initial(s)
    response = results(
        client_for(s["evaluator"]),
        initial,
        [{"criterion": "1.1.1", "judgement": A}, {"criterion": "1.1.2", "judgement": "bof"}],
    )
    assert response.status_code == 400
    # French punctuation: non-breaking spaces inside the guillemets.
    assert response.json() == invalid(
        {"results": {"1": {"judgement": ["«\xa0bof\xa0» n'est pas un choix valide."]}}},
        field="results.1.judgement",
        detail="«\xa0bof\xa0» n'est pas un choix valide.",
    )
    assert not CriterionJudgement.objects.exists()


def test_stale_grid_save_is_refused_whole_and_shows_the_other_change(path_setting):
    s = path_setting
    _, initial = in_initial(s)
    seen = client_for(s["evaluator"]).get(f"/api/v1/evaluations/{initial.public_id}/grid/").json()
    assert {row["revision"] for row in seen["criteria"]} == {None}
    # A colleague records 1.1.1 in the meantime.
    first = results(
        client_for(s["colleague"]), initial, [{"criterion": "1.1.1", "judgement": N, "comment": "hésitant"}]
    )
    assert first.status_code == 200
    before = counts()
    body = refused(
        results(
            client_for(s["evaluator"]),
            initial,
            [
                {"criterion": "1.1.2", "judgement": A, "revision": None},
                {"criterion": "1.1.1", "judgement": A, "revision": None},
            ],
        ),
        409,
        "Quelqu'un d'autre a modifié entre-temps : 1.1.1.",
    )
    assert counts() == before
    [stale] = body["stale"]
    assert stale["criterion"] == "1.1.1"
    assert (stale["judgement"], stale["comment"], stale["by"]) == (N, "hésitant", str(s["colleague"]))
    assert stale["revision"] == revision(initial, "1.1.1") and stale["at"]
    # Saved again with the revision shown, it goes through.
    again = results(
        client_for(s["evaluator"]), initial, [{"criterion": "1.1.1", "judgement": A, "revision": stale["revision"]}]
    )
    assert again.status_code == 200, again.json()


def test_closing_with_unjudged_criteria(path_setting):
    s = path_setting
    _, initial = in_initial(s)
    before = counts()
    refused(
        client_for(s["evaluator"]).post(f"/api/v1/evaluations/{initial.public_id}/close/"),
        400,
        "Chaque critère doit être jugé acquis ou non acquis avant la clôture. Restent : 1.1.1, 1.1.2",
    )
    assert counts() == before


# --- the évaluation finale -----------------------------------------------------------------------------


def test_final_before_a_closed_initial(path_setting):
    s = path_setting
    dossier, _ = in_initial(s)
    before = counts()
    refused(
        client_for(s["evaluator"]).post(
            f"/api/v1/dossiers/{dossier.public_id}/evaluations/", {"kind": "final"}, format="json"
        ),
        409,
        "L'évaluation finale suit une évaluation préalable clôturée et un parcours de formation. "
        "(état actuel : Évaluation préalable.)",
    )
    assert counts() == before


def test_final_without_training_path(path_setting):
    s = path_setting
    dossier, _, _ = in_training(s, with_path=False)
    before = counts()
    refused(
        client_for(s["evaluator"]).post(
            f"/api/v1/dossiers/{dossier.public_id}/evaluations/", {"kind": "final"}, format="json"
        ),
        409,
        "Proposez d'abord un parcours de formation.",
    )
    assert counts() == before


def test_final_after_the_deadline(path_setting):
    s = path_setting
    dossier, _, _ = in_training(s)
    late = dossier.deadline + datetime.timedelta(days=1)
    before = counts()
    with time_machine.travel(
        datetime.datetime.combine(late, datetime.time(10), tzinfo=ZoneInfo("Europe/Paris")), tick=False
    ):
        response = client_for(s["colleague"]).post(
            f"/api/v1/dossiers/{dossier.public_id}/evaluations/", {"kind": "final"}, format="json"
        )
    refused(
        response,
        409,
        f"Le délai de 5 ans est dépassé depuis le {dossier.deadline:%d/%m/%Y} : une nouvelle "
        "évaluation préalable est nécessaire.",
    )
    assert counts() == before


@pytest.mark.parametrize(
    ("when", "status", "reason"),
    [
        ("after-deadline", 409, "Cette date dépasse la limite du parcours"),
        ("before-initial", 400, "L'évaluation finale ne peut pas précéder l'évaluation préalable."),
    ],
)
def test_final_sitting_outside_the_path(path_setting, when, status, reason):
    s = path_setting
    # Habilitated for good: the date refused must be the deadline, not the end of the habilitation.
    s["habilitation"].valid_until = None
    s["habilitation"].save()
    dossier, _, _ = in_training(s)
    final = evaluations.start_evaluation(
        dossier, kind="final", evaluator=s["colleague"], by=s["colleague"], today=today()
    )
    dossier.refresh_from_db()
    date = (
        dossier.deadline + datetime.timedelta(days=1)
        if when == "after-deadline"
        else today() - datetime.timedelta(days=1)
    )
    before = counts()
    refused(sitting(client_for(s["colleague"]), final, date.isoformat(), "09:00", "10:00"), status, reason)
    assert counts() == before


def test_final_results_outside_its_scope(path_setting):
    s = path_setting
    dossier, _, _ = in_training(s)
    final = evaluations.start_evaluation(
        dossier, kind="final", evaluator=s["colleague"], by=s["colleague"], today=today()
    )
    before = counts()
    refused(
        results(client_for(s["colleague"]), final, [{"criterion": "3.1.1", "judgement": N}]),
        400,
        "Critère(s) déjà acquis, hors de cette évaluation : 3.1.1. Ils restent acquis.",
    )
    assert counts() == before


# --- trainer and evaluator are different people -----------------------------------------------------------


def test_trainer_cannot_be_the_evaluator(path_setting):
    s = path_setting
    dossier, _, _ = in_training(s, with_path=False)
    # The evaluator of this candidate also trains at the training organisation.
    MembershipFactory(user=s["evaluator"], organisation=s["training_org"], role=Role.TRAINER)
    before = counts()
    refused(
        client_for(s["colleague"]).post(
            f"/api/v1/dossiers/{dossier.public_id}/training-paths/",
            {
                "training_organisation": str(s["training_org"].public_id),
                "trainer": str(s["evaluator"].public_id),
                "planned_hours": 40,
                "start_date": day(0),
                "end_date": day(30),
            },
            format="json",
        ),
        400,
        "Le formateur ne peut pas être l'évaluateur de ce candidat",
        "trainer",
    )
    assert counts() == before


def test_evaluator_cannot_be_the_trainer(path_setting):
    s = path_setting
    dossier, _, _ = in_training(s)
    # The candidate's trainer also evaluates at the evaluator organisation.
    MembershipFactory(user=s["trainer"], organisation=s["organisation"], role=Role.EVALUATOR)
    before = counts()
    refused(
        client_for(s["evaluator"]).post(
            f"/api/v1/dossiers/{dossier.public_id}/evaluations/",
            {"kind": "final", "evaluator": str(s["trainer"].public_id)},
            format="json",
        ),
        400,
        "Cette personne est formatrice de ce candidat : elle ne peut pas l'évaluer",
    )
    assert counts() == before


def test_evaluator_must_belong_to_the_holding_organisation(path_setting):
    s = path_setting
    dossier = open_with_services(s)
    before = counts()
    response = client_for(s["evaluator"]).post(
        f"/api/v1/dossiers/{dossier.public_id}/evaluations/",
        {"kind": "initial", "evaluator": str(s["outsider"].public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == invalid(
        {"evaluator": ["L'évaluateur doit être évaluateur ou administrateur de l'organisme qui suit le dossier."]}
    )
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "reason", "field"),
    [
        ({"targets": ["1.1.1", "X.9"]}, "Critère inconnu : X.9.", "targets"),
        ({"end_date": "2099-01-01"}, "Le parcours doit finir avant la limite des 5 ans", "end_date"),
        ({"planned_hours": 0}, "La durée prévue va de 1 à 2 000 heures.", "planned_hours"),
        (
            {"start_date": "2026-12-31", "end_date": "2026-12-01"},
            "La fin du parcours doit suivre son début.",
            "end_date",
        ),
    ],
    ids=["unknown-targets", "after-deadline", "hours", "dates"],
)
def test_bad_training_paths(path_setting, change, reason, field):
    s = path_setting
    dossier, _, _ = in_training(s, with_path=False)
    body = {
        "training_organisation": str(s["training_org"].public_id),
        "trainer": str(s["trainer"].public_id),
        "planned_hours": 40,
        "start_date": day(0),
        "end_date": day(30),
        **change,
    }
    before = counts()
    refused(
        client_for(s["evaluator"]).post(f"/api/v1/dossiers/{dossier.public_id}/training-paths/", body, format="json"),
        400,
        reason,
        field,
    )
    assert counts() == before


# --- opening a dossier ------------------------------------------------------------------------------------


def test_non_habilitated_organisation_cannot_open(path_setting):
    s = path_setting
    before = counts()
    refused(
        client_for(s["outsider"]).post("/api/v1/dossiers/", open_payload(s, evaluator=None), format="json"),
        400,
        "n'a pas d'habilitation CléA valable le",
    )
    assert counts() == before


def test_habilitation_outside_the_region_does_not_count(path_setting):
    s = path_setting
    from clea.geography.models import Region

    s["habilitation"].regions.set([Region.objects.get(code="11")])
    before = counts()
    refused(
        client_for(s["evaluator"]).post("/api/v1/dossiers/", open_payload(s), format="json"),
        400,
        "« Évaluateur A » n'a pas d'habilitation CléA valable le",
    )
    assert counts() == before


def test_duplicate_dossier_is_409_with_the_holder(path_setting):
    s = path_setting
    open_with_services(s)
    other = s["outsider"].memberships.get().organisation
    from tests.factories import HabilitationFactory

    HabilitationFactory(organisation=other, certification=s["clea"], valid_from=datetime.date(2026, 1, 1))
    before = counts()
    body = refused(
        client_for(s["outsider"]).post(
            "/api/v1/dossiers/",
            open_payload(s, evaluator=None, candidate=candidate_payload(birth_name="DURAND", first_names="lea")),
            format="json",
        ),
        409,
        "demandez le transfert de ce dossier",
    )
    assert body["existing_organisation"] == "Évaluateur A"
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "reason", "field"),
    [
        ({"consent": False}, "Le consentement du candidat est nécessaire pour ouvrir son dossier.", "consent"),
        ({"initiator": "prescriber"}, "Indiquez le type de prescripteur.", "prescriber_type"),
    ],
    ids=["no-consent", "no-prescriber-type"],
)
def test_open_refusals_from_the_service(path_setting, change, reason, field):
    s = path_setting
    before = counts()
    refused(
        client_for(s["evaluator"]).post("/api/v1/dossiers/", open_payload(s, **change), format="json"),
        400,
        reason,
        field,
    )
    assert counts() == before


def test_open_field_errors_in_french(path_setting):
    s = path_setting
    api = client_for(s["evaluator"])
    before = counts()
    response = api.post("/api/v1/dossiers/", {"consent": True}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["candidate"] == ["Ce champ est obligatoire."]
    assert response.json()["errors"]["certification"] == ["Ce champ est obligatoire."]
    bad = open_payload(
        s,
        certification="INCONNUE",
        employer="pas-un-uuid",
        evaluator="00000000-0000-0000-0000-000000000000",
        candidate=candidate_payload(birth_commune=None, birth_country=None, commune="99999", sex="X"),
    )
    errors = api.post("/api/v1/dossiers/", bad, format="json").json()["errors"]
    assert errors["certification"] == ["Certification inconnue : INCONNUE."]
    assert errors["employer"] == ["Identifiant invalide : un UUID est attendu."]
    assert errors["evaluator"] == ["Aucun élément ne correspond à l'identifiant 00000000-0000-0000-0000-000000000000."]
    assert errors["candidate"]["commune"] == ["Aucune commune n'a le code INSEE 99999."]
    assert errors["candidate"]["sex"] == ["«\xa0X\xa0» n'est pas un choix valide."]
    birthplace = api.post(
        "/api/v1/dossiers/", open_payload(s, candidate=candidate_payload(birth_commune=None)), format="json"
    ).json()
    assert birthplace["field"] == "candidate.birth_country"
    birthplace = birthplace["errors"]
    assert birthplace["candidate"] == {
        "birth_country": ["Indiquez la commune de naissance ou, si la personne est née hors de France, le pays."]
    }
    postcode = api.post(
        "/api/v1/dossiers/", open_payload(s, candidate=candidate_payload(postcode="75001")), format="json"
    ).json()["errors"]
    assert postcode["candidate"] == {"commune": ["Cette commune ne correspond pas au code postal."]}
    assert counts() == before


def test_form_data_is_refused(path_setting):
    s = path_setting
    response = client_for(s["evaluator"]).post("/api/v1/dossiers/", {"consent": "true"})
    assert response.status_code == 415


# --- transitions the state does not allow ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "endpoint", "body", "reason"),
    [
        (
            "information",
            "submit/",
            {},
            "Seul un dossier dont tous les domaines sont acquis peut être présenté au jury."
            " (état actuel : Information.)",
        ),
        (
            "information",
            "close/",
            {"reason": "x"},
            "Seul un dossier en formation ou en évaluation finale peut être clôturé ainsi.",
        ),
        (
            "initial",
            "meetings/",
            {"date": "2026-01-05", "outcome": "continues"},
            "La réunion d'information se tient avant l'évaluation préalable.",
        ),
        ("initial", "evaluations/", {"kind": "initial"}, "L'évaluation préalable a déjà commencé"),
        ("information", "training-paths/", None, "Un parcours de formation se propose après une évaluation"),
        (
            "submitted",
            "withdraw/",
            {"reason": "Déménagement"},
            "Ce dossier n'est plus entre les mains de l'organisme évaluateur. (état actuel : Présenté au jury.)",
        ),
    ],
    ids=[
        "submit-in-information",
        "close-in-information",
        "meeting-after-initial",
        "initial-twice",
        "training-before-evaluation",
        "withdraw-at-jury",
    ],
)
def test_transitions_refused_in_the_current_state(path_setting, step, endpoint, body, reason):
    s = path_setting
    if step == "information":
        dossier = open_with_services(s)
    elif step == "initial":
        dossier, _ = in_initial(s)
    else:
        dossier, _, _ = in_training(s)
        final = evaluations.start_evaluation(
            dossier, kind="final", evaluator=s["colleague"], by=s["colleague"], today=today()
        )
        evaluations.add_sitting(
            final,
            date=today() + datetime.timedelta(days=2),
            start=datetime.time(9),
            end=datetime.time(10),
            place="Rennes",
            by=s["colleague"],
        )
        evaluations.record_judgements(final, [evaluations.GridEntry(c, A) for c in GAPS], by=s["colleague"])
        evaluations.close_evaluation(final, by=s["colleague"])
        dossiers.submit_to_jury(dossier, by=s["evaluator"], summary="")
    if body is None:
        body = {
            "training_organisation": str(s["training_org"].public_id),
            "trainer": str(s["trainer"].public_id),
            "planned_hours": 40,
            "start_date": day(0),
            "end_date": day(30),
        }
    before = counts()
    refused(
        client_for(s["evaluator"]).post(f"/api/v1/dossiers/{dossier.public_id}/{endpoint}", body, format="json"),
        409,
        reason,
    )
    assert counts() == before


@pytest.mark.parametrize("endpoint", ["withdraw/", "close/"])
def test_withdraw_and_close_need_a_reason(path_setting, endpoint):
    s = path_setting
    dossier, _, _ = in_training(s)
    before = counts()
    refused(
        client_for(s["evaluator"]).post(
            f"/api/v1/dossiers/{dossier.public_id}/{endpoint}", {"reason": " "}, format="json"
        ),
        400,
        "Indiquez le motif",
        "reason",
    )
    assert counts() == before
    done = client_for(s["evaluator"]).post(
        f"/api/v1/dossiers/{dossier.public_id}/{endpoint}", {"reason": "Déménagement"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["state"] == {"withdraw/": "withdrawn", "close/": "closed"}[endpoint]
    assert done.json()["timeline"][-1]["reason"] == "Déménagement"


def test_meeting_in_the_future_and_declined_meeting(path_setting):
    s = path_setting
    dossier = open_with_services(s)
    api = client_for(s["evaluator"])
    before = counts()
    refused(
        api.post(
            f"/api/v1/dossiers/{dossier.public_id}/meetings/", {"date": day(1), "outcome": "continues"}, format="json"
        ),
        400,
        "La réunion d'information ne peut pas être datée dans le futur.",
        "date",
    )
    assert counts() == before
    declined = api.post(
        f"/api/v1/dossiers/{dossier.public_id}/meetings/", {"date": day(0), "outcome": "declines"}, format="json"
    )
    assert declined.status_code == 201
    assert Dossier.objects.get(pk=dossier.pk).state == "withdrawn"


def test_funding_line_amount_cannot_be_negative(path_setting):
    s = path_setting
    dossier = open_with_services(s)
    before = counts()
    response = client_for(s["evaluator"]).post(
        f"/api/v1/dossiers/{dossier.public_id}/funding-lines/",
        {
            "step": "evaluation",
            "scheme": "cpf",
            "funder": "CDC",
            "amount": "-1",
            "state": "payé",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == invalid(
        {
            "amount": ["Assurez-vous que cette valeur est supérieure ou égale à\xa00."],
            "state": ["«\xa0payé\xa0» n'est pas un choix valide."],
        }
    )
    assert counts() == before


# --- service bug found while writing the API (see the report) ----------------------------------------------


@pytest.mark.parametrize("write", ["sitting", "results"])
def test_open_evaluation_of_a_withdrawn_dossier_is_frozen(path_setting, write):
    s = path_setting
    dossier, initial = in_initial(s)
    dossiers.withdraw(dossier, reason="Déménagement", by=s["evaluator"])
    api = client_for(s["evaluator"])
    before = counts()
    if write == "sitting":
        response = sitting(api, initial, day(1), "09:00", "10:00")
    else:
        response = results(api, initial, [{"criterion": "1.1.1", "judgement": A}])
    assert response.status_code == 409
    assert counts() == before


# --- the handler itself ------------------------------------------------------------------------------------


def test_handler_shapes():
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from clea.api.errors import exception_handler
    from clea.lib.errors import Conflict, RuleViolation

    rule = exception_handler(RuleViolation("Motif.", field="date"), {})
    assert (rule.status_code, rule.data) == (400, {"detail": "Motif.", "field": "date"})
    conflict = exception_handler(Conflict("Déjà fait."), {})
    assert (conflict.status_code, conflict.data) == (409, {"detail": "Déjà fait.", "field": None})
    model = exception_handler(ValidationError({"birth_country": "Indiquez le pays."}), {})
    assert (model.status_code, model.data) == (400, invalid({"birth_country": ["Indiquez le pays."]}))
    missing = exception_handler(Http404("Dossier introuvable."), {})
    assert (missing.status_code, missing.data) == (404, {"detail": "Dossier introuvable."})


@pytest.mark.parametrize(
    ("errors", "field", "detail"),
    [
        ({"amount": ["Trop petit."], "state": ["Inconnu."]}, "amount", "Trop petit."),
        ({"candidate": {"postcode": ["Code postal invalide."]}}, "candidate.postcode", "Code postal invalide."),
        ({"results": [{}, {"judgement": ["Choix invalide."]}]}, "results[1].judgement", "Choix invalide."),
        ({"non_field_errors": ["Dates incohérentes."]}, None, "Dates incohérentes."),
        (["Corps invalide."], None, "Corps invalide."),
        ({}, None, "Données invalides."),
    ],
    ids=["flat", "nested", "list-of-objects", "non-field", "bare-list", "empty"],
)
def test_validation_body_points_at_the_first_error(errors, field, detail):
    from clea.api.errors import validation_body

    body = validation_body(errors)
    assert (body["field"], body["detail"]) == (field, detail)
    assert body["errors"] == (errors if isinstance(errors, dict) else {"non_field_errors": errors})
