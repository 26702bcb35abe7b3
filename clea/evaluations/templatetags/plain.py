from django import template

from clea.evaluations.plain import plain_domain as plain_name

register = template.Library()


@register.filter
def plain_domain(domain, certification_code: str) -> str:
    """``{{ domain|plain_domain:dossier.certification.code }}``: a domain of an assessment, in plain words."""
    return plain_name(certification_code, domain.spec.code, domain.spec.title)
