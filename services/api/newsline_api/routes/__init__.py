"""HTTP routes, one small module per resource."""
