from django.apps import AppConfig


class VerifikasiConfig(AppConfig):
    name = "verifikasi"
    verbose_name = "Verifikasi bulanan"

    def ready(self):
        from . import documents

        documents.register()
