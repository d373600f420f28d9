"""What an operator watches, in Prometheus's text format at /metrics (prometheus-client).

One `Metrics` per app, with its own CollectorRegistry: tests build many apps in one
process, and the default global registry would refuse the second one's metrics. The
parts of the process that count something get this object (the chat service, the
outbox sender, the exports); what is read from the database (the outbox's depth, the
connection pool in use) is computed when /metrics is scraped.
"""

import logging
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

Depth = Callable[[Connection], dict[str, int]]  # outbox rows not delivered, by state (api/outbox/sender.py)


class Metrics:
    def __init__(self, engine: Engine | None = None, outbox_depth: Depth | None = None) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter("accion_chat_updates", "Chat updates handled, by kind of event and outcome "
                               "(ok, duplicate, failed).", ["kind", "outcome"], registry=r)
        self.event_seconds = Histogram(
            "accion_chat_event_seconds", "Time to handle one chat event (load, flow, save), in seconds.",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0), registry=r)
        self.retries = Counter("accion_chat_event_retries", "Chat events tried again (a race or a lost "
                               "connection).", registry=r)
        self.sends = Counter("accion_outbox_sends", "Outbox messages handed to Telegram, by outcome "
                             "(sent, blocked, retry_after, error).", ["outcome"], registry=r)
        self.rate_limited = Counter("accion_outbox_rate_limited", "Telegram's 429 answers to the outbox.",
                                    registry=r)
        self.paused_seconds = Counter("accion_outbox_pause_seconds", "Seconds Telegram asked the outbox to "
                                      "pause for.", registry=r)
        self.exports = Counter("accion_exports", "Exports (CSV, Excel), by outcome (done, failed, refused: "
                               "too many at once).", ["outcome"], registry=r)
        self.export_seconds = Histogram("accion_export_seconds", "Time to produce and send one export, in "
                                        "seconds.", buckets=(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
                                        registry=r)
        if engine is not None:
            r.register(DatabaseCollector(engine, outbox_depth))


class DatabaseCollector(Collector):
    """Read at scrape time: database connections checked out, outbox rows waiting by state."""

    def __init__(self, engine: Engine, outbox_depth: Depth | None) -> None:
        self.engine = engine
        self.outbox_depth = outbox_depth

    def collect(self) -> Iterator[Metric]:
        pool = GaugeMetricFamily("accion_db_connections_in_use", "Database connections checked out of "
                                 "this process's pool.")
        checked_out = getattr(self.engine.pool, "checkedout", None)
        pool.add_metric([], float(checked_out()) if callable(checked_out) else 0.0)
        yield pool
        if self.outbox_depth is None:
            return
        depth = GaugeMetricFamily("accion_outbox_depth", "Outbox messages not delivered, by state.",
                                  labels=["state"])
        try:
            with self.engine.connect() as connection:
                counts = self.outbox_depth(connection)
        except Exception:  # a scrape must still answer while the database is away
            log.warning("could not read the outbox depth", exc_info=True)
            return
        for state, count in counts.items():
            depth.add_metric([state], float(count))
        yield depth
