"""Personal data stays out of the logs: e-mail addresses are masked in every record, whoever logs it.

Names cannot be recognised by a pattern: the code never logs them (tests/lib/test_logs.py runs a whole
path and reads every record); this filter is the safety net for what libraries log.
"""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
MASK = "<e-mail masqué>"


def scrub(text: str) -> str:
    return EMAIL.sub(MASK, text)


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
