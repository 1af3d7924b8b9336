"""Front ends: text (console, ask) and Discord; thin renderers of the command layer."""
