"""What the frozen app runs: the desktop app's entry point."""

import sys

from gui.app import main

if __name__ == "__main__":
    sys.exit(main())
