"""Timeline downloads: CSV, JSON, TimelineJS and iCalendar."""
