"""newsline_cli."""
