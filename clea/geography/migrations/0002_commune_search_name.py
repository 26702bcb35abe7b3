from django.db import migrations, models

from clea.geography.names import fold


def fill(apps, schema_editor):
    """The communes already loaded get their search key (new loads compute it in loading.py)."""
    Commune = apps.get_model("geography", "Commune")
    communes = list(Commune.objects.only("code", "name"))
    for commune in communes:
        commune.search_name = fold(commune.name)
    Commune.objects.bulk_update(communes, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="commune",
            name="search_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=150),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
