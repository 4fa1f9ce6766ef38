"""The stream adapter: what Newsline does to Redis besides publishing and consuming.

newsline_contracts names the streams and the group; this package runs the commands
on them, so the contracts stay free of any client library. FastStream publishes and
consumes; what it does not do the way Newsline needs (the consumer group) is here.
"""

from newsline_streams.groups import ensure_group

__all__ = ["ensure_group"]
