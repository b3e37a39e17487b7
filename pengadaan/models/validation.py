"""Field rules that read other rows, checked in `clean_fields` so that forms stay honest."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class RowRulesMixin:
    """A model whose fields in `row_rule_fields` are also checked by `row_errors` (which may query).

    In clean_fields rather than clean(): a form that leaves a field out (`exclude`) is not told about it
    (Django refuses an error for a field the form does not have), and a field already wrong is not checked
    again.
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

    def clean_fields(self, exclude=None) -> None:
        errors: dict = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        errors.update(self.row_errors(set(self.row_rule_fields) - set(exclude or ()) - set(errors)))
        if errors:
            raise ValidationError(errors)
