"""AbsenceRequest moved to the absences app (same table): remove it from this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0003_absencerequest'),
        ('absences', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='AbsenceRequest')],
        ),
    ]
