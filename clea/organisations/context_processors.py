from clea.organisations.navigation import navigation_for


def current_organisation(request):
    current = getattr(request, "current", None)
    if current is None or not request.user.is_authenticated:
        return {"current": None, "navigation": navigation_for(request)}
    return {"current": current, "navigation": navigation_for(request)}
