"""What every ModelAdmin of SILABU is built from: each says how a change through the Django admin is made.

- `ReadOnlyMixin` (WRITES = READ_ONLY): to look at; nobody adds, changes or deletes the rows there.
- `ServiceAdmin` (WRITES = SERVICE): every add, change and delete calls the model's service function (its
  guard, month lock and audit row); a refusal (DomainError) comes back as the admin's error message and nothing
  is saved. Bulk deletion is off: each row is deleted through its service on its own page.

A satker's own staff account (is_staff with model permissions, not a superuser) sees and changes only its own
satker (`silabu.policy.can_administer_satker`): the lists, the choices of every foreign key, and the saves.
tests/kinerja/test_admin_paths.py walks the registry and fails for an admin that declares neither.
"""

from django.contrib import admin, messages
from django.db import models, transaction
from django.http import HttpResponseRedirect

from silabu import policy

from .errors import DomainError
from .models import Satker

READ_ONLY = "read-only"
SERVICE = "service"


class ReadOnlyMixin:
    """To look at, not to edit: the model changes only through its services."""

    WRITES = READ_ONLY

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _satker_id_along(obj, path: str) -> int | None:
    """Follow `path` ("pegawai__satker") from obj to the satker's id, without loading the satker."""
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None) if last != "pk" else obj.pk


class SatkerScopedAdmin(admin.ModelAdmin):
    """A list narrowed to the staff account's satker; the foreign keys it offers are of that satker too."""

    satker_path = "satker"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        satker_id = policy.admin_satker_id(request.user)
        if satker_id is None:
            return qs.none()
        return qs.filter(**{self.satker_path: satker_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            satker_id = policy.admin_satker_id(request.user)
            related = db_field.related_model
            if related is Satker:
                field.queryset = field.queryset.filter(pk=satker_id)
            elif any(f.name == "satker" for f in related._meta.get_fields()):
                field.queryset = field.queryset.filter(satker_id=satker_id)
        return field


class ServiceAdmin(SatkerScopedAdmin):
    """Changes through the admin are the services' changes. A subclass implements `service_create(request,
    data)`, `service_update(request, obj, data)` and `service_delete(request, obj)` for what it allows (and says
    False in has_*_permission for what it does not); `data` is the form's new values of the model's own fields."""

    WRITES = SERVICE

    def satker_id_of(self, obj) -> int | None:
        return _satker_id_along(obj, self.satker_path)

    def _check_scope(self, request, obj) -> None:
        if not policy.can_administer_satker(request.user, self.satker_id_of(obj)):
            raise DomainError("Data ini milik satker lain.")

    def _data(self, form, change: bool) -> dict:
        """The form's values of the model's concrete fields: all of them for a new row, the changed ones else."""
        names = {f.name for f in self.model._meta.concrete_fields}
        wanted = form.changed_data if change else form.cleaned_data
        return {name: form.cleaned_data[name] for name in wanted if name in names}

    def service_create(self, request, data: dict) -> models.Model:
        raise NotImplementedError

    def service_update(self, request, obj, data: dict) -> models.Model:
        raise NotImplementedError

    def service_delete(self, request, obj) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        self._check_scope(request, obj)
        data = self._data(form, change)
        if change:
            original = type(obj)._default_manager.get(pk=obj.pk)
            saved = self.service_update(request, original, data)
        else:
            saved = self.service_create(request, data)
        # the admin goes on with the saved row (its redirect, its many-to-many fields, its log entry)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        self._check_scope(request, obj)
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one row at a time, through its own delete page
        return actions

    def _refused(self, request, error: DomainError, back: str):
        self.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(back)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:  # the admin's transaction has rolled back: nothing was saved
            return self._refused(request, error, request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            return self._refused(request, error, request.get_full_path())
