"""`qabot index --ray`: embedding on Ray gives the same index."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from support import write_seeds

import qabot.embedding.ray_embedder
from qabot.index.loaded import Index

ARTICLES = {
    "bridge.txt": "Old Bridge Reopens\n\nThe Old Bridge in Riverton reopened on Monday after two years of "
                  "repairs. Engineers replaced 40 steel beams.\n\nThe mayor said the work cost $12 million. "
                  "Traffic will be limited to cars for a month.\n",
    "flood.txt": "River Floods Valley\n\nThe Tigris rose four meters overnight. Farmers moved their herds to "
                 "higher ground.\n\nOfficials opened two shelters in the valley. Schools stayed closed on "
                 "Tuesday.\n",
    "launch.txt": "Rocket Launch Delayed\n\nThe launch of the Wayfarer lander was delayed by strong winds. "
                  "A new date was set for Friday.\n\nThe mission will land near the lunar south pole. It "
                  "carries six instruments.\n",
}


def _records(index: Index) -> list:
    return [[(s.file, s.line, s.start, s.end, s.text, s.passage) for s in index.sentences],
            [(p.file, p.line, p.start, p.end, p.text) for p in index.passages]]


@pytest.mark.model
def test_a_build_on_local_ray_is_the_build_in_this_process(tmp_path, cli, shared_model, monkeypatch):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    # Small pieces, so that both workers take several and order matters.
    monkeypatch.setattr(qabot.embedding.ray_embedder, "PIECE", 4)
    pieces = []
    encode = qabot.embedding.ray_embedder.RayEmbedder.encode
    monkeypatch.setattr(qabot.embedding.ray_embedder.RayEmbedder, "encode",
                        lambda self, texts, progress=None: pieces.append(len(texts)) or encode(self, texts, progress))
    plain = cli("index", "--seeds", seeds, "--index", tmp_path / "plain", "--json")
    on_ray = cli("index", "--seeds", seeds, "--index", tmp_path / "ray", "--ray", "--ray-workers", "2", "--json")
    assert plain.code == 0 and on_ray.code == 0, on_ray.err
    assert sum(pieces) == json.loads(on_ray.out)["texts_embedded"]  # every text went through Ray
    counts = [{k: v for k, v in json.loads(r.out).items() if k != "seconds"} for r in (plain, on_ray)]
    assert counts[0] == counts[1] and counts[0]["texts_embedded"] > 3 * 4
    first, second = Index.load(tmp_path / "plain"), Index.load(tmp_path / "ray")
    assert _records(first) == _records(second)
    for name in ("sentences", "passages"):
        a, b = first.vectors(name), second.vectors(name)
        assert a.shape == b.shape
        assert np.allclose(a, b, atol=1e-5)


def test_without_ray_installed_the_error_says_how_to_get_it(tmp_path, cli, no_model, monkeypatch):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    monkeypatch.setitem(sys.modules, "ray", None)
    result = cli("index", "--seeds", seeds, "--index", tmp_path / "index", "--ray")
    assert result.code == 2
    assert "pip install -e '.[ray]'" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("address, said", [
    ("127.0.0.1:1", "could not reach the Ray cluster at 127.0.0.1:1"),
    ("ray://[::1", "not a Ray address"),
    ("nohost", "not a Ray address"),
])
def test_a_cluster_that_cannot_be_reached_is_a_clear_error_at_once(tmp_path, cli, no_model, address, said):
    pytest.importorskip("ray")
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    result = cli("index", "--seeds", seeds, "--index", tmp_path / "index", "--ray", address)
    assert result.code == 2 and said in result.err, result.err
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("workers", ["0", "-2", "two"])
def test_ray_workers_must_be_a_positive_number(cli, workers):
    result = cli("index", "--ray", "--ray-workers", workers)
    assert result.code == 2 and "--ray-workers" in result.err


@pytest.mark.model
def test_a_worker_that_fails_is_a_clear_error_and_ray_stops():
    pytest.importorskip("ray")
    import ray

    embedder = qabot.embedding.ray_embedder.RayEmbedder(None, 1)
    try:
        with pytest.raises(qabot.embedding.ray_embedder.RayUnavailableError, match="^a Ray worker failed: ") as caught:
            embedder.encode(["a sentence", None])  # the model cannot read None
        assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)
    finally:
        embedder.close()
    assert not ray.is_initialized()


def test_more_workers_than_free_cpus_is_an_error_not_a_wait(tmp_path, cli, no_model):
    pytest.importorskip("ray")
    import ray

    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    result = cli("index", "--seeds", seeds, "--index", tmp_path / "index", "--ray", "--ray-workers", "4096")
    assert result.code == 2 and "free CPU" in result.err and "--ray-workers" in result.err, result.err
    assert not (tmp_path / "index").exists() and not ray.is_initialized()
