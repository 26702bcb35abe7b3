from django.utils.functional import SimpleLazyObject

from clea.organisations.current import resolve_current


class CurrentOrganisationMiddleware:
    """Sets ``request.current``; computed on first use so public pages cost no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current = SimpleLazyObject(lambda: resolve_current(request))
        return self.get_response(request)
