"""gunicorn's settings for Libre Assos in production (`gunicorn --config deploy/gunicorn.conf.py
app:app`, run by deploy/systemd/libre-assos.service and by `make prod-check`).

The app's own settings come from the environment (deploy/libre-assos.env.example); these are
the process's. A command-line option (`--bind`, `--workers`) overrides the value here.
"""

# Loopback only: the reverse proxy (Caddy or nginx) is the one thing that talks to it.
bind = "127.0.0.1:8000"
# Four processes, each with its own searcher and page cache; the rate limits and login
# lockouts are counted in the database, so they hold across them. About 2 per core.
workers = 4
# Each worker builds the app itself: the search index must be opened after the fork, and a
# worker that crashes at start-up then says why in the log.
preload_app = False
# A search or an approval takes milliseconds; 30 s means something is stuck.
timeout = 30
graceful_timeout = 20
# Replaces a worker after this many requests (plus jitter, so that they do not all restart
# at once): a slow leak in a library cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
# Requests from the proxy on the same machine: keep its connections open a little.
keepalive = 5
# No access log: the privacy page promises that searches are not recorded, and request
# paths hold edit and status tokens. Caddy writes none either (no `log` directive). Errors go
# to standard error, which journald keeps (`journalctl -u libre-assos`).
accesslog = None
errorlog = "-"
# gunicorn itself trusts X-Forwarded-Proto only from loopback; the app does its own trusting
# (TRUSTED_PROXY_HOPS, Werkzeug's ProxyFix).
forwarded_allow_ips = "127.0.0.1"
# gunicorn 27's control socket (gunicornc) would be created under the user's home, which is
# the read-only checkout under systemd: systemctl reload (HUP) and stop are all we use.
control_socket_disable = True


def post_worker_init(worker):
    """Runs the common searches in each new worker before it accepts a request (a worker
    also starts anew after max_requests): its first visitors get warm answers."""
    from directory.warm_up import warm_up_worker

    if hasattr(worker.wsgi, "test_request_context"):
        warm_up_worker(worker.wsgi)
