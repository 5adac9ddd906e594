from django.apps import AppConfig


class PengukuranConfig(AppConfig):
    name = "rekap.pengukuran"
    label = "pengukuran"
    verbose_name = "Pengukuran kinerja"

    def ready(self):
        from kinerja import tugas as home

        from . import dokumen, tugas

        dokumen.register()
        home.register(tugas.tugas_pengukuran)
