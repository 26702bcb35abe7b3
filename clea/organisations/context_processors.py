from clea.lib.navigation import menu


def current_organisation(request):
    current = getattr(request, "current", None)
    if current is None or not request.user.is_authenticated:
        return {"current": None, "navigation": menu(request)}
    return {"current": current, "navigation": menu(request)}
