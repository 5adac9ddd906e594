"""Who sees the service's status: the deployment's operators (Django staff) and each satker's Admin."""

from kinerja.models import Role
from silabu import policy


@policy.rule("view_ops")
def can_view_ops(user) -> bool:
    return bool(getattr(user, "is_staff", False)) or policy.has_role(user, Role.ADMIN)


def sees_every_satker(user) -> bool:
    """Operators see every satker's stuck documents; a satker's Admin sees their own."""
    return bool(getattr(user, "is_staff", False))
