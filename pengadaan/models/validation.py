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
