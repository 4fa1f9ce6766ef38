"""`/v1/vocabulary`: the event types, date precisions and bases, served from one definition."""
