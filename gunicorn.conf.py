"""How `make run` (and a production install) serves Rifd with gunicorn.

gunicorn reads this file from the folder it starts in. Every value can be changed
with an environment variable, so that one file serves a laptop and a server.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
# Several processes: a slow client or a long letter holds one worker, not the site.
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("RIFD_THREADS", "4"))
# A letter converted to PDF or a large export can take a while; the render budget
# (letters/limits) stops a runaway template long before this.
timeout = int(os.environ.get("RIFD_TIMEOUT", "120"))
graceful_timeout = 30
# The app is made once, before the workers are forked: data written by an older Rifd
# is brought up to date by one process, not by every worker at once.
preload_app = True
wsgi_app = "app:create_app()"
# The path without its query string: a search (?q=) may hold a name or an ID number.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def post_worker_init(worker):
    """Start the outbox's sender in each worker: one holds the sender's lock and sends, the
    others wait to take over if its process dies (messages/worker.py)."""
    if os.environ.get("RIFD_SENDER", "1") != "0":
        from messages.worker import start_thread  # noqa: PLC0415 (gunicorn's config file)

        start_thread(worker.wsgi)
