"""The admin pages of the packages SILABU uses (accounts, groups, sign-in lockouts, background tasks), made to
follow SILABU's rule: every change through a service with its audit row (kinerja.accounts), or none at all.

Django's own ModelAdmins are replaced here (this app comes after them in INSTALLED_APPS).
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.http import HttpResponseRedirect
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from kinerja import accounts
from kinerja.admin_base import READ_ONLY, SERVICE, ReadOnlyMixin
from kinerja.errors import DomainError

from . import policy


class _Refusals:
    """A service's refusal (DomainError) as the admin's error message; nothing is saved."""

    def _refused(self, request, error):
        self.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            return self._refused(request, error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            return self._refused(request, error)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one row at a time, through its own delete page
        return actions


def _m2m_of(form, names) -> dict:
    """The form's new values of its many-to-many fields (the admin saves them after the row)."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


admin.site.unregister(User)
admin.site.unregister(Group)
for _model in (AccessAttempt, AccessLog, AccessFailureLog, DBTaskResult):
    admin.site.unregister(_model)


@admin.register(User)
class SilabuUserAdmin(_Refusals, UserAdmin):
    """Accounts through kinerja.accounts: audited; only a superuser grants staff or superuser status and
    permissions; a satker's staff account sees only its own satker's people."""

    WRITES = SERVICE

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        satker_id = policy.admin_satker_id(request.user)
        return qs.filter(pegawai__satker_id=satker_id) if satker_id is not None else qs.none()

    def has_add_permission(self, request):
        return request.user.is_superuser  # a satker's people get their accounts from the staff import

    def save_model(self, request, obj, form, change):
        accounts.akun_save(
            account=obj,
            changed=list(form.changed_data),
            created=not change,
            by=request.user,
            m2m=_m2m_of(form, ("groups", "user_permissions")),
        )

    def delete_model(self, request, obj):
        accounts.akun_delete(account=obj, by=request.user)

    def user_change_password(self, request, id, form_url=""):
        account = self.get_object(request, id)
        if account is not None:
            try:
                accounts.check_may_change_account(account=account, by=request.user)
            except DomainError as error:
                return self._refused(request, error)
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                accounts.akun_set_password(account=User.objects.get(pk=id), by=request.user)
        return response


@admin.register(Group)
class SilabuGroupAdmin(_Refusals, GroupAdmin):
    WRITES = SERVICE

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        accounts.grup_save(
            group=obj,
            changed=list(form.changed_data),
            created=not change,
            by=request.user,
            m2m=_m2m_of(form, ("permissions",)),
        )

    def delete_model(self, request, obj):
        accounts.grup_delete(group=obj, by=request.user)


@admin.register(AccessAttempt)
class SilabuAccessAttemptAdmin(_Refusals, AccessAttemptAdmin):
    """A lockout is looked at, and lifted (deleted) by a superuser through kinerja.accounts.akses_unlock."""

    WRITES = SERVICE
    actions = []  # axes' "clean up expired attempts" deletes without an audit row

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        accounts.akses_unlock(attempt=obj, by=request.user)


@admin.register(AccessLog)
class SilabuAccessLogAdmin(ReadOnlyMixin, AccessLogAdmin):
    """The sign-in trail: nobody edits or deletes it here."""


@admin.register(AccessFailureLog)
class SilabuAccessFailureLogAdmin(ReadOnlyMixin, AccessFailureLogAdmin):
    """The failed sign-ins: nobody edits or deletes them here."""


@admin.register(DBTaskResult)
class SilabuDBTaskResultAdmin(ReadOnlyMixin, DBTaskResultAdmin):
    """Background tasks, as the worker ran them: to look at."""

    WRITES = READ_ONLY
