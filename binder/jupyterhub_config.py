# JupyterHub for a class on one Linux box: every student logs in and gets the dashboard in a
# server of their own, at /user/<name>/voila/render/notebooks/dashboard.ipynb. The same settings
# as binder/z2jh-values.yaml (Kubernetes); tests/test_jupyterhub.py runs this file with five users.
#
# One virtual environment holds the hub, the single-user servers and the app (as root, from a
# checkout that every user can read, e.g. /opt/backprop-widgets):
#
#     python3.11 -m venv .venv-hub
#     .venv-hub/bin/pip install -c .ci/constraints.txt . jupyterhub jupyterhub-idle-culler \
#         jupyterhub-systemdspawner
#     npm install -g configurable-http-proxy@5.2.0
#     mkdir -p /srv/backprop-hub && cd /srv/backprop-hub    # sqlite db and cookie secret go here
#     BACKPROP_HUB_PASSWORD='…' /opt/backprop-widgets/.venv-hub/bin/jupyterhub \
#         -f /opt/backprop-widgets/binder/jupyterhub_config.py
#
# Students log in with any name and the class password; put TLS in front (JupyterHub.ssl_cert /
# ssl_key, or a reverse proxy) before the password crosses a network.
import os
import sys
from pathlib import Path

BINDER = Path(__file__).resolve().parent
REPO = BINDER.parent
DEFAULT_URL = "/voila/render/notebooks/dashboard.ipynb"  # the app, as on Binder

# Measured (tests/test_jupyterhub.py, five students): a single-user server with one dashboard
# page open holds ~335 MB RSS (server ~170 MB, the page's kernel ~160 MB; PSS ~275 MB). The
# guarantee covers that; the limit leaves room for a second tab's kernel.
MEM_LIMIT = "768M"
MEM_GUARANTEE = "384M"
CULL_TIMEOUT = 3600  # seconds without activity before a student's server is stopped
CULL_EVERY = 300  # seconds between the culler's checks

c = get_config()  # noqa: F821

# --- who: any name + one class password (JupyterHub >= 5.3) ----------------------------------
c.JupyterHub.authenticator_class = "shared-password"
# unset → the hub refuses to start ("Neither ... admin_password nor ... user_password is set")
c.SharedPasswordAuthenticator.user_password = os.environ.get("BACKPROP_HUB_PASSWORD") or None
c.Authenticator.allow_all = True  # anyone with the password, under any name

# --- where: systemd runs each server as a throw-away system user, with the memory limit
# enforced (MemoryMax); no accounts to create. Without systemd (a container), use
# "localprocess" (students' names must then be system users): it does not enforce mem_limit.
c.JupyterHub.spawner_class = "systemd"  # jupyterhub-systemdspawner
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.disable_user_sudo = True
c.SystemdSpawner.isolate_tmp = True

# --- the live class (README, "Teaching with the live class view"): every student's server sends
# its answers to one PostgreSQL database, where the teacher's page reads them. Create the class
# once, then start the hub with both variables set; the hub hands them to every single-user
# server, whose kernels read them (unset: no live class):
#
#     backprop-widgets class new --store "$BACKPROP_WIDGETS_STORE"     # prints the id and the secret
#     export BACKPROP_WIDGETS_STORE='postgresql://backprop:…@db-host/backprop_live'
#     export BACKPROP_WIDGETS_CLASS='<the class id it printed>'
#
# A student with a terminal on their server can read these, and with the URL the database: give
# it a role that owns the class's database alone (not a superuser). The teacher's secret is
# never here: it is only in the teacher's link.
LIVE_VARIABLES = ("BACKPROP_WIDGETS_STORE", "BACKPROP_WIDGETS_CLASS")
LIVE_ENV = {name: os.environ[name] for name in LIVE_VARIABLES if os.environ.get(name)}

# --- what: jupyterhub-singleuser from this venv, Voila as a server extension, configured as
# Binder configures it (binder/jupyter_server_config.py: bundled MathJax, the "backprop"
# template, kernels freed on page close and culled when idle). The hub's identity provider
# replaces the one that file sets, which is right behind a hub.
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.notebook_dir = str(REPO)
c.Spawner.default_url = DEFAULT_URL
c.Spawner.environment = {"JUPYTER_CONFIG_PATH": str(BINDER)} | LIVE_ENV
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.mem_guarantee = MEM_GUARANTEE

# --- when: stop servers idle for an hour (jupyterhub-idle-culler, run by the hub) -------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={CULL_EVERY}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
