# `{{ value|date }}` on English pages: Dec 5, 2026 (Django's own reads "Dec. 5, 2026").
DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, H:i"
