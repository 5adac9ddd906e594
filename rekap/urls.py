from django.urls import path

from .views import arsip, bulan, dokumen, himpun, laporan, papan, pleno, presentasi

app_name = "rekap"

month = "<int:year>/<int:month>/"

urlpatterns = [
    path("", papan.papan, name="papan"),
    path(month, bulan.bulan, name="bulan"),
    path(month + "himpun/", himpun.himpun, name="himpun"),
    path(month + "pleno/", pleno.pleno, name="pleno"),
    path(month + "pleno/finalisasi/", pleno.finalisasi, name="pleno_finalisasi"),
    path(month + "presentasi/", presentasi.presentasi, name="presentasi"),
    path("dokumen/minta/", dokumen.minta, name="dokumen_minta"),
    path("arsip/", arsip.arsip, name="arsip"),
    path("laporan-kinerja/", laporan.laporan_kinerja, name="laporan_kinerja"),
]
