"""What the procurement models share: who created a row and when (audit fields), and the entry rules that
read other rows (`RowRulesMixin`).

The audit fields are abstract models, so each table keeps its own columns (the migration state is the same
as when every model declared them itself). The change history itself is django-simple-history's.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreatedAudit(models.Model):
    """Who created the row (a person in the app, or the user running an import) and when."""

    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        abstract = True


class ChangedAudit(models.Model):
    """When the row was last saved (kept out of the history: every save changes it)."""

    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        abstract = True


# A rule's check: the error message for its field, or None when the row keeps the rule.
Check = Callable[[], object]


class RowRulesMixin:
    """A model whose fields in `row_rule_fields` are also checked by `row_errors` (which may query).

    Each rule is a method named after it (`check_<rule>`, returning its message or None) that `row_errors`
    runs for its field through `run_checks`. They run in clean_fields rather than clean(): a form that
    leaves a field out (`exclude`) is not told about it (Django refuses an error for a field the form does
    not have), and a field already wrong is not checked again.
    """

    row_rule_fields: tuple[str, ...] = ()
    # fields whose stored value may be one SPSE published against the entry rules (DESIGN §4): a rule on
    # such a field judges only a value a person enters, never the published one left as it was
    published_fields: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = {name: instance.__dict__[name] for name in cls.published_fields if name in instance.__dict__}
        return instance

    def entered(self, name: str) -> bool:
        """True when `name` holds a value a person is entering now: a new row, or a value other than the stored one."""
        loaded = getattr(self, "_loaded", {})
        return self._state.adding or name not in loaded or loaded[name] != getattr(self, name)

    def row_errors(self, fields: set[str]) -> dict[str, list[str]]:
        raise NotImplementedError

    @staticmethod
    def run_checks(fields: set[str], **checks: Check) -> dict[str, list[str]]:
        """{field: [message]} of each check, given by its field's name, whose field is in `fields` and that fails.

        The checks run in the order given, and only for the fields asked for.
        """
        errors: dict[str, list[str]] = {}
        for name, check in checks.items():
            if name in fields and (message := check()) is not None:
                errors[name] = [message]
        return errors

    def clean_fields(self, exclude=None) -> None:
        errors: dict = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        errors.update(self.row_errors(set(self.row_rule_fields) - set(exclude or ()) - set(errors)))
        if errors:
            raise ValidationError(errors)
