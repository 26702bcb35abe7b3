from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "clea.certificates"
    verbose_name = "Certificats"
