"""Referral moved to the referrals app (same table): remove it from this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0005_alter_dossierevent_kind'),
        ('referrals', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='Referral')],
        ),
    ]
