from django.apps import AppConfig


class PengukuranConfig(AppConfig):
    name = "rekap.pengukuran"
    label = "pengukuran"
    verbose_name = "Pengukuran kinerja"

    def ready(self):
        from kinerja import todos as home

        from . import documents, policy, todos  # noqa: F401 (policy registers its rules on import)

        documents.register()
        home.register(todos.todos_pengukuran)
