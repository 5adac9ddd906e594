from silabu.policy import pegawai_of


def pegawai(request):
    return {"pegawai": pegawai_of(request.user)}
