# Copied to ~/.jupyter/ by binder/postBuild (tests/conftest.py does the same with a temporary HOME).
# Voila as a *server extension* (the /voila/render/... route a Binder link opens) defaults to
# loading MathJax from a CDN; standalone `voila` uses the MathJax bundled in its frontend.
# Setting both keys to None makes the route use the bundled copy too (works offline).
# A file in jupyter_server_config.d/ would not do: jupyter_server reads only
# jpserver_extensions from there. .update() keeps tornado_settings set elsewhere.
c.ServerApp.tornado_settings.update({"mathjax_url": None, "mathjax_config": None})  # noqa: F821
