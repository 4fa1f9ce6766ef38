"""newsline_timeline."""
