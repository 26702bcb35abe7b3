"""Menu section of the quality app (the registry is ``clea.lib.navigation``). An audited organisation
reaches its audit from its home page's work queue and the e-mail, not from a menu it rarely needs."""

from clea.lib.navigation import section
from clea.quality.permissions import can_control


@section(86, "Contrôle qualité", "quality:signals")
def show_signals(user, current) -> bool:
    return can_control(user)
