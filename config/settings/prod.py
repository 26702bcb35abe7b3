"""Production: everything comes from the environment; HTTPS only."""

from .base import *  # noqa: F403
from .base import env

# HTTPS is terminated by the reverse proxy, which must set X-Forwarded-Proto (and drop any sent by the
# client): a request without "https" there is redirected to HTTPS. The production crawl keeps it on
# (tools/ci/crawl_production.sh, run by .ci/run): it serves these very settings with gunicorn on 127.0.0.1
# and speaks as the proxy, sending X-Forwarded-Proto: https, and checks that plain HTTP is redirected.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
