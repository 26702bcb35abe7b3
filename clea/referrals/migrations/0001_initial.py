"""Referral moves from dossiers to its own app; its table stays ``dossiers_referral`` (state only)."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dossiers', '0005_alter_dossierevent_kind'),
        ('organisations', '0001_initial'),
        ('referentiel', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Referral',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='identifiant public')),
                        ('birth_name', models.CharField(max_length=150, verbose_name='nom de naissance')),
                        ('first_names', models.CharField(max_length=200, verbose_name='prénoms')),
                        ('birth_date', models.DateField(verbose_name='date de naissance')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('phone', models.CharField(blank=True, max_length=20, verbose_name='téléphone')),
                        ('candidate_status', models.CharField(choices=[('employee', 'Salarié'), ('job_seeker', "Demandeur d'emploi"), ('young_mission_locale', 'Jeune suivi par une Mission locale')], max_length=30, verbose_name='situation')),
                        ('note', models.TextField(blank=True, verbose_name="message à l'organisme")),
                        ('consent_at', models.DateTimeField(verbose_name='consentement recueilli le')),
                        ('share_results', models.BooleanField(default=False, verbose_name='la personne accepte que le prescripteur voie ses résultats')),
                        ('status', models.CharField(choices=[('sent', 'Envoyée'), ('accepted', 'Acceptée : dossier ouvert'), ('declined', 'Déclinée')], default='sent', max_length=10)),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                        ('answered_at', models.DateTimeField(blank=True, null=True)),
                        ('decline_reason', models.TextField(blank=True, verbose_name='motif')),
                        ('adviser', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('certification', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='referentiel.certification')),
                        ('dossier', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referral', to='dossiers.dossier')),
                        ('evaluator_organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals_received', to='organisations.organisation')),
                        ('prescriber', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals_sent', to='organisations.organisation')),
                    ],
                    options={
                        'db_table': 'dossiers_referral',
                        'verbose_name': 'orientation',
                        'ordering': ['-sent_at', '-pk'],
                        'indexes': [models.Index(fields=['evaluator_organisation', 'status'], name='dossiers_re_evaluat_d9dc53_idx'), models.Index(fields=['prescriber', '-sent_at'], name='dossiers_re_prescri_cdc86f_idx')],
                    },
                ),
            ],
        ),
    ]
