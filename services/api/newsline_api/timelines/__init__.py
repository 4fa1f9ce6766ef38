"""Timelines: one actor's events, or several actors' merged, in timeline order.

The page (`page`), its SQL (`queries`), the sort key in SQL (`order`), the request's
parameters (`params`), and the 304s answered from memory (`watcher`, `from_memory`).
"""
