"""The MCP server: four fixed tools (search_skills, load_skill, read_skill_file, list_skills), `skill://` resources and the SEP-2640 skills extension.

Tools never multiply with the library (one tool per skill does not scale): the model
searches, then loads the skill it picked, then reads the bundled files it needs. Hosts
that speak the skills extension (`io.modelcontextprotocol/skills`) list skills with their
file manifests and read files as resources instead. All of it goes through `Catalog`,
which enforces trust tiers.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Annotated, Any

from mcp.server import MCPServer
from mcp.server.extension import Extension, MethodBinding
from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.server.mcpserver.context import Context
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.shared.exceptions import MCPError
from mcp_types import (
    INVALID_PARAMS,
    BlobResourceContents,
    CallToolResult,
    EmbeddedResource,
    PaginatedRequestParams,
    RequestParams,
    TextContent,
    ToolAnnotations,
)
from mcp_types import Resource as MCPResource
from mcp_types import ResourceTemplate as MCPResourceTemplate
from pydantic import AnyUrl, Field

from skillbank import __version__
from skillbank.serve.catalog import (
    BadCursor,
    Catalog,
    Entry,
    FileNotServed,
    ServedSkill,
    SkillNotServed,
    is_text,
    parse_skill_uri,
    skill_uri,
)

EXTENSION_ID = "io.modelcontextprotocol/skills"
META = "dev.skillbank/"  # our own _meta prefix: SEP-2640 reserves io.modelcontextprotocol.skills/
TTL_MS = 60_000

INSTRUCTIONS = """\
skillbank serves a library of Agent Skills (a SKILL.md of instructions, sometimes with \
bundled references and scripts). For a task, call search_skills with a short description \
of it, then load_skill on the best match and follow its instructions; read_skill_file \
fetches a bundled file the instructions mention. Every skill carries a trust tier from a \
security audit: "instructions-only" skills are served without their scripts, \
"scripts-in-sandbox" scripts must only run in a sandbox, "trusted" scripts may run normally."""

_READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


class GetSkillParams(RequestParams):
    uri: str


def _manifest(skill: ServedSkill) -> dict[str, Any]:
    """A SEP-2640 `Skill` entry: verbatim front matter and every file the server serves."""
    version = skill.version
    frontmatter = dict(version.frontmatter)
    frontmatter.setdefault("name", version.name)
    frontmatter.setdefault("description", version.description)
    return {
        "uri": skill.entry.uri,
        "frontmatter": frontmatter,
        "resources": [{"uri": f.uri, "digest": f.digest, "size": f.size} for f in skill.files if not f.withheld],
        "_meta": {
            META + "tier": skill.entry.tier,
            META + "scripts": skill.entry.scripts,
            META + "version": skill.entry.version,
            META + "digest": skill.entry.digest,
            META + "withheld": skill.withheld,
        },
    }


class SkillsExtension(Extension):
    """SEP-2640: `skills/list` (paginated) and `skills/get {uri}`."""

    identifier = EXTENSION_ID

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def methods(self) -> list[MethodBinding]:
        return [
            MethodBinding("skills/list", PaginatedRequestParams, self._list),
            MethodBinding("skills/get", GetSkillParams, self._get),
        ]

    async def _list(self, ctx: Any, params: PaginatedRequestParams | None) -> dict[str, Any]:
        try:
            page, next_cursor = self.catalog.page(params.cursor if params else None)
        except BadCursor as exc:
            raise MCPError(code=INVALID_PARAMS, message=str(exc)) from exc
        skills = []
        for entry in page:
            try:
                skills.append(_manifest(self.catalog.skill(entry.name, via="skills/list")))
            except SkillNotServed:  # removed between the listing and now
                continue
        result: dict[str, Any] = {"resultType": "complete", "skills": skills, "ttlMs": TTL_MS, "cacheScope": "private"}
        if next_cursor:
            result["nextCursor"] = next_cursor
        return result

    async def _get(self, ctx: Any, params: GetSkillParams) -> dict[str, Any]:
        parsed = parse_skill_uri(params.uri)
        try:
            if parsed is None or parsed[1] != "SKILL.md" or not parsed[0]:
                raise SkillNotServed(f"{params.uri} is not the skill://<name>/SKILL.md URI of a skill.")
            skill = self.catalog.skill(parsed[0], via="skills/get")
        except SkillNotServed as exc:
            raise MCPError(code=INVALID_PARAMS, message=f"No skill is served at {params.uri}. {exc}") from exc
        return {"resultType": "complete", "skill": _manifest(skill), "ttlMs": TTL_MS, "cacheScope": "private"}


class SkillServer(MCPServer):
    """An MCPServer whose `skill://` resources come from the catalog (per-file MIME types)."""

    def __init__(self, catalog: Catalog, **kwargs: Any) -> None:
        super().__init__(extensions=[SkillsExtension(catalog)], **kwargs)
        self.catalog = catalog

    async def read_resource(self, uri: AnyUrl | str, context: Context | None = None) -> Any:
        if parse_skill_uri(str(uri)) is None:
            return await super().read_resource(uri, context)
        try:
            served, data = self.catalog.read_uri(str(uri))
        except FileNotServed as exc:
            raise ResourceNotFoundError(str(exc)) from exc
        content: str | bytes = data.decode("utf-8") if is_text(data) else data
        return [ReadResourceContents(content=content, mime_type=served.mime_type)]

    async def list_resources(self) -> list[MCPResource]:
        skills = [
            MCPResource(uri=e.uri, name=e.name, description=e.description, mime_type="text/markdown",
                        _meta={META + "tier": e.tier})
            for e in _all_entries(self.catalog)
        ]
        return await super().list_resources() + skills

    async def list_resource_templates(self) -> list[MCPResourceTemplate]:
        template = MCPResourceTemplate(
            uri_template="skill://{name}/{+path}",
            name="skill-file",
            description="A file of a skill in the library; skill://<name>/SKILL.md holds its instructions.",
        )
        return await super().list_resource_templates() + [template]


def _all_entries(catalog: Catalog) -> Iterable[Entry]:
    cursor: str | None = None
    while True:
        page, cursor = catalog.page(cursor)
        yield from page
        if cursor is None:
            return


MAX_QUERY_CHARS = 8000  # the router's long tasks are ~1.4K characters (median of the expert queries)


def build_server(catalog: Catalog) -> SkillServer:
    """The MCP server over a catalog (a library seen through its trust tiers)."""
    server = SkillServer(catalog, name="skillbank", version=__version__, instructions=INSTRUCTIONS)

    @server.tool(annotations=_READ_ONLY)
    async def search_skills(
        query: Annotated[str, Field(description="The task, in a sentence or a few keywords.")],
        k: Annotated[int, Field(ge=1, le=50, description="How many skills to return.")] = 5,
    ) -> dict[str, Any]:
        """Find the skills in the library that fit a task, best first (name, description,
        score, trust tier, skill:// URI). Then call load_skill with the name you pick."""
        # A task is a few sentences; a huge one would hold the event loop (and every other
        # client) while it is scored, so only its head is searched and echoed.
        hits = catalog.search(query[:MAX_QUERY_CHARS], k)
        shown = query if len(query) <= 500 else query[:500] + f"… ({len(query)} characters)"
        return {"query": shown, "skills": [{**e.to_dict(), "score": round(score, 6)} for e, score in hits]}

    @server.tool(annotations=_READ_ONLY)
    async def load_skill(
        name: Annotated[str, Field(description="The skill's name, as search_skills or list_skills gave it.")],
    ) -> CallToolResult:
        """Load a skill: its SKILL.md instructions, its trust tier and the list of its
        bundled files (path, size, digest). Read a file with read_skill_file."""
        try:
            skill = catalog.skill(name, via="load_skill")
        except SkillNotServed as exc:
            raise ToolError(str(exc)) from exc
        meta: dict[str, Any] = {
            **skill.entry.to_dict(),
            "version": skill.entry.version,
            "digest": skill.entry.digest,
            "files": [f.to_dict() for f in skill.files],
        }
        if skill.withheld:
            meta["withheld"] = skill.withheld
        text = skill.text()
        return CallToolResult(
            content=[TextContent(text=text), TextContent(text=json.dumps(meta, indent=1, ensure_ascii=False))],
            structured_content={**meta, "instructions": text},
        )

    @server.tool(annotations=_READ_ONLY)
    async def read_skill_file(
        name: Annotated[str, Field(description="The skill's name.")],
        path: Annotated[str, Field(description="A file path from load_skill's list, e.g. references/forms.md.")],
    ) -> CallToolResult:
        """Read one bundled file of a skill. Text comes back as text; binary files as base64
        with their MIME type. Scripts of instructions-only skills are withheld."""
        try:
            served, data = catalog.read(name, path, via="read_skill_file")
        except (SkillNotServed, FileNotServed) as exc:
            raise ToolError(str(exc)) from exc
        meta = {"name": name, **served.to_dict()}
        if is_text(data):
            text = data.decode("utf-8")
            return CallToolResult(content=[TextContent(text=text)],
                                  structured_content={**meta, "encoding": "utf-8", "text": text})
        blob = base64.b64encode(data).decode("ascii")
        return CallToolResult(
            content=[EmbeddedResource(resource=BlobResourceContents(uri=served.uri, blob=blob,
                                                                    mime_type=served.mime_type))],
            structured_content={**meta, "encoding": "base64", "data": blob},
        )

    @server.tool(annotations=_READ_ONLY)
    async def list_skills(
        cursor: Annotated[str | None, Field(description="next_cursor from the previous page, if any.")] = None,
    ) -> dict[str, Any]:
        """List the library's skills by name, a page at a time (prefer search_skills for a task)."""
        try:
            page, next_cursor = catalog.page(cursor)
        except BadCursor as exc:
            raise ToolError(str(exc)) from exc
        return {"skills": [e.to_dict() for e in page], "next_cursor": next_cursor}

    return server


__all__ = ["EXTENSION_ID", "SkillServer", "SkillsExtension", "build_server", "skill_uri"]
