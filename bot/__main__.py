"""Entry point: `python -m bot`."""

import sys

from bot.cli import main
from bot.redact import protect_output

protect_output()  # before anything is read or printed: no option, error or log line may show the token
sys.exit(main())
