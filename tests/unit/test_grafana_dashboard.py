"""The Grafana dashboard reads exactly what the three services export.

The exported names come from the services' own registries (built here, no server), so
renaming a metric without updating docs/grafana/newsline.json fails this test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from newsline_api.ops.metrics import RequestMetrics
from newsline_ingest.metrics import IngestMetrics
from newsline_timeline.observability import ConsumerMetrics

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana" / "newsline.json"
METRIC = re.compile(r"\bnewsline_[a-z0-9_]+\b")
# The series each metric type writes (the text format's suffixes).
SERIES = {"counter": ("_total",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count"),
          "summary": ("_sum", "_count")}


class _Pool:
    alive, idle, waiting = 2, 1, 0


def _registries() -> dict[str, CollectorRegistry]:
    return {"ingest": IngestMetrics(_Pool()).registry, "api": RequestMetrics().registry,
            "timeline": ConsumerMetrics().registry}


def _exported() -> dict[str, set[str]]:
    """Each metric family's name → the series names it is scraped as."""
    families: dict[str, set[str]] = {}
    for registry in _registries().values():
        for family in registry.collect():
            families[family.name] = {family.name + s for s in SERIES[family.type]}
    return families


def _exprs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                yield value
            else:
                yield from _exprs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _exprs(item)


def test_every_expression_names_only_metrics_the_services_export() -> None:
    exprs = list(_exprs(json.loads(DASHBOARD.read_text(encoding="utf-8"))))
    series = set().union(*_exported().values())
    assert len(exprs) >= 15
    for expr in exprs:
        named = METRIC.findall(expr)
        assert named, f"names no Newsline metric: {expr}"
        unknown = [n for n in named if n not in series]
        assert not unknown, f"{expr} reads {unknown}, which no service exports"


def test_every_exported_metric_has_a_panel() -> None:
    read = {n for e in _exprs(json.loads(DASHBOARD.read_text(encoding="utf-8")))
            for n in METRIC.findall(e)}
    unread = [family for family, names in _exported().items() if not names & read]
    assert not unread, f"no panel shows {unread}"


def test_each_service_exports_its_figures_under_its_own_prefix() -> None:
    for service, registry in _registries().items():
        names = [f.name for f in registry.collect()]
        assert names and all(n.startswith(f"newsline_{service}_") for n in names), names
