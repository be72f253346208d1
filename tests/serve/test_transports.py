"""`skillbank serve` as a real subprocess, talked to by the SDK's real clients."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from mcp import Client, StdioServerParameters
from mcp_types import PaginatedRequestParams

from skillbank.cli import main
from skillbank.serve.server import GetSkillParams

from .conftest import VISIBLE, ext, run

TOOLS = ["list_skills", "load_skill", "read_skill_file", "search_skills"]


def _serve_args(db: Path, *extra: str) -> list[str]:
    return ["-m", "skillbank", "serve", "--library", str(db), *extra]


async def _exercise(client: Client, hidden: tuple[str, ...] = ("pdf-combine",)) -> None:
    assert sorted(t.name for t in (await client.list_tools()).tools) == TOOLS
    found = await client.call_tool("search_skills", {"query": "merge two PDF documents", "k": 2})
    assert found.structured_content["skills"][0]["name"] == "pdf-merge"  # type: ignore[index]
    listed = await ext(client, "skills/list", PaginatedRequestParams())
    names = [s["frontmatter"]["name"] for s in listed["skills"]]
    assert set(VISIBLE) - set(hidden) <= set(names) and not set(hidden) & set(names)
    entry = (await ext(client, "skills/get", GetSkillParams(uri="skill://pdf-merge/SKILL.md")))["skill"]
    md = (await client.read_resource("skill://pdf-merge/SKILL.md")).contents[0]
    assert md.mime_type == "text/markdown"
    assert len(md.text.encode()) == entry["resources"][0]["size"]  # type: ignore[union-attr]
    refused = await client.call_tool("load_skill", {"name": "pdf-combine"})
    assert refused.is_error


def test_stdio_subprocess_with_a_policy(library_db: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("block_skills: ['git-*']\n")
    args = _serve_args(library_db, "--policy", str(policy))
    params = StdioServerParameters(command=sys.executable, args=args, cwd=str(tmp_path))

    async def main() -> None:
        async with Client(params) as client:
            await _exercise(client, hidden=("pdf-combine", "git-bisect"))
            refused = await client.call_tool("load_skill", {"name": "git-bisect"})
            assert refused.is_error

    run(main)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"server did not listen on {port} within {timeout}s:\n{log.read_text()}")


def test_streamable_http_subprocess(library_db: Path, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, *_serve_args(library_db, "--transport", "streamable-http", "--port", str(port))],
            cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
        )
        try:
            _wait_for(port, proc, log)

            async def main() -> None:
                async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                    await _exercise(client)

            run(main)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_serve_refuses_a_library_file_that_does_not_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--library", str(tmp_path / "nope.db")])
    assert result.exit_code == 2 and "no such library file" in result.output
    assert not (tmp_path / "nope.db").exists()
