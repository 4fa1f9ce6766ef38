"""Actors: the list, searchable by any name or alias, with each actor's figures."""
