"""Writes for events, one module per part of the brokerage. Each write checks its
permission here (PermissionDenied) and broken rules raise ValidationError naming the
field, so pages, the API and commands share one rule set."""
