# `{{ value|date }}` on Indonesian pages: 5 Des 2026 (Django's own reads "5 Des. 2026").
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
