"""Response headers Django has no setting for, and the browser's address behind the proxy."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Permissions-Policy (settings.PERMISSIONS_POLICY): the camera for evidence photos, nothing a page never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def client_ip(request) -> str | None:
    """The browser's address: nginx's X-Real-IP when BEHIND_PROXY (nginx overwrites it), else the peer's.

    django-axes keys its lockout with it (AXES_CLIENT_IP_CALLABLE); behind nginx every peer is 127.0.0.1."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
