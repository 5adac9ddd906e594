"""Output/activity codes (KodeOutput) that daily entries carry, imported by Rendatin."""

from django.db import models

from .satker import Pegawai, Satker, Subbagian


class LevelKode(models.TextChoices):
    PROGRAM = "program", "Program"
    KEGIATAN = "kegiatan", "Kegiatan"
    KRO = "kro", "KRO"
    RO = "ro", "RO"
    KOMPONEN = "komponen", "Komponen"


# A komponen sits under an RO, a KRO, a kegiatan and a program: four ancestors at most.
PATH_DEPTH = 4


class KodeOutputQuerySet(models.QuerySet):
    def for_satker(self, satker: Satker, tahun: int):
        return self.filter(models.Q(satker=satker) | models.Q(satker__isnull=True), tahun=tahun)

    def active(self):
        return self.filter(aktif=True)

    def selectable_for(self, satker: Satker):
        """The codes of the levels an ASN works on in this satker (Satker.level_kode_entri: RO and/or komponen).

        The one home of that rule: the entry form's choices, the code search and the entry services' guard all
        go through `usable_by`, which applies it; the measurement links offer the same codes."""
        return self.filter(level__in=satker.kode_levels_entri)

    def usable_by(self, pegawai: Pegawai, tahun: int):
        """The codes an entry may carry: active, of the year, shared or the satker's, of a level the satker
        lets an ASN choose, open to the subbagian."""
        return (
            self.for_satker(pegawai.satker, tahun)
            .active()
            .selectable_for(pegawai.satker)
            .filter(models.Q(subbagian__isnull=True) | models.Q(subbagian_id=pegawai.subbagian_id))
        )

    def with_path(self):
        """Read each code's ancestors in the same query, for `KodeOutput.path` and `label_pilihan`."""
        return self.select_related("__".join(["parent"] * PATH_DEPTH))

    def search(self, q: str):
        q = q.strip()
        if not q:
            return self
        return self.filter(models.Q(kode__icontains=q) | models.Q(uraian__icontains=q))


class KodeOutput(models.Model):
    satker = models.ForeignKey(
        Satker,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Kosong = berlaku untuk semua satker.",
    )
    tahun = models.PositiveSmallIntegerField("tahun anggaran")
    kode = models.CharField("kode", max_length=60)
    uraian = models.CharField("uraian", max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField("level", max_length=10, choices=LevelKode)
    aktif = models.BooleanField("aktif", default=True)
    subbagian = models.ForeignKey(
        Subbagian,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Bila diisi, hanya pegawai subbagian ini yang dapat memakainya.",
    )

    objects = KodeOutputQuerySet.as_manager()

    class Meta:
        verbose_name = "kode output"
        verbose_name_plural = "kode output"
        ordering = ["tahun", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "tahun", "kode"], name="kode_output_unik"),
            models.UniqueConstraint(
                fields=["tahun", "kode"],
                condition=models.Q(satker__isnull=True),
                name="kode_output_bersama_unik",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode} — {self.uraian}"

    @property
    def ancestors(self) -> list["KodeOutput"]:
        """Program first, down to the parent. Read through `with_path()`, this costs no query."""
        chain: list[KodeOutput] = []
        node = self
        while node.parent_id is not None and len(chain) < PATH_DEPTH + 1:
            node = node.parent
            chain.append(node)
        return chain[::-1]

    @property
    def path(self) -> str:
        """The ancestors' descriptions, "program › kegiatan › KRO › RO" (as far as the code has them)."""
        return " › ".join(a.uraian for a in self.ancestors)

    @property
    def label_pilihan(self) -> str:
        """How a picker names the code, so the choice is clear: code, description, level and where it sits."""
        label = f"{self.kode} — {self.uraian} ({self.get_level_display()})"
        path = self.path
        return f"{label} · {path}" if path else label
