"""Our kernel under Jupyter Enterprise Gateway's remote process proxies: the launcher that reports the
kernel's connection info back to the gateway (``python -m ipykernel_lite.gateway_launcher``) and kernelspecs.
See docs/remote.md."""
