"""Demonstration data: organisations in several real regions and one account per role.

Deterministic (seeded Faker) and idempotent: a second run finds everything and creates nothing.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from faker import Faker

from clea.accounts.models import User
from clea.geography.models import Commune, Region
from clea.lib.siret import with_check_digit
from clea.organisations.models import (
    Habilitation,
    Membership,
    Organisation,
    OrganisationKind,
    PrescriberType,
    Role,
)
from clea.referentiel.models import Certification

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

    @property
    def created(self) -> int:
        return self.organisations + self.users + self.memberships + self.habilitations


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
    return report
