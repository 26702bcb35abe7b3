"""API v1: the candidate's whole path through the API alone, visibility (404), permissions (403), list queries."""

import datetime
import functools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from clea.dossiers import services as dossiers
from clea.dossiers.deadlines import add_years
from clea.dossiers.models import Candidate, Dossier, DossierEvent, InformationMeeting, TransferRequest
from clea.evaluations import services as evaluations
from clea.evaluations.models import CriterionJudgement, Evaluation, Sitting
from clea.funding.models import FundingLine
from clea.organisations.models import Role
from clea.referentiel.models import Criterion
from clea.training import services as training
from clea.training.models import ProgressNote, TrainingPath
from tests.api.auth import token_for
from tests.conftest import candidate_data
from tests.factories import HabilitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db
A, N = "acquired", "not_acquired"
GAPS = {"1.1.1", "1.1.2", "2.4.1"}


def today():
    return timezone.localdate()


def day(offset: int) -> str:
    return (today() + datetime.timedelta(days=offset)).isoformat()


@functools.cache
def _handler():
    return APIClient().handler


def client_for(user, *, organisation=None) -> APIClient:
    """A token-authenticated client. Clients share one request handler: building the middleware chain
    (WhiteNoise indexes every static file) costs more than the requests of a test."""
    client = APIClient()
    client.handler = _handler()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user, organisation=organisation)}")
    return client


def candidate_payload(**overrides) -> dict:
    data = {
        "birth_name": "Durand",
        "usage_name": "",
        "first_names": "Léa Marie",
        "sex": "F",
        "birth_date": "1990-05-17",
        "birth_commune": "35238",
        "birth_country": None,
        "address_line1": "3 rue des Lilas",
        "address_line2": "",
        "postcode": "35000",
        "commune": "35238",
        "email": "lea.durand@exemple.fr",
        "phone": "0601020304",
    }
    data.update(overrides)
    return data


def open_payload(s, **overrides) -> dict:
    data = {
        "certification": "CLEA",
        "candidate": candidate_payload(),
        "candidate_status": "employee",
        "initiator": "self",
        "employer": str(s["employer"].public_id),
        "consent": True,
        "evaluator": str(s["evaluator"].public_id),
    }
    data.update(overrides)
    return data


def all_codes(version) -> list[str]:
    return list(Criterion.objects.filter(version=version).values_list("code", flat=True))


def counts() -> dict[str, int]:
    """Row counts of everything a path writes, to prove that a refusal wrote nothing."""
    models = [
        Candidate,
        Dossier,
        DossierEvent,
        InformationMeeting,
        Evaluation,
        Sitting,
        CriterionJudgement,
        TrainingPath,
        ProgressNote,
        FundingLine,
        TransferRequest,
    ]
    snapshot = {model.__name__: model.objects.count() for model in models}
    snapshot["states"] = sorted(Dossier.objects.values_list("public_id", "state", "deadline", "evaluator_organisation"))
    snapshot["closed"] = sorted(Evaluation.objects.values_list("pk", "closed_at"))
    return snapshot


def results_from_grid(grid: dict, judgements: dict[str, str]) -> list[dict]:
    rows = {row["criterion"]: row for row in grid["criteria"]}
    return [
        {"criterion": code, "judgement": j, "comment": "", "revision": rows[code]["revision"]}
        for code, j in judgements.items()
    ]


# --- a dossier brought to a given step through the services (fast set-up for the refusal tests) ----------


def open_with_services(s, **overrides):
    params = dict(
        organisation=s["organisation"],
        certification=s["clea"],
        candidate=candidate_data(s["rennes"]),
        candidate_status="employee",
        initiator="self",
        employer=s["employer"],
        consent=True,
        evaluator=s["evaluator"],
        by=s["evaluator"],
        today=today(),
    )
    params.update(overrides)
    return dossiers.open_dossier(**params)


def grid_entries(evaluation, judgements):
    revisions = evaluations.current_revisions(evaluation)
    criteria = {c.code: c for c in evaluation.scope.all()}
    return [
        evaluations.GridEntry(code, j, base_revision=getattr(revisions.get(criteria[code].pk), "pk", None))
        for code, j in judgements.items()
    ]


def in_initial(s, **overrides):
    """A dossier with an open préalable and one sitting today 09:00–12:00."""
    dossier = open_with_services(s, **overrides)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=today()
    )
    evaluations.add_sitting(
        initial, date=today(), start=datetime.time(9), end=datetime.time(12), place="Rennes", by=s["evaluator"]
    )
    return dossier, initial


def in_training(s, *, with_path=True, **overrides):
    """Préalable closed with GAPS missing (deadline = today + 5 years), and a training path."""
    dossier, initial = in_initial(s, **overrides)
    codes = all_codes(dossier.referentiel_version)
    evaluations.record_judgements(
        initial, grid_entries(initial, {c: (N if c in GAPS else A) for c in codes}), by=s["evaluator"]
    )
    evaluations.close_evaluation(initial, by=s["evaluator"])
    path = None
    if with_path:
        path = training.propose_training_path(
            dossier,
            training_organisation=s["training_org"],
            trainer=s["trainer"],
            planned_hours=40,
            start_date=today(),
            end_date=today() + datetime.timedelta(days=60),
            target_codes=[],
            by=s["evaluator"],
        )
    dossier.refresh_from_db()
    return dossier, initial, path


# --- the whole path through the API alone ----------------------------------------------------------------


def test_whole_path_through_the_api(path_setting):
    s = path_setting
    api = client_for(s["evaluator"])

    response = api.post("/api/v1/dossiers/", open_payload(s), format="json")
    assert response.status_code == 201, response.json()
    dossier = response.json()
    url = f"/api/v1/dossiers/{dossier['id']}/"
    assert dossier["state"] == "information" and dossier["deadline"] is None
    assert dossier["candidate"]["full_name"] == "Léa DURAND"
    assert dossier["candidate"]["commune"] == {"code": "35238", "name": "Rennes"}

    meeting = api.post(url + "meetings/", {"date": day(0), "outcome": "continues"}, format="json")
    assert meeting.status_code == 201, meeting.json()
    assert meeting.json()["adviser"]["id"] == str(s["evaluator"].public_id)

    initial = api.post(url + "evaluations/", {"kind": "initial"}, format="json")
    assert initial.status_code == 201, initial.json()
    initial_id = initial.json()["id"]
    assert api.get(url).json()["state"] == "initial_assessment"
    for offset, start, end in [(0, "09:00", "12:00"), (1, "09:00", "13:00")]:
        sitting = api.post(
            f"/api/v1/evaluations/{initial_id}/sittings/",
            {"date": day(offset), "start": start, "end": end, "place": "Rennes"},
            format="json",
        )
        assert sitting.status_code == 201, sitting.json()

    grid = api.get(f"/api/v1/evaluations/{initial_id}/grid/").json()
    assert len(grid["criteria"]) == 106
    assert {row["judgement"] for row in grid["criteria"]} == {None}
    assert grid["criteria"][0] | {"title": ""} == {
        "criterion": "1.1.1",
        "title": "",
        "domain": "1",
        "subdomain": "1.1",
        "weight": 1,
        "mandatory": False,
        "read_only": False,
        "judgement": None,
        "comment": "",
        "revision": None,
        "by": None,
        "at": None,
    }
    judgements = {row["criterion"]: (N if row["criterion"] in GAPS else A) for row in grid["criteria"]}
    saved = api.put(
        f"/api/v1/evaluations/{initial_id}/results/", {"results": results_from_grid(grid, judgements)}, format="json"
    )
    assert saved.status_code == 200, saved.json()
    assert all(row["revision"] for row in saved.json()["criteria"])

    closed = api.post(f"/api/v1/evaluations/{initial_id}/close/")
    assert closed.status_code == 200, closed.json()
    closed = closed.json()
    deadline = add_years(today() + datetime.timedelta(days=1), 5)
    assert closed["state"] == "training"
    assert closed["initial_assessment_date"] == day(1)
    assert closed["deadline"] == deadline.isoformat()
    assert closed["assessment"]["eligible"] is False
    assert set(closed["assessment"]["missing_criteria"]) == GAPS
    domains = {d["code"]: d for d in closed["assessment"]["domains"]}
    assert domains["1"]["acquired"] is False
    assert [sub["code"] for sub in domains["1"]["missing_subdomains"]] == ["1.1"]

    path = api.post(
        url + "training-paths/",
        {
            "training_organisation": str(s["training_org"].public_id),
            "trainer": str(s["trainer"].public_id),
            "planned_hours": 40,
            "start_date": day(0),
            "end_date": day(60),
            "targets": ["3.1.1"],
        },
        format="json",
    )
    assert path.status_code == 201, path.json()
    assert set(path.json()["targets"]) == GAPS | {"3.1.1"}
    progress = client_for(s["trainer"]).post(
        f"/api/v1/training-paths/{path.json()['id']}/progress/",
        {"date": day(0), "hours_done": 6, "note": "Calcul : fractions"},
        format="json",
    )
    assert progress.status_code == 201, progress.json()
    funding = api.post(
        url + "funding-lines/",
        {"step": "training", "scheme": "cpf", "funder": "Caisse des dépôts", "amount": "840.00"},
        format="json",
    )
    assert funding.status_code == 201, funding.json()
    assert funding.json()["state"] == "planned"

    final = api.post(url + "evaluations/", {"kind": "final", "evaluator": str(s["colleague"].public_id)}, format="json")
    assert final.status_code == 201, final.json()
    final_id = final.json()["id"]
    sitting = api.post(
        f"/api/v1/evaluations/{final_id}/sittings/",
        {"date": day(90), "start": "09:00", "end": "12:00", "place": "Rennes"},
        format="json",
    )
    assert sitting.status_code == 201, sitting.json()
    final_grid = api.get(f"/api/v1/evaluations/{final_id}/grid/").json()
    editable = {row["criterion"] for row in final_grid["criteria"] if not row["read_only"]}
    assert editable == GAPS
    assert {row["judgement"] for row in final_grid["criteria"] if row["read_only"]} == {A}
    saved = api.put(
        f"/api/v1/evaluations/{final_id}/results/",
        {"results": results_from_grid(final_grid, dict.fromkeys(GAPS, A))},
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    closed = api.post(f"/api/v1/evaluations/{final_id}/close/").json()
    assert closed["state"] == "ready_for_jury"
    assert closed["assessment"]["eligible"] is True and closed["assessment"]["points"] == 106

    submitted = api.post(url + "submit/", {"summary": "Tous les domaines sont acquis."}, format="json")
    assert submitted.status_code == 200, submitted.json()
    detail = submitted.json()
    assert detail["state"] == "awaiting_jury"
    assert detail["state_label"] == "Présenté au jury"
    assert detail["deadline"] == deadline.isoformat()
    kinds = [event["kind"] for event in detail["timeline"]]
    assert kinds == [
        "opened",
        "employer",  # named at opening: the candidate involves the bakery
        "meeting",
        "initial_started",
        "sitting",
        "sitting",
        "initial_closed",
        "training_proposed",
        "training_progress",
        "funding",
        "final_started",
        "sitting",
        "final_closed",
        "submitted",
    ]
    assert all(event["by"] and event["at"] and event["summary"] for event in detail["timeline"])
    assert detail["timeline"][-1]["reason"] == "Tous les domaines sont acquis."
    assert [(e["kind"], len(e["sittings"]), bool(e["closed_at"])) for e in detail["evaluations"]] == [
        ("initial", 2, True),
        ("final", 1, True),
    ]
    assert detail["evaluations"][0]["total_minutes"] == 420
    assert detail["training_paths"][0]["progress_notes"][0]["hours_done"] == 6
    assert detail["funding_lines"][0]["amount"] == "840.00"
    assert detail["assessment"]["eligible"] is True and detail["assessment"]["missing_criteria"] == []


def test_detail_shows_the_engine_result_and_timeline(path_setting, django_assert_max_num_queries):
    s = path_setting
    dossier, _, _ = in_training(s)
    with django_assert_max_num_queries(25):
        data = client_for(s["colleague"]).get(f"/api/v1/dossiers/{dossier.public_id}/").json()
    assert data["state"] == "training" and data["state_label"] == "Parcours de formation"
    assert data["candidate"]["birth_date"] == "1990-05-17"
    assessment = data["assessment"]
    assert (assessment["eligible"], assessment["points"], assessment["total"]) == (False, 103, 106)
    assert set(assessment["missing_criteria"]) == GAPS
    assert assessment["explanation"][0].startswith("Règles appliquées")
    timeline = data["timeline"][0]
    assert timeline["kind"] == "opened" and timeline["label"] == "Dossier ouvert"
    assert timeline["by"]["id"] == str(s["evaluator"].public_id)
    assert timeline["organisation"]["name"] == "Évaluateur A"


# --- list: filters and a constant number of queries ----------------------------------------------------


def test_list_filters(path_setting):
    s = path_setting
    training_dossier, _, _ = in_training(s)
    other = open_with_services(
        s, candidate=candidate_data(s["rennes"], birth_name="Martin", first_names="Paul"), evaluator=s["colleague"]
    )
    api = client_for(s["evaluator"])

    def ids(query=""):
        response = api.get(f"/api/v1/dossiers/{query}")
        assert response.status_code == 200, response.json()
        return {item["id"] for item in response.json()["results"]}

    both = {str(training_dossier.public_id), str(other.public_id)}
    assert ids() == both
    assert ids("?state=training") == {str(training_dossier.public_id)}
    assert ids("?certification=CLEA") == both
    assert ids("?certification=CLEA_NUMERIQUE") == set()
    assert ids(f"?evaluator={s['colleague'].public_id}") == {str(other.public_id)}
    deadline = training_dossier.deadline
    assert ids(f"?deadline_before={deadline.isoformat()}") == {str(training_dossier.public_id)}
    assert ids(f"?deadline_before={(deadline - datetime.timedelta(days=1)).isoformat()}") == set()

    def search(**body):
        response = api.post("/api/v1/dossiers/search/", body, format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    assert {i["id"] for i in search(q="mart")["results"]} == {str(other.public_id)}
    assert {i["id"] for i in search(q="léa durand")["results"]} == {str(training_dossier.public_id)}
    assert {i["id"] for i in search(q="durand", state="information")["results"]} == set()
    item = search(q="martin")["results"][0]
    assert item["candidate"]["full_name"] == "Paul MARTIN" and item["state_label"] == "Information"
    bad = api.get("/api/v1/dossiers/?state=inconnu&deadline_before=hier")
    assert bad.status_code == 400
    assert bad.json()["errors"]["state"] == ["Sélectionnez un choix valide. inconnu n’en fait pas partie."]
    assert bad.json()["errors"]["deadline_before"] == ["Saisissez une date valide."]
    # Other organisations' dossiers are not listed; the trainer sees the dossier of their path only.
    assert client_for(s["outsider"]).get("/api/v1/dossiers/").json()["count"] == 0
    assert {i["id"] for i in client_for(s["trainer"]).get("/api/v1/dossiers/").json()["results"]} == {
        str(training_dossier.public_id)
    }


def test_list_query_count_is_constant(path_setting):
    s = path_setting
    api = client_for(s["evaluator"])

    def list_queries():
        with CaptureQueriesContext(connection) as context:
            response = api.get("/api/v1/dossiers/")
        assert response.status_code == 200
        return len(context.captured_queries), response.json()["count"]

    open_with_services(s, candidate=candidate_data(s["rennes"], birth_name="Nom0"))
    one = list_queries()
    for n in range(1, 10):
        open_with_services(s, candidate=candidate_data(s["rennes"], birth_name=f"Nom{n}"), evaluator=None)
    ten = list_queries()
    assert one[1] == 1 and ten[1] == 10
    assert one[0] == ten[0]
    assert ten[0] <= 5


# --- visibility and permissions ------------------------------------------------------------------------


@pytest.fixture
def world(path_setting):
    """A dossier in training (closed préalable, a path) with a pending transfer request from another
    evaluator organisation."""
    s = path_setting
    dossier, initial, path = in_training(s)
    requester = MembershipFactory(organisation=s["outsider"].memberships.get().organisation, role=Role.EVALUATOR).user
    HabilitationFactory(
        organisation=requester.memberships.get().organisation,
        certification=s["clea"],
        valid_from=datetime.date(2026, 1, 1),
    )
    transfer = dossiers.request_transfer(
        organisation=requester.memberships.get().organisation,
        certification=s["clea"],
        candidate_identity=candidate_data(s["rennes"]),
        reason="Déménagement",
        by=requester,
    )
    return {**s, "dossier": dossier, "evaluation": initial, "path": path, "transfer": transfer, "requester": requester}


ENDPOINTS = [
    ("get", "/api/v1/dossiers/{dossier}/"),
    ("post", "/api/v1/dossiers/{dossier}/meetings/"),
    ("post", "/api/v1/dossiers/{dossier}/evaluations/"),
    ("post", "/api/v1/dossiers/{dossier}/training-paths/"),
    ("post", "/api/v1/dossiers/{dossier}/funding-lines/"),
    ("post", "/api/v1/dossiers/{dossier}/submit/"),
    ("post", "/api/v1/dossiers/{dossier}/withdraw/"),
    ("post", "/api/v1/dossiers/{dossier}/close/"),
    ("post", "/api/v1/evaluations/{evaluation}/sittings/"),
    ("get", "/api/v1/evaluations/{evaluation}/grid/"),
    ("put", "/api/v1/evaluations/{evaluation}/results/"),
    ("post", "/api/v1/evaluations/{evaluation}/corrections/"),
    ("post", "/api/v1/evaluations/{evaluation}/close/"),
    ("post", "/api/v1/training-paths/{path}/progress/"),
    ("post", "/api/v1/transfer-requests/{transfer}/answer/"),
]
WRITES = [(method, url) for method, url in ENDPOINTS if method != "get"]

# Bodies that would be accepted: a refusal cannot come from the input.
BODIES = {
    "meetings": {"date": "2026-01-05", "outcome": "continues"},
    "evaluations": {"kind": "final"},
    "funding-lines": {"step": "training", "scheme": "cpf", "funder": "OPCO", "amount": "10.00"},
    "submit": {"summary": ""},
    "withdraw": {"reason": "Raison"},
    "close": {"reason": "Raison"},
    "sittings": {"date": "2026-01-05", "start": "09:00", "end": "10:00", "place": "Rennes"},
    "results": {"results": [{"criterion": "1.1.1", "judgement": "acquired"}]},
    "corrections": {"results": [{"criterion": "1.1.1", "judgement": "acquired"}], "reason": "Erreur"},
    "progress": {"date": "2026-01-05", "hours_done": 1, "note": "Bien"},
    "answer": {"accept": True, "reason": ""},
}


def call(client, method, template, w):
    url = template.format(
        dossier=w["dossier"].public_id,
        evaluation=w["evaluation"].public_id,
        path=w["path"].public_id,
        transfer=w["transfer"].public_id,
    )
    segment = url.rstrip("/").rsplit("/", 1)[-1]
    body = BODIES.get(segment, {})
    if segment == "training-paths":
        body = {
            "training_organisation": str(w["training_org"].public_id),
            "trainer": str(w["trainer"].public_id),
            "planned_hours": 10,
            "start_date": "2026-01-05",
            "end_date": "2026-02-05",
        }
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize(("method", "template"), ENDPOINTS, ids=[f"{m} {u}" for m, u in ENDPOINTS])
def test_invisible_objects_are_404(world, method, template):
    before = counts()
    # Another evaluator organisation (even the one asking for the transfer), a prescriber, a jury member.
    for who in ["outsider", "requester", "prescriber", "jury_member"]:
        response = call(client_for(world[who]), method, template, world)
        assert response.status_code == 404, (who, response.json())
        assert response.json()["detail"].endswith("introuvable."), who
    assert counts() == before


@pytest.mark.parametrize(("method", "template"), ENDPOINTS, ids=[f"{m} {u}" for m, u in ENDPOINTS])
def test_anonymous_is_401(world, method, template):
    response = call(client_for(None), method, template, world)
    assert response.status_code == 401
    assert response.json()["detail"] == "Informations d'authentification non fournies."


@pytest.mark.parametrize(
    ("method", "template"),
    [w for w in WRITES if "progress" not in w[1]],
    ids=[u for m, u in WRITES if "progress" not in u],
)
def test_trainer_and_certifier_may_read_but_not_write(world, method, template):
    before = counts()
    for who in ["trainer", "certifier"]:
        client = client_for(world[who])
        assert client.get(f"/api/v1/dossiers/{world['dossier'].public_id}/").status_code == 200
        assert client.get(f"/api/v1/evaluations/{world['evaluation'].public_id}/grid/").status_code == 200
        response = call(client, method, template, world)
        assert response.status_code == 403, (who, response.json())
        assert response.json()["detail"] in (
            "Seuls les évaluateurs et administrateurs de l'organisme qui suit ce dossier peuvent le modifier.",
            "Seul l'organisme qui suit le dossier répond à une demande de transfert.",
        )
    assert counts() == before


@pytest.mark.parametrize("who", ["evaluator", "certifier"])
def test_only_the_training_side_records_progress(world, who):
    before = counts()
    response = call(client_for(world[who]), "post", "/api/v1/training-paths/{path}/progress/", world)
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Seuls le formateur du parcours et son organisme de formation notent l'avancement."
    )
    assert counts() == before
    assert (
        call(client_for(world["trainer"]), "post", "/api/v1/training-paths/{path}/progress/", world).status_code == 201
    )


@pytest.mark.parametrize("who", ["prescriber", "trainer", "jury_member", "certifier"])
@pytest.mark.parametrize("url", ["/api/v1/dossiers/", "/api/v1/transfer-requests/"])
def test_only_evaluator_organisations_open_or_take_over_dossiers(path_setting, who, url):
    s = path_setting
    identity = {"birth_name": "Durand", "first_names": "Léa", "birth_date": "1990-05-17"}
    body = (
        open_payload(s)
        if url == "/api/v1/dossiers/"
        else {
            "certification": "CLEA",
            "candidate": identity,
            "reason": "Déménagement",
        }
    )
    before = counts()
    response = client_for(s[who]).post(url, body, format="json")
    assert response.status_code == 403
    assert "organisme évaluateur" in response.json()["detail"]
    assert counts() == before


def test_acting_for_an_organisation_of_someone_else_is_403(path_setting):
    s = path_setting
    other = s["outsider"].memberships.get().organisation
    before = counts()
    response = client_for(s["evaluator"]).post(
        "/api/v1/dossiers/", open_payload(s, organisation=str(other.public_id)), format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Vous n'agissez pas pour cet organisme."
    assert counts() == before


def test_user_with_two_organisations_chooses_the_acting_one(path_setting):
    """In a browser session the user acts for either organisation; a token acts for its own alone."""
    s = path_setting
    other = s["outsider"].memberships.get().organisation
    MembershipFactory(user=s["evaluator"], organisation=other, role=Role.EVALUATOR)
    HabilitationFactory(organisation=other, certification=s["clea"], valid_from=datetime.date(2026, 1, 1))
    for organisation in (other, s["organisation"]):
        payload = open_payload(
            s,
            organisation=str(organisation.public_id),
            evaluator=None,
            candidate=candidate_payload(birth_name=f"Nom {organisation.pk}"),
        )
        session = APIClient()
        session.force_login(s["evaluator"])
        response = session.post("/api/v1/dossiers/", payload, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["evaluator_organisation"]["id"] == str(organisation.public_id)
    payload = open_payload(s, organisation=str(other.public_id), evaluator=None, candidate=candidate_payload())
    refused = client_for(s["evaluator"]).post("/api/v1/dossiers/", payload, format="json")  # token: first org
    assert refused.status_code == 403 and "pour cet organisme" in refused.json()["detail"]


# --- transfer --------------------------------------------------------------------------------------------


def test_transfer_request_and_answer(world):
    w = world
    holder = client_for(w["org_admin"])
    detail = holder.get(f"/api/v1/dossiers/{w['dossier'].public_id}/").json()
    pending = detail["transfer_requests"][0]
    assert pending["id"] == str(w["transfer"].public_id) and pending["status"] == "pending"
    refused = holder.post(f"/api/v1/transfer-requests/{pending['id']}/answer/", {"accept": False}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Indiquez le motif du refus.", "field": "reason"}
    accepted = holder.post(f"/api/v1/transfer-requests/{pending['id']}/answer/", {"accept": True}, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    # The dossier now belongs to the requester, with its history; the former holder no longer sees it.
    taken = client_for(w["requester"]).get(f"/api/v1/dossiers/{w['dossier'].public_id}/")
    assert taken.status_code == 200
    assert taken.json()["timeline"][-1]["kind"] == "transferred"
    assert holder.get(f"/api/v1/dossiers/{w['dossier'].public_id}/").status_code == 404
    again = client_for(w["requester"]).post(
        f"/api/v1/transfer-requests/{pending['id']}/answer/", {"accept": True}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["detail"] == "Cette demande de transfert a déjà reçu une réponse."


def test_transfer_request_through_the_api(path_setting):
    s = path_setting
    dossier = open_with_services(s)
    other = s["outsider"].memberships.get().organisation
    body = {
        "certification": "CLEA",
        "candidate": {"birth_name": "DURAND", "first_names": "lea", "birth_date": "1990-05-17"},
        "reason": "Déménagement",
    }
    response = client_for(s["outsider"]).post("/api/v1/transfer-requests/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["dossier"] == str(dossier.public_id)
    assert response.json()["to_organisation"]["id"] == str(other.public_id)
    assert response.json()["from_organisation"]["name"] == "Évaluateur A"
    before = counts()
    twice = client_for(s["outsider"]).post("/api/v1/transfer-requests/", body, format="json")
    assert twice.status_code == 409
    assert twice.json()["detail"] == "Une demande de transfert de ce dossier vers votre organisme est déjà en attente."
    unknown = client_for(s["outsider"]).post(
        "/api/v1/transfer-requests/",
        {**body, "candidate": {**body["candidate"], "birth_name": "Personne"}},
        format="json",
    )
    assert unknown.status_code == 400
    assert unknown.json()["detail"] == "Aucun dossier ouvert ne correspond à cette personne."
    assert counts() == before


# --- schema ----------------------------------------------------------------------------------------------


def test_schema_documents_the_path(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operations = {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}
    for operation_id in [
        "dossiers_list",
        "dossiers_create",
        "dossiers_retrieve",
        "dossiers_meetings_create",
        "dossiers_evaluations_create",
        "evaluations_sittings_create",
        "evaluations_grid_retrieve",
        "evaluations_results_update",
        "evaluations_corrections_create",
        "evaluations_close",
        "dossiers_training_paths_create",
        "training_paths_progress_create",
        "dossiers_funding_lines_create",
        "dossiers_submit",
        "dossiers_withdraw",
        "dossiers_close",
        "transfer_requests_create",
        "transfer_requests_answer",
    ]:
        assert operations[operation_id]["summary"]
    assert "409" in operations["evaluations_results_update"]["responses"]
    assert {p["name"] for p in operations["dossiers_list"]["parameters"]} >= {
        "state",
        "certification",
        "evaluator",
        "deadline_before",
        "page",
    }
    assert "q" not in {p["name"] for p in operations["dossiers_list"]["parameters"]}
    assert "dossiers_search" in operations
