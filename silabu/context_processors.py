from silabu.policy import pegawai_of


def pegawai(request):
    # An error page may be drawn for a request that never reached the authentication middleware (a 400 for a
    # bad Host header): no user, no Pegawai.
    return {"pegawai": pegawai_of(getattr(request, "user", None))}
