"""gunicorn's settings for SILABU (make serve and deploy/systemd/silabu-web.service).

Threads (gthread): a request mostly waits on PostgreSQL or the object store, and re-encoding a photo in Pillow
releases the GIL, so a few threads per process serve more requests than processes alone for the same memory.
nginx buffers request bodies and responses, so a slow phone uplink holds nginx, never a thread here.
Every thread keeps one database connection open (CONN_MAX_AGE): PostgreSQL needs at least workers x threads per
app server, plus the background workers (deploy/README.md).

The environment sets: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT (gunicorn reads this file
before Django, so these are read here, not in silabu/settings.py).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A request that takes longer is a bug (documents render in the background worker); its worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5  # behind nginx, which keeps its upstream connections open
# Recycle a process now and then: memory that Pillow or a long export fragmented is given back.
max_requests = 2000
max_requests_jitter = 200
# The workers' liveness files on a RAM disk: a busy disk must not make gunicorn think a worker hangs.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# silabu.ops.requestlog writes one JSON line per request; gunicorn's own access log would repeat it.
accesslog = None
errorlog = "-"
proc_name = "silabu"
# gunicorn >= 25 opens a control socket in $HOME; the service user has none, and systemd does the controlling.
control_socket_disable = True
