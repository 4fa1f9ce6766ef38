"""Newsline's read API: actors, timelines, events, health, and the dashboard at `/`."""
