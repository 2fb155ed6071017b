from django.http import HttpRequest

from kaifaqu.core.navigation import NAVIGATION, NavSection


def navigation(request: HttpRequest) -> dict[str, tuple[NavSection, ...]]:
    return {"navigation": NAVIGATION}
