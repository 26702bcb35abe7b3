import django.db.models.deletion
from django.db import migrations, models

from clea.geography.countries import codes_by_name
from clea.geography.names import fold


def match(apps, schema_editor):
    """Each typed country becomes the official one when its name matches; the others stay as typed,
    to be picked by someone who knows (nothing is thrown away)."""
    Country = apps.get_model("geography", "Country")
    Candidate = apps.get_model("dossiers", "Candidate")
    by_name = codes_by_name(Country.objects.order_by("code"))
    typed = Candidate.objects.exclude(birth_country_declared="").values_list("birth_country_declared", flat=True)
    for value in set(typed):
        code = by_name.get(fold(value))
        if code:
            Candidate.objects.filter(birth_country_declared=value).update(
                birth_country_id=code, birth_country_declared=""
            )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0012_candidate_commune_nullable"),
        ("geography", "0003_country"),
    ]

    operations = [
        migrations.RenameField("candidate", "birth_country", "birth_country_declared"),
        migrations.AlterField(
            model_name="candidate",
            name="birth_country_declared",
            field=models.CharField(
                blank=True, editable=False, max_length=100, verbose_name="pays déclaré (à préciser)"
            ),
        ),
        migrations.AddField(
            model_name="candidate",
            name="birth_country",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geography.country",
                verbose_name="pays de naissance (si né hors de France)",
            ),
        ),
        migrations.RunPython(match, migrations.RunPython.noop),
    ]
