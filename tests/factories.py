"""factory-boy factories for the models; structure helpers build small référentiels in tests."""

import datetime
import itertools

import factory
from factory.django import DjangoModelFactory

from clea.accounts.models import User
from clea.lib.siret import with_check_digit
from clea.organisations.models import Habilitation, Membership, Organisation, OrganisationKind, Role
from clea.referentiel.models import Certification

_siret_numbers = itertools.count(1)


def next_siret() -> str:
    return with_check_digit(f"{next(_siret_numbers):013d}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("mot-de-passe-de-test")


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("code",)

    code = "CLEA"
    name = "CléA"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.EVALUATOR
    siret = factory.LazyFunction(next_siret)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.EVALUATOR


class HabilitationFactory(DjangoModelFactory):
    class Meta:
        model = Habilitation

    organisation = factory.SubFactory(OrganisationFactory)
    certification = factory.SubFactory(CertificationFactory)
    valid_from = datetime.date(2025, 1, 1)
    valid_until = datetime.date(2027, 12, 31)


def member(kind: str, role: str, organisation: Organisation | None = None, **org_extra) -> User:
    """A user with one role in an organisation of the given kind (created unless given)."""
    if organisation is None:
        organisation = OrganisationFactory(kind=kind, **org_extra)
    return MembershipFactory(organisation=organisation, role=role).user


def pdf_upload(name: str = "piece.pdf", body: bytes = b"%PDF-1.4\n% test\n%%EOF\n"):
    """A small uploaded PDF (its first bytes are what the platform checks)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, body, content_type="application/pdf")
