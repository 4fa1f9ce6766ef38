"""newsline_api."""
