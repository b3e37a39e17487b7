"""`pengadaan.rules` in templates: `{% load may %}{% if user|may:"see_all_opd" %}`, `{% if user|may_record_in:opd %}`.

Only a way to ask: every answer comes from `pengadaan.rules`. An unknown action name raises KeyError, so
that a typo fails loudly instead of hiding a button.
"""

from __future__ import annotations

from django import template

from pengadaan import rules

register = template.Library()

USER_RULES = {
    "see_all_opd": rules.can_see_all_opd,
    "send_reminders": rules.can_send_reminders,
    "review_tanda_bahaya": rules.can_review_tanda_bahaya,
    "import": rules.can_import,
    "see_import_page": rules.can_see_import_page,
    "manage_itkp": rules.can_manage_itkp,
    "use_django_admin": rules.can_use_django_admin,
    "record_in_own_opd": rules.can_record_in_own_opd,
}


@register.filter
def may(user, action: str) -> bool:
    """`user|may:"action"`: the rules predicate `can_<action>(user)`; False where no user is known."""
    predicate = USER_RULES[action]
    return hasattr(user, "is_authenticated") and predicate(user)


@register.filter
def may_record_in(user, opd) -> bool:
    """`user|may_record_in:opd`: rules.can_record_in(user, opd); False where no user is known."""
    return hasattr(user, "is_authenticated") and rules.can_record_in(user, opd)
