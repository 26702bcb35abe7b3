"""What the audit trail follows (settings ``AUDITLOG_INCLUDE_TRACKING_MODELS``) and how it is shown."""

# The holder's identity and the certificate's verification code stay out of the trail: the certificate's
# number names it, and the identity is already kept (minimally) on the certificate itself.
CERTIFICATE_UNTRACKED = [
    "holder_birth_name",
    "holder_usage_name",
    "holder_first_names",
    "holder_birth_date",
    "holder_sex",
    "holder_birth_commune_code",
    "holder_birth_place",
    "holder_birth_country",
    "holder_birth_country_code",
    "verification_code",
    "cpf_technical_id",
]

TRACKED_MODELS = (
    "organisations.Organisation",
    {"model": "organisations.Habilitation", "m2m_fields": {"regions"}},
    "organisations.Suspension",
    "organisations.HabilitatedEstablishment",
    "organisations.Membership",
    "campaigns.Campaign",
    {"model": "campaigns.Application", "m2m_fields": {"regions"}},
    "campaigns.ApplicationDocument",
    "quality.Audit",
    {"model": "quality.AuditedOrganisation", "exclude_fields": ["signals"]},
    "referentiel.RuleProfile",
    "referentiel.ReferentielVersion",
    {"model": "certificates.Certificate", "exclude_fields": CERTIFICATE_UNTRACKED},
    {"model": "certificates.CpfSettings", "exclude_fields": ["updated_at", "updated_by"]},
    "certificates.CpfCertificationCode",
)

OBJECT_TYPES = {
    "organisation": "Organisation",
    "habilitation": "Habilitation",
    "suspension": "Suspension d'habilitation",
    "habilitatedestablishment": "Établissement habilité",
    "campaign": "Campagne d'habilitation",
    "application": "Candidature à l'habilitation",
    "applicationdocument": "Pièce d'une candidature",
    "audit": "Audit qualité",
    "auditedorganisation": "Organisme audité",
    "membership": "Appartenance à une organisation",
    "ruleprofile": "Profil de règles",
    "referentielversion": "Version de référentiel",
    "certificate": "Certificat",
    "cpfsettings": "Paramètres CPF",
    "cpfcertificationcode": "Code de certification au répertoire",
}
