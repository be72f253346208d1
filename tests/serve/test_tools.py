"""The server through the SDK's in-memory client: tools, resources and the skills extension."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, PaginatedRequestParams

from skillbank.api import Library
from skillbank.audit import Policy
from skillbank.serve import Catalog, build_server
from skillbank.serve.server import GetSkillParams

from .conftest import PNG, SKILLS, VISIBLE, ext, run

Body = Callable[[Client], Awaitable[Any]]


@asynccontextmanager
async def connect(db: Path, policy: Policy | None = None, page_size: int = 50) -> AsyncIterator[Client]:
    with Library.open(db) as lib:
        async with Client(build_server(Catalog(lib, policy, page_size=page_size))) as client:
            yield client


def serve(db: Path, body: Body, **kw: Any) -> Any:
    async def main() -> Any:
        async with connect(db, **kw) as client:
            return await body(client)

    return run(main)


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def files_on_disk(name: str) -> dict[str, bytes]:
    description, body, extra, _ = SKILLS[name]
    skill_md = f"---\nname: {name}\ndescription: {description}\n---\n{body}".encode()
    return {"SKILL.md": skill_md, **extra}


async def tool(client: Client, tool_name: str, /, **args: Any) -> Any:
    result = await client.call_tool(tool_name, args)
    assert not result.is_error, result.content
    return result.structured_content


async def tool_error(client: Client, tool_name: str, /, **args: Any) -> str:
    result = await client.call_tool(tool_name, args)
    assert result.is_error
    return result.content[0].text  # type: ignore[union-attr]


async def all_pages(client: Client, method: str = "skills/list") -> list[dict[str, Any]]:
    skills, cursor = [], None
    while True:
        page = await ext(client, method, PaginatedRequestParams(cursor=cursor))
        skills += page["skills"]
        cursor = page.get("nextCursor")
        if not cursor:
            return skills


def test_only_the_fixed_tools(library_db: Path) -> None:
    async def body(client: Client) -> None:
        tools = await client.list_tools()
        assert sorted(t.name for t in tools.tools) == ["list_skills", "load_skill", "read_skill_file", "search_skills"]
        assert all(t.annotations and t.annotations.read_only_hint for t in tools.tools)
        assert "io.modelcontextprotocol/skills" in (client.server_capabilities.extensions or {})

    serve(library_db, body)


def test_search_returns_the_right_skill_with_tier_and_uri(library_db: Path) -> None:
    async def body(client: Client) -> None:
        found = await tool(client, "search_skills", query="combine two PDF files into one", k=3)
        top = found["skills"][0]
        assert top["name"] == "pdf-merge"
        assert top["tier"] == "scripts-in-sandbox" and top["scripts"] == "sandbox"
        assert top["uri"] == "skill://pdf-merge/SKILL.md" and top["score"] > 0
        bisect = await tool(client, "search_skills", query="which commit broke the tests", k=1)
        assert [s["name"] for s in bisect["skills"]] == ["git-bisect"]

    serve(library_db, body)


def test_load_and_read_round_trip_the_stored_bytes(library_db: Path) -> None:
    disk = files_on_disk("pdf-merge")

    async def body(client: Client) -> None:
        loaded = await tool(client, "load_skill", name="pdf-merge")
        assert loaded["instructions"].encode() == disk["SKILL.md"]
        assert loaded["tier"] == "scripts-in-sandbox"
        listed = {f["path"]: f for f in loaded["files"]}
        assert {p: (f["size"], f["digest"]) for p, f in listed.items()} == {
            p: (len(d), sha(d)) for p, d in disk.items()
        }
        assert not any("withheld" in f for f in loaded["files"])
        raw = await client.call_tool("load_skill", {"name": "pdf-merge"})
        assert raw.content[0].text.encode() == disk["SKILL.md"]  # type: ignore[union-attr]
        for path, data in disk.items():
            got = await tool(client, "read_skill_file", name="pdf-merge", path=path)
            if got["encoding"] == "base64":
                assert base64.b64decode(got["data"]) == data and got["mime_type"] == "image/png"
            else:
                assert got["text"].encode() == data
            assert got["digest"] == sha(data) and got["size"] == len(data)
        assert disk["assets/logo.png"] == PNG

    serve(library_db, body)


def test_resources_read_serves_skill_md_as_markdown_and_binaries_as_blobs(library_db: Path) -> None:
    disk = files_on_disk("pdf-merge")

    async def body(client: Client) -> None:
        md = (await client.read_resource("skill://pdf-merge/SKILL.md")).contents[0]
        assert md.mime_type == "text/markdown" and md.text.encode() == disk["SKILL.md"]  # type: ignore[union-attr]
        png = (await client.read_resource("skill://pdf-merge/assets/logo.png")).contents[0]
        assert png.mime_type == "image/png" and base64.b64decode(png.blob) == PNG  # type: ignore[union-attr]
        listed = (await client.list_resources()).resources
        assert sorted(r.name for r in listed) == sorted(VISIBLE + ["filler-00", "filler-01", "filler-02"])
        assert all(r.uri == f"skill://{r.name}/SKILL.md" for r in listed)
        assert {r.mime_type for r in listed} == {"text/markdown"}
        templates = (await client.list_resource_templates()).resource_templates
        assert [t.uri_template for t in templates] == ["skill://{name}/{+path}"]

    serve(library_db, body)


@pytest.mark.parametrize("path", ["../csv-profile/SKILL.md", "/etc/passwd", "references/../SKILL.md",
                                  "./SKILL.md", "references\\forms.md", "references//forms.md"])
def test_paths_escaping_the_skill_are_refused(library_db: Path, path: str) -> None:
    async def body(client: Client) -> None:
        message = await tool_error(client, "read_skill_file", name="pdf-merge", path=path)
        assert "not a path inside the skill" in message

    serve(library_db, body)


@pytest.mark.parametrize("uri", ["skill://pdf-merge/../csv-profile/SKILL.md", "skill://pdf-merge/%2e%2e/git-bisect/SKILL.md",
                                 "skill://pdf-merge/references/%2e%2e/%2e%2e/csv-profile/SKILL.md",
                                 "skill://pdf-merge//etc/passwd", "skill://pdf-merge/nope.md"])
def test_resource_uris_escaping_the_skill_are_refused(library_db: Path, uri: str) -> None:
    async def body(client: Client) -> None:
        with pytest.raises(MCPError) as err:
            await client.read_resource(uri)
        assert err.value.error.code == INVALID_PARAMS

    serve(library_db, body)


def test_blocked_skill_is_invisible_everywhere(library_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocked = "pdf-combine"

    async def body(client: Client) -> None:
        found = await tool(client, "search_skills", query="combine and merge PDF files into one PDF", k=10)
        assert blocked not in [s["name"] for s in found["skills"]] and found["skills"]
        listed = await tool(client, "list_skills")
        assert blocked not in [s["name"] for s in listed["skills"]]
        # The same answer as for a skill that does not exist, so the name does not leak.
        for name in (blocked, "no-such-skill"):
            expected = f"No skill named {name!r} is served here; search_skills or list_skills shows what is."
            assert (await tool_error(client, "load_skill", name=name)).endswith(expected)
            assert (await tool_error(client, "read_skill_file", name=name, path="SKILL.md")).endswith(expected)
        errors = {}
        for name in (blocked, "no-such-skill"):
            with pytest.raises(MCPError) as err:
                await client.read_resource(f"skill://{name}/SKILL.md")
            with pytest.raises(MCPError) as got:
                await ext(client, "skills/get", GetSkillParams(uri=f"skill://{name}/SKILL.md"))
            errors[name] = [(e.value.error.code, e.value.error.message.replace(name, "NAME")) for e in (err, got)]
        assert errors[blocked] == errors["no-such-skill"]
        assert {code for code, _ in errors[blocked]} == {INVALID_PARAMS}
        assert blocked not in [r.name for r in (await client.list_resources()).resources]
        assert blocked not in [s["frontmatter"]["name"] for s in await all_pages(client)]

    with caplog.at_level(logging.WARNING, logger="skillbank.serve"):
        serve(library_db, body)
    refusals = [r.getMessage() for r in caplog.records if r.name == "skillbank.serve"]
    assert any("'pdf-combine'" in m and "blocked" in m for m in refusals)
    assert not any("no-such-skill" in m for m in refusals)


def test_instructions_only_withholds_scripts(library_db: Path) -> None:
    async def body(client: Client) -> None:
        loaded = await tool(client, "load_skill", name="share-report")
        assert loaded["tier"] == "instructions-only" and loaded["scripts"] == "withheld"
        files = {f["path"]: f for f in loaded["files"]}
        assert "withheld" in files["scripts/share.sh"] and "withheld" not in files["references/usage.md"]
        assert loaded["withheld"] == ["scripts/share.sh"]
        message = await tool_error(client, "read_skill_file", name="share-report", path="scripts/share.sh")
        assert "withheld" in message and "instructions-only" in message
        doc = await tool(client, "read_skill_file", name="share-report", path="references/usage.md")
        assert doc["text"].startswith("# Usage")
        with pytest.raises(MCPError) as err:
            await client.read_resource("skill://share-report/scripts/share.sh")
        assert "withheld" in err.value.error.message
        entry = (await ext(client, "skills/get", GetSkillParams(uri="skill://share-report/SKILL.md")))["skill"]
        assert [r["uri"] for r in entry["resources"]] == ["skill://share-report/SKILL.md",
                                                          "skill://share-report/references/usage.md"]
        assert entry["_meta"]["dev.skillbank/withheld"] == ["scripts/share.sh"]
        assert entry["_meta"]["dev.skillbank/tier"] == "instructions-only"

    serve(library_db, body)


def test_skills_list_paginates_without_gaps_or_repeats(library_db: Path) -> None:
    async def body(client: Client) -> None:
        first = await ext(client, "skills/list")
        assert len(first["skills"]) == 2 and first["nextCursor"]
        assert first["ttlMs"] >= 0 and first["cacheScope"] in ("private", "public")
        names = [s["frontmatter"]["name"] for s in await all_pages(client)]
        assert names == sorted(VISIBLE + ["filler-00", "filler-01", "filler-02"])
        tools_names, cursor = [], None
        while True:
            page = await tool(client, "list_skills", **({"cursor": cursor} if cursor else {}))
            tools_names += [s["name"] for s in page["skills"]]
            if not (cursor := page["next_cursor"]):
                break
        assert tools_names == names
        with pytest.raises(MCPError) as err:
            await ext(client, "skills/list", PaginatedRequestParams(cursor="not a cursor!"))
        assert err.value.error.code == INVALID_PARAMS

    serve(library_db, body, page_size=2)


def test_skills_get_digests_match_the_stored_ones(library_db: Path) -> None:
    async def body(client: Client) -> None:
        for entry in await all_pages(client):
            name = entry["frontmatter"]["name"]
            got = (await ext(client, "skills/get", GetSkillParams(uri=entry["uri"])))["skill"]
            assert got == entry
            with Library.open(library_db) as lib:
                stored = lib.get(name)
            expected = [
                {"uri": f"skill://{name}/{e['path']}", "digest": e["digest"], "size": e["size"]}
                for e in stored.entries() if e["path"] not in got["_meta"]["dev.skillbank/withheld"]
            ]
            assert got["resources"] == expected
            assert got["frontmatter"] == stored.frontmatter
            assert got["_meta"]["dev.skillbank/digest"] == stored.digest
            for resource in got["resources"]:
                content = (await client.read_resource(resource["uri"])).contents[0]
                data = content.text.encode() if hasattr(content, "text") else base64.b64decode(content.blob)
                assert (sha(data), len(data)) == (resource["digest"], resource["size"])
        with pytest.raises(MCPError) as err:
            await ext(client, "skills/get", GetSkillParams(uri="skill://pdf-merge/references/forms.md"))
        assert err.value.error.code == INVALID_PARAMS

    serve(library_db, body)


def test_a_policy_retiers_skills(library_db: Path) -> None:
    policy = Policy.from_dict({"trusted_sources": ["folder:*"], "block_skills": ["csv-*"]})

    async def body(client: Client) -> None:
        found = await tool(client, "search_skills", query="merge pdf files", k=10)
        tiers = {s["name"]: (s["tier"], s["scripts"]) for s in found["skills"]}
        assert tiers["pdf-merge"] == ("trusted", "allowed")
        assert "csv-profile" not in tiers and "pdf-combine" not in tiers
        assert "No skill named 'csv-profile'" in await tool_error(client, "load_skill", name="csv-profile")

    serve(library_db, body, policy=policy)


def test_huge_arguments_are_not_echoed_back_in_full(library_db: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="skillbank.serve")

    async def body(client: Client) -> None:
        long_query = "combine two PDF files into one " + "x" * 200_000
        found = await tool(client, "search_skills", query=long_query, k=1)
        assert isinstance(found["skills"], list)  # answered (only its head was scored)
        assert len(found["query"]) < 1_000 and "characters)" in found["query"]
        message = await tool_error(client, "load_skill", name="n" * 1_000_000)
        assert len(message) < 2_000 and "No skill named" in message
        message = await tool_error(client, "read_skill_file", name="pdf-merge", path="../" * 100_000)
        assert len(message) < 2_000

    serve(library_db, body)
    assert max((len(r.getMessage()) for r in caplog.records), default=0) < 5_000
