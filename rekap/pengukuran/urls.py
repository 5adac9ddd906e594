from django.urls import path

from . import urls_kerangka
from .views import daftar, detail, dokumen, formdata

app_name = "pengukuran"

one = "<int:pk>/"

urlpatterns = [
    path("", daftar.daftar, name="daftar"),
    path("disposisi/", daftar.disposisi, name="disposisi"),
    path(one, detail.detail, name="detail"),
    path(one + "konsep/", detail.konsep, name="konsep"),
    path(one + "terbitkan/", detail.terbitkan, name="terbitkan"),
    path(one + "ukur/", detail.ukur, name="ukur"),
    path(one + "rekap-selesai/", detail.rekap_selesai, name="rekap_selesai"),
    path(one + "lapor/", detail.lapor, name="lapor"),
    path(one + "kirim/", detail.kirim, name="kirim"),
    path(one + "setujui/", detail.setujui, name="setujui"),
    path(one + "kembalikan/", detail.kembalikan, name="kembalikan"),
    path(one + "dokumen/", dokumen.minta, name="dokumen_minta"),
    path(one + "form/<int:form_id>/", formdata.form_isi, name="form"),
    path(one + "form/<int:form_id>/serahkan/", formdata.form_serahkan, name="form_serahkan"),
    path(one + "form/<int:form_id>/impor/", formdata.form_impor, name="form_impor"),
    path(one + "baris/<int:baris_id>/bukti/", formdata.bukti, name="bukti"),
] + urls_kerangka.urlpatterns
