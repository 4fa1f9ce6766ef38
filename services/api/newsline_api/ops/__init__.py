"""What is not a resource: health, readiness, metrics, the docs pages and the dashboard."""
