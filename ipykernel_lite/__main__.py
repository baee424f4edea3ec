"""``python -m ipykernel_lite -f CONNECTION_FILE`` starts a kernel; other subcommands live in ``cli``."""

import sys

if __name__ == "__main__":
    first = sys.argv[1] if len(sys.argv) > 1 else ""
    if first in ("-f", "--connection-file") or first.startswith(("-f=", "--connection-file=")):
        # the kernel's own path: import nothing else (start-up time is measured)
        from ipykernel_lite.kernel.app import main

        main()
    else:
        from ipykernel_lite.cli import main as cli_main

        sys.exit(cli_main())
