"""`skillbank serve`: the library over MCP (stdio for a local agent, streamable HTTP for many)."""

from __future__ import annotations

import click


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach this part's commands."""

    @main.command("serve")
    @click.option("--library", "library_path", type=click.Path(dir_okay=False),
                  help="Library database file (default: the global --library, $SKILLBANK_LIBRARY or the user's).")
    @click.option("--transport", type=click.Choice(["stdio", "streamable-http"]), default="stdio", show_default=True)
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (streamable-http).")
    @click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
                  help="Port to listen on (streamable-http).")
    @click.option("--policy", "policy_path", type=click.Path(exists=True, dir_okay=False),
                  help="Audit policy to re-tier every skill with, allowed to loosen tiers too (default: the "
                       "nearest .skillbank-policy.yaml, which can only make tiers stricter; else the tier "
                       "stored at add).")
    @click.pass_context
    def serve_cmd(ctx: click.Context, library_path: str | None, transport: str, host: str, port: int,
                  policy_path: str | None) -> None:
        """Serve the library over MCP: search_skills, load_skill, read_skill_file, list_skills,
        skill:// resources and the skills extension (SEP-2640).

        Skills whose trust tier is blocked are never shown; instructions-only skills are served
        without their scripts.

        \b
        claude mcp add skillbank -- skillbank serve --library ~/skills.db
        skillbank serve --transport streamable-http --port 8000     # http://127.0.0.1:8000/mcp
        """
        from pathlib import Path

        from skillbank.api import Library
        from skillbank.audit import find_policy, load_policy
        from skillbank.errors import SkillbankError
        from skillbank.serve import serve

        path = library_path or ctx.find_root().obj.get("library_path")
        if path and not Path(path).is_file():
            raise SkillbankError(f"{path}: no such library file. Create it with `skillbank --library {path} add ...`.")
        policy = load_policy(policy_path) if policy_path else find_policy(Path.cwd())
        if policy is not None and not policy_path:
            click.echo("note: using the nearest .skillbank-policy.yaml; found by walking up from the working "
                       "directory, it can only make trust tiers stricter (name it with --policy to let it "
                       "allow or trust skills).", err=True)
        if transport == "streamable-http" and host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"warning: serving without authentication on {host}; anyone who can reach it can read "
                       "every skill the trust tiers allow.", err=True)
        with Library.open(path) as library:
            serve(library, transport=transport, host=host, port=port, policy=policy,  # type: ignore[arg-type]
                  policy_tightens_only=not policy_path)
