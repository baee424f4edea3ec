"""``python -m ipykernel_lite.gateway_launcher``: our kernel under Enterprise Gateway (see gateway/launcher.py)."""

from .gateway.launcher import main

if __name__ == "__main__":
    raise SystemExit(main())
