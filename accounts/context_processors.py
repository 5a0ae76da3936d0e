from django.http import HttpRequest


def current_memberships(request: HttpRequest) -> dict:
    """The signed-in user's organisations, for the navigation bar (lazy: no query unless used)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_memberships": []}
    return {"my_memberships": user.memberships.select_related("organisation")}
