from __future__ import annotations

import factory

from opd.models import Opd, Peran, User

TEST_PASSWORD = "kata-sandi-uji-123"


class OpdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opd

    kd_satker = factory.Sequence(lambda n: str(70000 + n))
    kd_satker_str = factory.Sequence(lambda n: f"9.99.0.00.0.00.{n:02d}.0000")
    kd_satker_spse = factory.Sequence(lambda n: str(26200000 + n))
    nama_satker = factory.Sequence(lambda n: f"Dinas Uji {n}")
    singkatan = factory.Sequence(lambda n: f"DU{n}")
    jenis = Opd.Jenis.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    nama = factory.Sequence(lambda n: f"Pengguna {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.go.id")
    peran = Peran.OPERATOR
    opd = factory.SubFactory(OpdFactory)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save()
