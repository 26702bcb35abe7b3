"""Demonstration data: organisations in several real regions and one account per role.

Deterministic (seeded Faker) and idempotent: a second run finds everything and creates nothing.
"""

import base64
import datetime
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from clea.accounts import second_factor
from clea.accounts.models import User
from clea.campaigns import services as campaigns
from clea.campaigns.models import Campaign
from clea.certificates.models import CpfCertificationCode, CpfSettings
from clea.dossiers.services import open_dossier, submit_to_jury
from clea.evaluations.services import GridEntry, add_sitting, close_evaluation, record_judgements, start_evaluation
from clea.geography.models import Commune, Region
from clea.lib.siret import with_check_digit
from clea.meetings.models import SlotKind
from clea.meetings.services import submit_request
from clea.meetings.slots import book, publish_slot
from clea.organisations.models import (
    Habilitation,
    Membership,
    Organisation,
    OrganisationKind,
    PrescriberType,
    Role,
)
from clea.quality import audits, signals
from clea.quality.models import Audit, AuditedDossier
from clea.referentiel.models import Certification
from clea.training.services import propose_training_path

DEMO_PASSWORD = "clea-demo-2026"  # noqa: S105 (documented demo password, DEBUG only)
SEED = 2026

# (region code, commune INSEE code, postcode): real places from the official geography.
PLACES = [
    ("53", "35238", "35000"),  # Rennes, Bretagne
    ("11", "75056", "75011"),  # Paris, Île-de-France
    ("84", "69123", "69003"),  # Lyon, Auvergne-Rhône-Alpes
    ("32", "59350", "59000"),  # Lille, Hauts-de-France
    ("04", "97411", "97400"),  # Saint-Denis, La Réunion
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str
    organisation: str
    description: str


@dataclass
class DemoReport:
    organisations: int = 0
    users: int = 0
    memberships: int = 0
    habilitations: int = 0
    dossiers: int = 0

    @property
    def created(self) -> int:
        return self.organisations + self.users + self.memberships + self.habilitations + self.dossiers


CERTIFIER = "Certif'Pro (démonstration)"
EVALUATOR = "Organisme évaluateur Bretagne Compétences"
EVALUATOR_2 = "Organisme évaluateur Île-de-France Avenir"
TRAINING = "Centre de formation Les Savoirs de base"
PRESCRIBER = "France Travail — agence de Rennes (démonstration)"
EMPLOYER = "Boulangeries de l'Ouest (démonstration)"
JURY = "Transitions Pro Bretagne (démonstration)"

ACCOUNTS = [
    DemoAccount(
        "certificateur@demo.clea.fr",
        "Claire",
        "Martin",
        Role.CERTIFIER_OFFICER,
        CERTIFIER,
        "chargée de certification (référentiels, habilitations)",
    ),
    DemoAccount(
        "admin-evaluateur@demo.clea.fr",
        "Karim",
        "Benali",
        Role.ADMIN,
        EVALUATOR,
        "administrateur d'un organisme évaluateur",
    ),
    DemoAccount("evaluateur@demo.clea.fr", "Sophie", "Le Goff", Role.EVALUATOR, EVALUATOR, "évaluatrice"),
    DemoAccount(
        "evaluateur2@demo.clea.fr", "Thomas", "Moreau", Role.EVALUATOR, EVALUATOR_2, "évaluateur d'un autre organisme"
    ),
    DemoAccount("formateur@demo.clea.fr", "Julie", "Lefèvre", Role.TRAINER, TRAINING, "formatrice"),
    DemoAccount("prescripteur@demo.clea.fr", "Nadia", "Haddad", Role.ADVISER, PRESCRIBER, "conseillère France Travail"),
    DemoAccount("employeur@demo.clea.fr", "Pierre", "Guillou", Role.EMPLOYER_CONTACT, EMPLOYER, "référent employeur"),
    DemoAccount("jury@demo.clea.fr", "Anne", "Kerhervé", Role.JURY_ORGANISER, JURY, "organisatrice de jurys"),
    DemoAccount("membre-jury@demo.clea.fr", "Marc", "Rolland", Role.JURY_MEMBER, JURY, "membre de jury"),
]
STAFF_ACCOUNT = DemoAccount(
    "admin@demo.clea.fr", "Admin", "Technique", "", "", "administration technique Django (/admin/)"
)


def _siret(rng: random.Random) -> str:
    return with_check_digit("".join(str(rng.randint(0, 9)) for _ in range(13)))


def _organisation(report, rng, fake, *, name, kind, place, prescriber_type="") -> Organisation:
    _region, commune_code, postcode = place
    # Draw every random value before looking up, so each run consumes the generators alike.
    values = {
        "siret": _siret(rng),
        "address_line1": fake.street_address(),
        "email": f"contact@{fake.domain_word()}.example",
        "phone": fake.phone_number(),
    }
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=name,
            kind=kind,
            prescriber_type=prescriber_type,
            postcode=postcode,
            commune=Commune.objects.get(code=commune_code),
            **values,
        )
        report.organisations += 1
    return organisation


def _user(report, account: DemoAccount, **extra) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User.objects.create_user(
            email=account.email,
            password=DEMO_PASSWORD,
            first_name=account.first_name,
            last_name=account.last_name,
            **extra,
        )
        report.users += 1
    return user


# The demo's sensitive accounts share one published authenticator key (README): a newcomer adds it to an
# application, or reads the current code with ``manage.py demo_code``. Demo data never loads without DEBUG.
DEMO_TOTP_KEY = b"clea-demo-2fa-2026!!".hex()


def demo_totp_secret() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")


def _enrol_demo_second_factor() -> None:
    for user in User.objects.filter(email__endswith="@demo.clea.fr"):
        if second_factor.required_for(user) and not second_factor.is_enrolled(user):
            TOTPDevice.objects.create(user=user, name=second_factor.APP_DEVICE, key=DEMO_TOTP_KEY, confirmed=True)


def _habilitate(report, organisation, certification, region_code, valid_from) -> None:
    habilitation, created = Habilitation.objects.get_or_create(
        organisation=organisation,
        certification=certification,
        valid_from=valid_from,
        defaults={"valid_until": valid_from + datetime.timedelta(days=3 * 365)},
    )
    if created:
        habilitation.regions.set([Region.objects.get(code=region_code)])
        report.habilitations += 1


@transaction.atomic
def load_demo(today: datetime.date) -> DemoReport:
    report = DemoReport()
    rng = random.Random(SEED)
    fake = Faker("fr_FR")
    fake.seed_instance(SEED)
    clea = Certification.objects.get(code="CLEA")
    numerique = Certification.objects.get(code="CLEA_NUMERIQUE")
    start = datetime.date(today.year - 1, 1, 1)

    rennes, paris, lyon, lille, reunion = PLACES
    named = {
        CERTIFIER: _organisation(report, rng, fake, name=CERTIFIER, kind=OrganisationKind.CERTIFIER, place=paris),
        EVALUATOR: _organisation(report, rng, fake, name=EVALUATOR, kind=OrganisationKind.EVALUATOR, place=rennes),
        EVALUATOR_2: _organisation(report, rng, fake, name=EVALUATOR_2, kind=OrganisationKind.EVALUATOR, place=paris),
        TRAINING: _organisation(report, rng, fake, name=TRAINING, kind=OrganisationKind.TRAINING, place=rennes),
        PRESCRIBER: _organisation(
            report,
            rng,
            fake,
            name=PRESCRIBER,
            kind=OrganisationKind.PRESCRIBER,
            place=rennes,
            prescriber_type=PrescriberType.FRANCE_TRAVAIL,
        ),
        EMPLOYER: _organisation(report, rng, fake, name=EMPLOYER, kind=OrganisationKind.EMPLOYER, place=rennes),
        JURY: _organisation(report, rng, fake, name=JURY, kind=OrganisationKind.JURY_ORGANISER, place=rennes),
    }
    _habilitate(report, named[EVALUATOR], clea, "53", start)
    _habilitate(report, named[EVALUATOR], numerique, "53", start)
    _habilitate(report, named[EVALUATOR_2], clea, "11", start)
    # Demo identifiers at the Caisse des Dépôts: a real certifier enters its own in « Paramètres CPF ».
    CpfSettings.objects.get_or_create(
        pk=1,
        defaults={"sender_client_id": "DEMO0001", "certifier_client_id": "DEMO0001", "contract_id": "DEMO-CONTRAT"},
    )
    for certification in (clea, numerique):
        CpfCertificationCode.objects.get_or_create(
            certification=certification, defaults={"registry_code": f"DEMO-{certification.code}"}
        )

    # More evaluator and training organisations in other regions, and prescribers of each type.
    for place in (lyon, lille, reunion):
        city = Commune.objects.get(code=place[1]).name
        evaluator = _organisation(
            report,
            rng,
            fake,
            name=f"Organisme évaluateur {city} — {fake.company()}",
            kind=OrganisationKind.EVALUATOR,
            place=place,
        )
        _habilitate(report, evaluator, clea, place[0], start)
        _organisation(
            report,
            rng,
            fake,
            name=f"Organisme de formation {city} — {fake.company()}",
            kind=OrganisationKind.TRAINING,
            place=place,
        )
        _organisation(
            report, rng, fake, name=f"Employeur {city} — {fake.company()}", kind=OrganisationKind.EMPLOYER, place=place
        )
    for index, prescriber_type in enumerate(PrescriberType):
        place = PLACES[index % len(PLACES)]
        _organisation(
            report,
            rng,
            fake,
            name=f"{prescriber_type.label} — {fake.city()} (démonstration)",
            kind=OrganisationKind.PRESCRIBER,
            place=place,
            prescriber_type=prescriber_type,
        )

    for account in ACCOUNTS:
        user = _user(report, account)
        _, created = Membership.objects.get_or_create(
            user=user, organisation=named[account.organisation], role=account.role
        )
        report.memberships += int(created)
    # The evaluator organisation's administrator also evaluates; the certifier officer is admin too.
    for email, organisation, role in [
        ("admin-evaluateur@demo.clea.fr", EVALUATOR, Role.EVALUATOR),
        ("certificateur@demo.clea.fr", CERTIFIER, Role.ADMIN),
    ]:
        _, created = Membership.objects.get_or_create(
            user=User.objects.get(email=email), organisation=named[organisation], role=role
        )
        report.memberships += int(created)
    _user(report, STAFF_ACCOUNT, is_staff=True, is_superuser=True)
    _enrol_demo_second_factor()
    if not named[EVALUATOR].dossiers.exists():
        report.dossiers = _demo_dossiers(named, clea, fake, today)
    if not Campaign.objects.exists():
        _demo_campaign(named, numerique, today)
    if not Audit.objects.exists():
        _demo_audit(named, clea, today)
    if not named[EVALUATOR].meeting_requests.exists():
        requests = [
            submit_request(
                organisation=named[EVALUATOR],
                certification=clea,
                first_name=first_name,
                last_name=last_name,
                email="" if contact else f"{first_name.lower()}.{last_name.lower()}@exemple.fr",
                phone=contact,
                preferred_times="En fin de journée",
                consent=True,
                today=today,
            )
            for first_name, last_name, contact in (("Karim", "Benali", "0601020304"), ("Julie", "Morel", ""))
        ]
        _demo_meeting_slots(named[EVALUATOR], clea, requests, today)
    return report


# The smallest PDF a viewer opens: the demo's pieces are placeholders, not real Kbis.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _demo_campaign(named, numerique, today: datetime.date) -> None:
    """An open CléA numérique campaign; the Breton evaluator organisation renews with its two pieces."""
    certifier = User.objects.get(email="certificateur@demo.clea.fr")
    admin = User.objects.get(email="admin-evaluateur@demo.clea.fr")
    campaign = campaigns.open_campaign(
        certification=numerique,
        title=f"Campagne d'habilitation CléA numérique {today.year + 1}",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
        habilitation_from=datetime.date(today.year + 1, 4, 1),
        habilitation_until=datetime.date(today.year + 6, 3, 31),
        documents=["Extrait Kbis de moins de trois mois", "Attestation Qualiopi", "Liste des évaluateurs"],
        admits_training=True,
        application_fee_cents=30_000,
        establishment_fee_cents=15_000,
        by=certifier,
    )
    evaluator = named[EVALUATOR]
    application = campaigns.start_application(campaign, evaluator, by=admin, today=today)
    campaigns.set_regions(application, [Region.objects.get(code="53")], by=admin)
    if not application.establishments.exists():
        campaigns.add_establishment(application, siret=evaluator.siret, name="Siège de Rennes", by=admin)
    for piece in campaign.required_documents.all():
        upload = SimpleUploadedFile(f"{piece.label}.pdf", DEMO_PDF, content_type="application/pdf")
        campaigns.upload_document(application, required=piece, upload=upload, by=admin)
    campaigns.submit(application, by=admin, today=today)


def _demo_audit(named, clea, today: datetime.date) -> None:
    """A quality audit of the Breton evaluator organisation's préalables; one drawn dossier is justified."""
    certifier = User.objects.get(email="certificateur@demo.clea.fr")
    evaluator = User.objects.get(email="evaluateur@demo.clea.fr")
    opened = audits.open_audit(
        certification=clea,
        title=f"Audit qualité {today.year}",
        period=signals.Period(today - datetime.timedelta(days=365), today),
        rate_percent=50,
        minimum=1,
        maximum=20,
        seed=today.year,
        answer_by=today + datetime.timedelta(days=30),
        organisations=[named[EVALUATOR]],
        by=certifier,
        today=today,
    )
    first = AuditedDossier.objects.filter(audited__audit=opened.audit).order_by("pk").first()
    if first is not None:
        upload = SimpleUploadedFile("emargement.pdf", DEMO_PDF, content_type="application/pdf")
        audits.answer_dossier(first, comment="Feuille d'émargement signée jointe.", upload=upload, by=evaluator)


def _demo_meeting_slots(organisation, certification, requests, today: datetime.date) -> None:
    """A collective meeting in three days (Karim booked by the organisation, Julie by herself from her
    link) and an individual one at a distance, still free."""
    evaluator = User.objects.get(email="evaluateur@demo.clea.fr")
    tz = timezone.get_current_timezone()
    place = f"{organisation.address_line1}, {organisation.postcode}".strip(", ") or "Salle de réunion, rez-de-chaussée"
    collective = publish_slot(
        organisation=organisation,
        starts_at=datetime.datetime.combine(today + datetime.timedelta(days=3), datetime.time(14), tzinfo=tz),
        duration_minutes=90,
        kind=SlotKind.COLLECTIVE,
        capacity=8,
        remote=False,
        place=place,
        link="",
        certification=None,
        by=evaluator,
    )
    publish_slot(
        organisation=organisation,
        starts_at=datetime.datetime.combine(today + datetime.timedelta(days=5), datetime.time(10), tzinfo=tz),
        duration_minutes=45,
        kind=SlotKind.INDIVIDUAL,
        capacity=1,
        remote=True,
        place="",
        link="https://visio.exemple.fr/clea-information",
        certification=certification,
        by=evaluator,
    )
    karim, julie = requests
    book(karim, collective, by=evaluator)
    book(julie, collective, by=None)


def _demo_dossiers(named, certification, fake, today: datetime.date) -> int:
    """Dossiers at several steps of the path, written through the real services."""
    evaluator = User.objects.get(email="evaluateur@demo.clea.fr")
    trainer = User.objects.get(email="formateur@demo.clea.fr")
    rennes = Commune.objects.get(code="35238")
    plans = [("information", ()), ("training", ("1.4.5", "1.4.6", "2.3.6", "2.5.3")), ("ready", ()), ("jury", ())]
    for index, (step, gaps) in enumerate(plans):
        sex = "F" if index % 2 else "M"
        dossier = open_dossier(
            organisation=named[EVALUATOR],
            certification=certification,
            candidate={
                "birth_name": fake.last_name(),
                "first_names": fake.first_name_female() if sex == "F" else fake.first_name_male(),
                "sex": sex,
                "birth_date": fake.date_of_birth(minimum_age=20, maximum_age=60),
                "birth_commune": rennes,
                "address_line1": fake.street_address(),
                "postcode": "35000",
                "commune": rennes,
                "email": f"candidat{index}@demo.clea.fr",
            },
            candidate_status="employee" if index % 2 else "job_seeker",
            initiator="self",
            employer=named[EMPLOYER] if index % 2 else None,
            consent=True,
            evaluator=evaluator,
            by=evaluator,
            today=today,
        )
        if step == "information":
            continue
        day = today - datetime.timedelta(days=30 + index)
        evaluation = start_evaluation(dossier, kind="initial", evaluator=evaluator, by=evaluator, today=day)
        add_sitting(
            evaluation, date=day, start=datetime.time(9), end=datetime.time(12, 30), place="Rennes", by=evaluator
        )
        record_judgements(
            evaluation,
            [GridEntry(c.code, "not_acquired" if c.code in gaps else "acquired") for c in evaluation.scope.all()],
            by=evaluator,
        )
        close_evaluation(evaluation, by=evaluator)
        if step == "training":
            propose_training_path(
                dossier,
                training_organisation=named[TRAINING],
                trainer=trainer,
                planned_hours=42,
                start_date=today,
                end_date=today + datetime.timedelta(days=120),
                target_codes=[],
                by=evaluator,
            )
        if step == "jury":
            submit_to_jury(dossier, by=evaluator, summary="Tous les domaines acquis dès l'évaluation préalable.")
    return len(plans)
