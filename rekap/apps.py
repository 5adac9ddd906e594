from django.apps import AppConfig


class RekapConfig(AppConfig):
    name = "rekap"
    verbose_name = "Rekap, pleno dan pengukuran"

    def ready(self):
        from . import documents

        documents.register()
