"""Menu sections of the certificates app (the registry is ``clea.lib.navigation``): the views' own predicate."""

from clea.certificates.permissions import can_manage_certificates
from clea.lib.navigation import section


@section(40, "Certificats", "certificates:list")
def show_certificates(user, current) -> bool:
    return can_manage_certificates(user)
