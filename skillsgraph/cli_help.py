"""How the `skillsgraph` command prints its help: with no command, the help, exit status 0;
flags without a type beside them."""
from __future__ import annotations

import typer


def hide_flag_types() -> None:
    """Typer prints a flag's type, '<bool>', beside it (--help's too), where there is no value to
    give: flags are shown bare, options keep their value's type."""
    from typer.core import TyperOption
    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "hides_flags", False):
        return

    def display(self, ctx):
        return None if self.is_flag else shown(self, ctx)
    display.hides_flags = True
    TyperOption.display_type_rich = display


def help_without_command(ctx: typer.Context) -> None:
    """No command: the help, as a successful answer (asking what there is is not an error)."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


__all__ = ["hide_flag_types", "help_without_command"]
