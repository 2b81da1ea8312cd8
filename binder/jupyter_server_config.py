# Copied to ~/.jupyter/ by binder/postBuild (tests/conftest.py does the same with a temporary HOME).
# The /voila/render/... route (the "Launch the app" link) runs Voila as a jupyter_server
# extension; this makes it serve the app as `backprop-widgets serve` does (same values).
from backprop_widgets.cli import serve  # installed by postBuild

# Voila as a *server extension* defaults to loading MathJax from a CDN; standalone `voila` uses
# the MathJax bundled in its frontend. Setting both keys to None makes the route use the bundled
# copy too (works offline). A file in jupyter_server_config.d/ would not do: jupyter_server
# reads only jpserver_extensions from there. A plain assignment, not .update(): .update() leaves
# a traitlets LazyConfigValue, on which jupyterhub-singleuser (5.4, 6.1) crashes at start
# ("argument of type 'LazyConfigValue' is not iterable"), i.e. behind JupyterHub and BinderHub.
c.ServerApp.tornado_settings = {"mathjax_url": None, "mathjax_config": None}  # noqa: F821
# Voila's lab template without its Font Awesome links to a CDN (installed by `pip install .`)
c.VoilaConfiguration.template = serve.TEMPLATE  # noqa: F821
# The _xsrf cookie on page loads, so the page's shutdown request on close is accepted. Under
# JupyterHub (mybinder.org) the hub's identity provider replaces this one; it does not check
# XSRF on that request (a no-cors beacon), so kernels are freed there too.
c.ServerApp.identity_provider_class = serve.IDENTITY_PROVIDER  # noqa: F821
# Idle culling for kernels whose page went without a shutdown request; open pages are kept.
c.MappingKernelManager.cull_idle_timeout = serve.CULL_IDLE_TIMEOUT  # noqa: F821
c.MappingKernelManager.cull_interval = serve.CULL_INTERVAL  # noqa: F821
c.MappingKernelManager.cull_connected = False  # noqa: F821
# A busy server is slow, not blank: Voila's executor waits a minute for a cell's output (its
# default 4 s served pages without the dashboard under load), and longer for a kernel to start.
c.VoilaExecutor.iopub_timeout = serve.EXECUTOR_IOPUB_TIMEOUT  # noqa: F821
c.VoilaExecutor.startup_timeout = serve.EXECUTOR_STARTUP_TIMEOUT  # noqa: F821
# No kernel cap here: on mybinder.org (or JupyterHub) each user has a server of their own, and
# a cap would need ServerApp.kernel_manager_class, which JupyterLab's kernels share too.
