"""newsline_ingest."""
