from django.apps import AppConfig


class RekapConfig(AppConfig):
    name = "rekap"
    verbose_name = "Rekap, pleno dan pengukuran"

    def ready(self):
        from kinerja import todos as home

        # importing the policy module registers its rules with silabu.policy
        from . import documents, policy, todos  # noqa: F401

        documents.register()
        home.register(todos.todos_rekap)
