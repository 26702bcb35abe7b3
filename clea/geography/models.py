"""Official administrative geography (INSEE codes), loaded from the committed data files."""

from django.db import models

from clea.geography.names import fold


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=2, primary_key=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=150, db_index=True)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    # Paris, Lyon and Marseille arrondissements point to their commune.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="arrondissements")
    population = models.PositiveIntegerField(null=True, blank=True)
    # fold(name): how the directory and the forms find a commune as people type it (clea.geography.names).
    search_name = models.CharField(max_length=150, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement_id})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class Postcode(models.Model):
    """A postcode served to a commune; a commune may have several and a postcode several communes."""

    code = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postcodes")

    class Meta:
        verbose_name = "code postal"
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="unique_postcode_commune")]

    def __str__(self) -> str:
        return f"{self.code} {self.commune.name}"


class Country(models.Model):
    """A country of birth outside France, by INSEE code (99XXX), historical countries included: a birth
    place is named as it was on the day (the CPF reporting and FranceConnect use these codes)."""

    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    # Territories INSEE files under the same code ("Guernesey" under Royaume-Uni): found by search too.
    other_names = models.CharField("autres noms", max_length=500, blank=True)
    search_name = models.CharField(max_length=700, editable=False, default="")

    class Meta:
        verbose_name = "pays"
        verbose_name_plural = "pays"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.name} {self.other_names}")
        super().save(*args, **kwargs)
