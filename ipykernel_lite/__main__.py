"""``python -m ipykernel_lite -f CONNECTION_FILE`` starts a kernel; other subcommands live in ``cli``."""

import sys

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("-f", "--connection-file", "kernel") or (
        len(sys.argv) > 1 and sys.argv[1].startswith("--f=")
    ):
        from ipykernel_lite.kernel.app import main

        main()
    else:
        from ipykernel_lite.cli import main as cli_main

        sys.exit(cli_main())
