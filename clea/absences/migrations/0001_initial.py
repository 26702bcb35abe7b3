"""AbsenceRequest moves from funding to its own app; its table stays ``funding_absencerequest`` (state only)."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dossiers', '0006_move_referral_to_referrals'),
        ('funding', '0003_absencerequest'),
        ('organisations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AbsenceRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='identifiant public')),
                        ('requested_on', models.DateField(verbose_name='demande reçue le')),
                        ('start_date', models.DateField(verbose_name='début de la formation')),
                        ('end_date', models.DateField(verbose_name='fin de la formation')),
                        ('hours', models.PositiveIntegerField(verbose_name='heures sur le temps de travail')),
                        ('latest_request_date', models.DateField(verbose_name='date limite de la demande')),
                        ('answer_due', models.DateField(db_index=True, verbose_name='réponse attendue au plus tard le')),
                        ('request_late', models.BooleanField(default=False, verbose_name='demande hors délai')),
                        ('status', models.CharField(choices=[('pending', 'En attente de réponse'), ('accepted', 'Acceptée'), ('refused', 'Refusée'), ('other_dates', "Acceptée à d'autres dates"), ('tacitly_accepted', 'Acceptée sans réponse (30 jours)')], default='pending', max_length=20, verbose_name='état')),
                        ('answered_at', models.DateTimeField(blank=True, null=True)),
                        ('refusal_reason', models.TextField(blank=True, verbose_name='motif du refus')),
                        ('other_start_date', models.DateField(blank=True, null=True, verbose_name='autres dates : début')),
                        ('other_end_date', models.DateField(blank=True, null=True, verbose_name='autres dates : fin')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='absence_requests', to='dossiers.dossier')),
                        ('employer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='absence_requests', to='organisations.organisation')),
                    ],
                    options={
                        'db_table': 'funding_absencerequest',
                        'verbose_name': "demande d'autorisation d'absence",
                        'ordering': ['-requested_on', '-pk'],
                        'indexes': [models.Index(fields=['employer', 'status'], name='funding_abs_employe_2c681d_idx'), models.Index(fields=['status', 'answer_due'], name='funding_abs_status_94edbf_idx')],
                    },
                ),
            ],
        ),
    ]
