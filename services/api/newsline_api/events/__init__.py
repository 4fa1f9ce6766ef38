"""Events: one event with its sources, its removal, and who answered it."""
