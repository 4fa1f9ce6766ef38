"""The change feed: polled (`/v1/changes`) or streamed (`/v1/stream`)."""
