from django import forms

from clea.certificates import codes
from clea.certificates.models import MailingStatus
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
