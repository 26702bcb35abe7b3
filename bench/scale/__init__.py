"""Helpers of ``bench/scale.py``, the load benchmark at national scale (issue 11, point 2).

``environment``: the throwaway database and the production environment; ``server``: gunicorn;
``targets``: accounts, sessions and pages picked in the database; ``load``: wrk (``report.lua``);
``inprocess``: the same pages through Django's test client; ``report``: tables and JSON.
"""
