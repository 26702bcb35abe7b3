#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

if sys.version_info < (3, 12):  # noqa: UP036 (a clear message on an older interpreter)
    sys.exit("Python 3.12 ou plus récent est requis (voir .python-version).")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
