"""The one access-scoping helper (DESIGN §2).

Every list, detail, export, admin changelist and import goes through
`ScopedQuerySet.visible_to(user)` or `get_object_for_user`. A model opts in by
using `ScopedQuerySet.as_manager()` and naming, in `opd_lookup`, the path from
the model to its OPD. Nothing else in the code base filters by OPD on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opd.models import User


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which OPD each row belongs to."""

    def _opd_lookup(self) -> str:
        return self.model.opd_lookup

    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Rows `user` may see: all for pengawas and admin, their OPD's for OPD roles, none otherwise."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_opd:
            return self.all()
        if user.opd_id is None:
            return self.none()
        return self.filter(**{self._opd_lookup(): user.opd_id})


def get_object_for_user(queryset: models.QuerySet, user: User | AnonymousUser, **lookup: Any) -> models.Model:
    """Fetch one object that `user` may see, or raise Http404.

    Objects of another OPD answer 404, never 403: a 403 would tell that they exist.
    """
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
