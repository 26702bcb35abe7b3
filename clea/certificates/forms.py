from django import forms
from django.core.validators import RegexValidator

from clea.certificates import codes, cpf
from clea.certificates.models import DepositorNature, MailingStatus, RegistryType
from clea.referentiel.models import Certification

STATUS_CHOICES = [("", "Tous"), ("valid", "Valides"), ("revoked", "Retirés")]


class CertificateFilterForm(forms.Form):
    """Filters in the query string: none of them carries a name."""

    number = forms.CharField(label="Numéro", required=False, max_length=40)
    certification = forms.ModelChoiceField(
        label="Certification",
        queryset=Certification.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="Toutes",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    year = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2999)
    status = forms.ChoiceField(
        label="Statut", choices=STATUS_CHOICES, required=False, widget=forms.Select(attrs={"class": "fr-select"})
    )
    mailing = forms.ChoiceField(
        label="Courrier",
        choices=[("", "Tous"), ("none", "Pas encore envoyé"), *MailingStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Motif", widget=forms.Textarea(attrs={"rows": 3, "class": "fr-input"}), max_length=2000
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Motif du retour",
        help_text="Par exemple : destinataire inconnu à l'adresse (NPAI), refusé, non réclamé.",
        max_length=255,
    )


class BatchForm(forms.Form):
    certification = forms.ModelChoiceField(
        label="Certification",
        queryset=Certification.objects.order_by("name"),
        required=False,
        empty_label="Toutes",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    size = forms.IntegerField(
        label="Nombre de courriers",
        help_text="Les certificats les plus anciens d'abord ; 500 au plus par lot.",
        min_value=1,
        max_value=500,
        initial=100,
    )


class AckImportForm(forms.Form):
    file = forms.FileField(
        label="Accusé de traitement (XML)",
        help_text="Le fichier reçu après le dépôt d'une déclaration.",
        widget=forms.ClearableFileInput(attrs={"class": "fr-upload", "accept": ".xml,application/xml,text/xml"}),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        help_text="Imprimé sous le QR code du certificat, par exemple ABCD-EFGH-JKMN-PQRS-TVWX.",
        max_length=codes.MAX_INPUT,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        code = codes.normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError("Saisissez le code imprimé sur le certificat.")
        return code


NO_SPACE = "Sans espace : recopiez l'identifiant tel que la Caisse des Dépôts l'a donné."


def client_id_field(label: str, help_text: str) -> forms.CharField:
    """An idClient: the format's rule is ``cpf.CLIENT_ID`` (exactly 8 characters, no space)."""
    return forms.CharField(
        label=label,
        max_length=8,
        help_text=help_text,
        validators=[RegexValidator(cpf.CLIENT_ID, "L'identifiant client compte exactement 8 caractères, sans espace.")],
    )


class CpfSettingsForm(forms.Form):
    """The certifier's Caisse des Dépôts identifiers, then one registry code per certification."""

    sender_client_id = client_id_field(
        "Identifiant client de l'émetteur", "8 caractères, donnés par la Caisse des Dépôts."
    )
    certifier_client_id = client_id_field(
        "Identifiant client du certificateur",
        "8 caractères ; le même que l'émetteur quand le certificateur dépose lui-même.",
    )
    contract_id = forms.CharField(label="Numéro de contrat (idContrat)", max_length=20)
    depositor_nature = forms.ChoiceField(
        label="Nature du déposant", choices=DepositorNature.choices, widget=forms.Select(attrs={"class": "fr-select"})
    )

    def __init__(self, *args, certifications, **kwargs):
        super().__init__(*args, **kwargs)
        self.certifications = list(certifications)
        for certification in self.certifications:
            self.fields[f"type_{certification.pk}"] = forms.ChoiceField(
                label=f"Répertoire — {certification}",
                choices=RegistryType.choices,
                widget=forms.Select(attrs={"class": "fr-select"}),
            )
            self.fields[f"code_{certification.pk}"] = forms.CharField(
                label=f"Code au répertoire — {certification}",
                max_length=100,
                help_text="Par exemple le numéro de la fiche au répertoire spécifique.",
            )

    def clean_contract_id(self):
        value = self.cleaned_data["contract_id"]
        if " " in value:
            raise forms.ValidationError(NO_SPACE)
        return value

    def settings_values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("sender_client_id", "certifier_client_id", "contract_id", "depositor_nature")
        }

    def registry(self) -> dict:
        return {
            c: (self.cleaned_data[f"type_{c.pk}"], self.cleaned_data[f"code_{c.pk}"].strip())
            for c in self.certifications
        }
