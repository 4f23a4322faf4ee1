"""Subcommands of `influence`: each module has ``register(commands)`` adding its parser."""
