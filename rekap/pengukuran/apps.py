from django.apps import AppConfig


class PengukuranConfig(AppConfig):
    name = "rekap.pengukuran"
    label = "pengukuran"
    verbose_name = "Pengukuran kinerja"

    def ready(self):
        from . import dokumen

        dokumen.register()
