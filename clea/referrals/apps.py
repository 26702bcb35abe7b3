from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "clea.referrals"
    verbose_name = "Orientations"

    def ready(self) -> None:
        from clea.dossiers.extensions import provide_opening_source
        from clea.referrals.opening import referral_opening

        provide_opening_source(referral_opening)
