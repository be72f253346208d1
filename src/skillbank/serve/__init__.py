"""The MCP server: a library's skills for any agent, never one its trust tier blocks.

    from skillbank.api import Library
    from skillbank.serve import Catalog, build_server
    server = build_server(Catalog(Library.open(), policy=None))
    server.run("stdio")                      # or "streamable-http", host=..., port=...
"""

from __future__ import annotations

from typing import Literal

from skillbank.api import Library
from skillbank.audit import Policy
from skillbank.serve.catalog import Catalog, FileNotServed, SkillNotServed, skill_uri
from skillbank.serve.server import EXTENSION_ID, SkillServer, build_server

Transport = Literal["stdio", "streamable-http"]


def serve(
    library: Library,
    *,
    transport: Transport = "stdio",
    host: str = "127.0.0.1",
    port: int = 8000,
    policy: Policy | None = None,
    policy_tightens_only: bool = False,
) -> None:
    """Serve `library` over MCP until the client disconnects (stdio) or the process stops.

    `policy_tightens_only`: the policy can make tiers stricter, never looser (for a policy
    found in the working directory rather than named by the operator)."""
    server = build_server(Catalog(library, policy, policy_tightens_only=policy_tightens_only))
    if transport == "stdio":
        try:
            server.run("stdio")
        except* (BrokenPipeError, ConnectionResetError):
            pass  # the client went away mid-request: nothing left to answer
    else:
        server.run("streamable-http", host=host, port=port)


__all__ = [
    "EXTENSION_ID", "Catalog", "FileNotServed", "SkillNotServed", "SkillServer", "Transport", "build_server",
    "serve", "skill_uri",
]
