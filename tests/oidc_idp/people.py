"""The provider process keeps the seeded claims in memory: one process, served by threads."""

CLAIMS: dict[str, dict] = {}
FAULTS: dict[str, str] = {}
