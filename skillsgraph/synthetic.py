"""A synthetic catalogue shaped like the reference framework, for benchmarks and scale tests.

Deterministic: the same N gives byte-identical files. Everything it writes is labelled
synthetic (catalogue title, occupation titles, a README), and it is meant to be built under
its own namespace (SYNTHETIC_NAMESPACE), never served as the default data. Statement
counts per level and domain, citations, descriptors, tasks, CIP codes and evidence follow
the reference page; the words are drawn from the reference page's own vocabulary.
"""
from __future__ import annotations

import hashlib
import random
import re
import shutil
from pathlib import Path

import yaml

SYNTHETIC_NAMESPACE = "https://w3id.org/skillsgraph/synthetic/"
MASTERY = ["emerging", "developing", "proficient", "advanced"]
PROFICIENCY = ["emerging", "developing", "applying", "exceeding"]
AI_USE_PER_LEVEL = [2, 3, 4, 5]
# Durable statements per domain and proficiency level, as on the reference page (88 in all).
DURABLE_COUNTS = {
    "communication": [3, 3, 3, 3], "leadership": [2, 2, 3, 3], "metacognition": [2, 2, 2, 2],
    "critical-thinking": [2, 2, 3, 2], "collaboration": [2, 2, 2, 2], "character": [2, 2, 3, 2],
    "creativity": [2, 2, 2, 2], "growth-mindset": [2, 2, 2, 2], "mindfulness": [2, 2, 2, 2], "fortitude": [2, 2, 2, 2],
}
# A pool of real CIP 2020 codes, so that "occupations sharing a CIP code" has answers.
CIP_POOL = [f"51.{n:04d}" for n in range(2300, 2320)] + [f"13.{n:04d}" for n in range(1001, 1021)] + \
           [f"52.{n:04d}" for n in range(201, 221)] + [f"11.{n:04d}" for n in range(101, 111)]
DESCRIPTOR_COUNTS = {"skills": 20, "knowledge": 8, "abilities": 10, "work_styles": 6, "technology": 10}
DURABLE_SOURCES = ["pathsmith-durable-skills", "onet-30.2"]
AI_SOURCES = ["aei-2026-03-24", "safi-2026", "wef-skills-taxonomy-2021"]


def _vocabulary(reference: dict) -> list[str]:
    words: set[str] = set()
    for statements in reference["framework"]["competencies"].values():
        for st in statements:
            words.update(re.findall(r"[a-z]{4,}", st["text"]))
    return sorted(words)


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n))


def _label(rng: random.Random, words: list[str]) -> str:
    return _sentence(rng, words, rng.randint(2, 4)).capitalize()


def _statements(rng: random.Random, words: list[str], count: int, sources: list[str] | None) -> list[dict]:
    out, labels = [], set()
    while len(out) < count:
        label = _label(rng, words)
        if label in labels:
            continue
        labels.add(label)
        item = {"label": label, "text": _sentence(rng, words, rng.randint(12, 24)) + "."}
        if sources is not None:
            item["cites"] = sorted(rng.sample(sources, rng.randint(1, 2)), key=sources.index)
        out.append(item)
    return out


def occupation_codes(n: int, onet_occupations: list[tuple[str, str]] | None) -> list[tuple[str, str]]:
    """Real O*NET-SOC codes and titles when given (so imported O*NET data joins), else 99-NNNN.00."""
    if onet_occupations:
        chosen = sorted(onet_occupations)[:n]
        if len(chosen) < n:
            raise ValueError(f"only {len(chosen)} occupations available, {n} asked for")
        return [(code, f"Synthetic: {title}") for code, title in chosen]
    return [(f"99-{i:04d}.00", f"Synthetic occupation {i:04d}") for i in range(1, n + 1)]


def framework_document(code: str, title: str, reference: dict, registry: dict) -> dict:
    rng = random.Random(hashlib.sha256(code.encode()).digest())
    words = _vocabulary(reference)
    descriptors = {kind: [d["name"] for d in rng.sample(registry[kind], min(count, len(registry[kind])))]
                   for kind, count in DESCRIPTOR_COUNTS.items()}
    return {
        "occupation": {
            "onet_soc": code, "title": title, "job_zone": {"number": rng.randint(1, 5), "name": "Synthetic preparation"},
            "related_titles": sorted({f"{_label(rng, words)} specialist" for _ in range(12)}),
            "rapids_apprenticeships": [],
            "cip": sorted(rng.sample(CIP_POOL, 10)),
            "tasks": [_sentence(rng, words, rng.randint(10, 18)).capitalize() + "." for _ in range(8)],
            "descriptors": {"source": "skillscrosswalk", **descriptors},
        },
        "framework": {
            "release": "26.05", "catalogue": "nsx",
            "context": "Synthetic framework generated for benchmarks; not real data. " + _sentence(rng, words, 20) + ".",
            "competencies": {lv: _statements(rng, words, 10, None) for lv in MASTERY},
            "ai_use": {lv: _statements(rng, words, n, AI_SOURCES) for lv, n in zip(MASTERY, AI_USE_PER_LEVEL)},
            "durable_skills": {domain: {lv: _statements(rng, words, n, DURABLE_SOURCES) for lv, n in zip(PROFICIENCY, counts)}
                               for domain, counts in DURABLE_COUNTS.items()},
            "evidence": {
                "aei-task-observations": rng.randint(0, 500), "aei-augment-share": round(rng.uniform(0, 100), 1),
                "aei-time-saved": round(rng.uniform(0, 100), 1), "aei-ai-autonomy": round(rng.uniform(1, 5), 2),
                "safi-top-skill": descriptors["skills"][0], "safi-score": round(rng.uniform(0, 100), 1),
                "safi-quadrant": "Q2_ai_augmented", "safi-precision": "synthetic",
                "wef-cluster": "human_technology_interaction",
            },
        },
    }


def generate(out_dir: Path, occupations: int, reference_data: Path,
             onet_occupations: list[tuple[str, str]] | None = None) -> list[Path]:
    """Write a data folder (registries + one framework file per occupation) to out_dir."""
    reference = yaml.safe_load((reference_data / "frameworks" / "29-1129.01.yaml").read_text(encoding="utf-8"))
    registry = yaml.safe_load((reference_data / "registries" / "onet-descriptors.yaml").read_text(encoding="utf-8"))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(reference_data / "registries", out_dir / "registries")
    catalogue_file = out_dir / "registries" / "catalogue.yaml"
    catalogue = yaml.safe_load(catalogue_file.read_text(encoding="utf-8"))
    catalogue["catalogue"]["title"] = "Synthetic catalogue (generated for benchmarks; not real data)"
    catalogue["catalogue"]["occupations_with_source_data"] = occupations
    catalogue_file.write_text(yaml.safe_dump(catalogue, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (out_dir / "README.md").write_text(
        f"Synthetic catalogue of {occupations} frameworks made by `skillsgraph generate`; not real data.\n"
        f"Build it under its own namespace: SKILLSGRAPH_NAMESPACE={SYNTHETIC_NAMESPACE}\n", encoding="utf-8")
    frameworks = out_dir / "frameworks"
    frameworks.mkdir(parents=True)
    written = []
    for code, title in occupation_codes(occupations, onet_occupations):
        path = frameworks / f"{code}.yaml"
        doc = framework_document(code, title, reference, registry)
        path.write_text("# Synthetic framework: generated, not real data.\n" +
                        yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100000), encoding="utf-8")
        written.append(path)
    return written
