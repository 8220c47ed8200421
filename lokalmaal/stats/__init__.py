"""Statistics clients: SSB's StatBank (PxWebApi v2 and v0) and Klass, and a JSON-stat2 parser.

- `jsonstat`: `parse`, `iter_observations`, `merge`, `STATUS_SYMBOLS`, `status_meaning`
- `pxweb`: `PxWebV2Client` (metadata, code lists, data: split, merged, cached), `PxWebV0Client`
- `klass`: `KlassClient` (`codes_at`, `correspondence_at`)
- `transport`: the replaceable transport, rate limiter and retry policy they share

Pure Python without Django, so the clients work in management commands, scripts and tests.
"""
