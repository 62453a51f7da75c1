"""A build that fails or is killed midway leaves the served data untouched (issue: storage and scale).

Live servers (server_fixtures.start_server): what is under test is `skillsgraph serve` as a
process (its own build, its on-disk store, a restart reopening it) while other commands run
beside it."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from app_fixtures import seed_published_cache
from graph_support import FRAMEWORK_REL, cli_command, cli_env, copy_data, replace_once, run_cli
from seeded_homes import bundled_seed, seed_home
from server_fixtures import NAMESPACE, start_server, stop_server

STATEMENT = NAMESPACE + "framework/29-1129.01/v26.05/competency/proficient/3"


def snapshot(server, home: Path) -> dict:
    return {
        "statement": httpx.get(server.url_for(STATEMENT), headers={"Accept": "application/n-triples"}).content,
        "occupations": httpx.get(server.base_url + "/occupations").json()["totalItems"],
        "build": (home / "skillsgraph.nq").read_bytes(),
        "store": (home / "oxigraph" / "current").resolve(),
    }


def add_framework(data: Path, code: str, broken: bool = False) -> Path:
    """A second framework file: the reference one under another O*NET-SOC code."""
    text = (data / FRAMEWORK_REL).read_text(encoding="utf-8").replace("onet_soc: 29-1129.01", f"onet_soc: {code}")
    target = data / "frameworks" / f"{code}.yaml"
    target.write_text(text, encoding="utf-8")
    if broken:
        replace_once(target, "label: Program leadership", 'label: ""')
    return target


def test_failed_and_killed_builds_leave_the_served_store_untouched(tmp_path, tmp_path_factory, published_build):
    # The first start finds the data's build current and its store loaded (a seeded home); the
    # later builds in the home read the published graphs from its cache.
    data, home = copy_data(tmp_path / "served"), seed_home(bundled_seed(tmp_path_factory, published_build), tmp_path / "home")
    seed_published_cache(published_build, home)
    server = start_server(home, ["--data", str(data)])
    try:
        before = snapshot(server, home)
        # The framework's occupation among the 1,016 O*NET-SOC 2019 occupations the bundled crosswalks name.
        assert before["occupations"] == 1016 and b"Autonomous treatment planning" in before["statement"]

        # One invalid framework among valid ones: the build fails, naming it, and writes nothing.
        bad = copy_data(tmp_path / "bad")
        add_framework(bad, "29-1129.02")
        broken = add_framework(bad, "29-1129.03", broken=True)
        result = run_cli("build", "--data", str(bad), home=home)
        assert result.returncode == 1
        assert broken.name in result.stderr.decode() and b"Traceback" not in result.stderr
        assert snapshot(server, home) == before

        # A build killed midway: the previous build file and store are still what is served.
        many = tmp_path / "many"
        assert run_cli("generate", "--occupations", "16", "--out", str(many), home=home).returncode == 0
        process = subprocess.Popen([*cli_command(), "build", "--data", str(many), "--workers", "1"],
                                   env=cli_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        cache = home / "cache" / "frameworks"
        deadline = time.monotonic() + 120
        while not list(cache.glob("*.nq")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None, "the build finished before it could be interrupted"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert snapshot(server, home) == before
    finally:
        stop_server(server)

    # A restart with the unchanged data reopens the same store instead of rebuilding it.
    server = start_server(home, ["--data", str(data)])
    try:
        assert snapshot(server, home) == before
    finally:
        stop_server(server)
