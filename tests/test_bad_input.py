"""Each kind of broken source data, fed to the loader and to the CLI, is reported with the
file, the line (or, where a file has no lines to point at, the byte or the file alone), the
key path and a message that says what is wrong and what would be right; nothing is written."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from graph_support import FRAMEWORK_REL, copy_data, replace_once, run_cli

FRAMEWORK = FRAMEWORK_REL.as_posix()
SOURCES = "registries/sources.yaml"
FIRST_TEXT = ("      text: document initial reactions and behavioral responses to art-making activities under "
              "clinical supervisor guidance in an inpatient or outpatient mental health setting.\n")


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # relative to the data folder
    old: str
    new: str
    offset: int  # the bad line's place in `new`: 0 for its first line
    key_path: str  # "" for problems about the whole file
    fragments: tuple[str, ...] = field(default_factory=tuple)


def framework_keys() -> list[str]:
    from graph_support import DATA_DIR
    return list(yaml.safe_load((DATA_DIR / FRAMEWORK).read_text(encoding="utf-8"))["framework"])


CASES = [
    Case("yaml-syntax-error", FRAMEWORK, "  catalogue: nsx\n", "  catalogue: nsx: oops\n", 0, "",
         ("YAML syntax error", "mapping values are not allowed here", "check indentation, quoting and colons")),
    Case("unknown-key", FRAMEWORK, "  catalogue: nsx\n", "  catalogue: nsx\n  catalog: nsx\n", 1,
         "framework.catalog", ("unknown key 'catalog'", "allowed keys here: " + ", ".join(framework_keys()))),
    Case("unknown-key-in-a-registry", SOURCES, "    licence: https://creativecommons", "    license: https://creativecommons",
         0, "sources.onet-30.2.license", ("unknown key 'license'", "allowed keys here:", "licence")),
    Case("wrong-type", FRAMEWORK, "job_zone: {number: 5,", 'job_zone: {number: "five",', 0,
         "occupation.job_zone.number", ("expected a whole number", "'five'")),
    Case("missing-label", FRAMEWORK, "    - label: Client observation records\n" + FIRST_TEXT,
         "    - text: document initial reactions.\n", 0,
         "framework.competencies.emerging[0].label", ("missing required key 'label'",)),
    Case("empty-text", FRAMEWORK, FIRST_TEXT, "      text: ''\n", 0,
         "framework.competencies.emerging[0].text", ("must not be empty",)),
    Case("blank-text", FRAMEWORK, FIRST_TEXT, "      text: '   '\n", 0,
         "framework.competencies.emerging[0].text", ("'   ' is not valid", "a non-empty text")),
    Case("duplicate-label-in-a-level", FRAMEWORK, "    - label: Art therapy session protocols\n",
         "    - label: Client observation records\n", 0,
         "framework.competencies.emerging[1]",
         ("duplicate statement label in this level 'Client observation records'", "(first at item 0)")),
    Case("duplicate-key", FRAMEWORK, "  onet_soc: 29-1129.01\n", "  onet_soc: 29-1129.01\n  onet_soc: 29-1129.02\n",
         1, "occupation.onet_soc", ("duplicate key 'onet_soc'", "each key may appear once")),
    Case("malformed-onet-soc-code", FRAMEWORK, "  onet_soc: 29-1129.01\n", "  onet_soc: 29-1129.1\n", 0,
         "occupation.onet_soc", ("'29-1129.1' is not valid", "an O*NET-SOC code NN-NNNN.NN", "'29-1129.01'")),
    Case("malformed-cip-code", FRAMEWORK, "cip: ['51.2300',", "cip: ['51.23',", 0,
         "occupation.cip[0]", ("'51.23' is not valid", "a CIP code NN.NNNN", "'51.2301'")),
    Case("cip-code-written-as-a-number", FRAMEWORK, "cip: ['51.2300',", "cip: [51.23,", 0,
         "occupation.cip[0]", ("expected a text, got number 51.23",)),
    Case("unknown-cited-source", FRAMEWORK, "      cites: [wef-skills-taxonomy-2021]\n    developing:",
         "      cites: [wef-skills-taxonomy]\n    developing:", 0,
         "framework.ai_use.emerging[1].cites[0]",
         ("unknown source 'wef-skills-taxonomy'", "did you mean 'wef-skills-taxonomy-2021'?")),
    # Speaking: a descriptor no anchor decision names (one naming it would be reported too).
    Case("unknown-descriptor", FRAMEWORK, "    - Social Perceptiveness\n    - Speaking\n",
         "    - Social Perceptiveness\n    - Speakng\n", 1, "occupation.descriptors.skills[1]",
         ("unknown skills descriptor 'Speakng'", "did you mean 'Speaking'?",
          "registries/onet-descriptors.yaml")),
    Case("unknown-durable-domain", FRAMEWORK, "    metacognition:\n", "    metacognitoin:\n", 0,
         "framework.durable_skills.metacognitoin",
         ("unknown durable-skill domain 'metacognitoin'", "did you mean 'metacognition'?")),
    Case("competency-level-of-the-other-scale", FRAMEWORK, "    proficient:\n    - label: Comprehensive program design",
         "    applying:\n    - label: Comprehensive program design", 0,
         "framework.competencies.applying",
         ("'applying' is a level of the durable-proficiency scale", "not of the mastery scale",
          "emerging, developing, proficient, advanced")),
    Case("percentage-above-100", FRAMEWORK, "aei-augment-share: 5.6", "aei-augment-share: 101", 0,
         "framework.evidence.aei-augment-share", ("expected a percentage between 0 and 100, got 101",)),
    Case("negative-percentage", FRAMEWORK, "aei-time-saved: 61.1", "aei-time-saved: -3", 0,
         "framework.evidence.aei-time-saved", ("expected a percentage between 0 and 100, got -3",)),
    Case("unknown-safi-quadrant", FRAMEWORK, "safi-quadrant: Q2_ai_augmented", "safi-quadrant: Q5_unknown",
         0, "framework.evidence.safi-quadrant",
         ("unknown code of safi-quadrants 'Q5_unknown'", "known: Q2_ai_augmented")),
]


def break_data(data: Path, case: Case) -> tuple[Path, int]:
    """Apply the case's edit; returns the broken file and the line the problem must be reported on."""
    file = data / case.file
    return file, replace_once(file, case.old, case.new) + case.offset


def loader_problems(data: Path) -> list:
    from skillsgraph.loader.build import SourceDataError, build
    with pytest.raises(SourceDataError) as info:
        build(data, "https://w3id.org/skillsgraph/", workers=1)
    return info.value.problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_loader_reports_the_problem(data_copy, case):
    file, line = break_data(data_copy, case)
    problems = loader_problems(data_copy)
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert problem.file == file
    assert problem.line == line, str(problem)
    assert problem.key_path == case.key_path
    text = str(problem)
    assert text.startswith(f"{file}:{line}:")
    for fragment in case.fragments:
        assert fragment in text


def test_non_utf8_file(data_copy):
    file = data_copy / FRAMEWORK
    raw = file.read_bytes()
    offset = raw.index(b"Art Therapists\n") + len(b"Art Th")
    file.write_bytes(raw[:offset] + b"\xe9" + raw[offset + 1:])  # Latin-1 e-acute in place of 'e'
    problems = loader_problems(data_copy)
    assert len(problems) == 1
    assert problems[0].file == file
    text = str(problems[0])
    assert text.startswith(f"{file}: ")
    assert "not UTF-8 text" in text and f"at byte {offset}" in text and "save the file as UTF-8" in text


def test_missing_registry_file(data_copy):
    missing = data_copy / "registries" / "scales.yaml"
    missing.unlink()
    problems = loader_problems(data_copy)
    assert [str(p) for p in problems] == [f"{missing}: file not found; every data folder needs it (see README 'Source data')"]


def test_all_problems_are_reported_in_one_run(data_copy):
    """Two unrelated mistakes in two files: one run reports both."""
    framework = data_copy / FRAMEWORK
    replace_once(framework, "safi-quadrant: Q2_ai_augmented", "safi-quadrant: Q5_unknown")
    replace_once(framework, "    metacognition:\n", "    metacognitoin:\n")
    problems = loader_problems(data_copy)
    assert sorted(p.key_path for p in problems) == ["framework.durable_skills.metacognitoin", "framework.evidence.safi-quadrant"]


# ---- through the command line -----------------------------------------------------------------

CLI_CASES = {c.name: c for c in CASES}


def assert_clean_failure(result, expected_lines: list[str]) -> str:
    stdout, stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == 1, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert "nothing was written" in stderr
    for expected in expected_lines:
        assert expected in stderr, f"{expected!r} not in:\n{stderr}"
    return stderr


@pytest.mark.parametrize("name", ["unknown-cited-source", "competency-level-of-the-other-scale"])
def test_cli_validate_reports_the_problem(tmp_path, name):
    case = CLI_CASES[name]
    data = copy_data(tmp_path)
    file, line = break_data(data, case)
    result = run_cli("validate", "--data", str(data), home=tmp_path / "home")
    stderr = assert_clean_failure(result, [f"{file}:{line}:", f" {case.key_path}: ", *case.fragments])
    # one problem, one line: "file:line:column: key: message"
    problem_lines = [ln for ln in stderr.splitlines() if ln.startswith("  ")]
    assert len(problem_lines) == 1 and problem_lines[0].startswith(f"  {file}:{line}:")
    assert list((tmp_path / "home").iterdir()) == []  # validate writes nothing


def test_cli_validate_non_utf8(tmp_path):
    data = copy_data(tmp_path)
    file = data / FRAMEWORK
    file.write_bytes(file.read_bytes().replace(b"Art Therapists", b"Art Th\xe9rapists", 1))
    result = run_cli("validate", "--data", str(data), home=tmp_path / "home")
    assert_clean_failure(result, [f"{file}: not UTF-8 text"])


def test_cli_build_writes_nothing_on_bad_input(tmp_path):
    data = copy_data(tmp_path)
    file, line = break_data(data, CLI_CASES["yaml-syntax-error"])
    out = tmp_path / "out" / "graph.nq"
    result = run_cli("build", "--data", str(data), "--out", str(out), home=tmp_path / "home")
    assert_clean_failure(result, [f"{file}:{line}:", "YAML syntax error"])
    assert not out.exists()
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_cli_build_leaves_a_previous_build_untouched(tmp_path):
    data = copy_data(tmp_path)
    file, line = break_data(data, CLI_CASES["percentage-above-100"])
    out = tmp_path / "graph.nq"
    previous = b"<urn:x:previous> <urn:x:build> \"kept\" <urn:x:g> .\n"
    out.write_bytes(previous)
    result = run_cli("build", "--data", str(data), "--out", str(out), home=tmp_path / "home")
    assert_clean_failure(result, [f"{file}:{line}:", "framework.evidence.aei-augment-share",
                                  "expected a percentage between 0 and 100, got 101"])
    assert out.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".graph.nq")] == []  # no temporary file left


def test_cli_build_missing_registry(tmp_path):
    data = copy_data(tmp_path)
    (data / "registries" / "evidence.yaml").unlink()
    out = tmp_path / "graph.nq"
    result = run_cli("build", "--data", str(data), "--out", str(out), home=tmp_path / "home")
    assert_clean_failure(result, [f"{data / 'registries' / 'evidence.yaml'}: file not found"])
    assert not out.exists()


def test_libyaml_marks_every_value_where_the_pure_python_parser_does(monkeypatch):
    """Files are read by libyaml, which must place every key and value (and so every problem)
    where PyYAML's pure-Python parser does; its error messages are the pure parser's (see
    yaml-syntax-error above: libyaml words that one differently)."""
    from graph_support import DATA_DIR
    from skillsgraph.loader import source_files
    from versioned_support import RELEASES_DIR
    assert source_files._FAST_LOADER is yaml.CSafeLoader
    files = sorted(DATA_DIR.rglob("*.yaml")) + sorted(RELEASES_DIR.glob("*.yaml"))
    fast = [source_files.read_yaml(f) for f in files]
    monkeypatch.setattr(source_files, "_FAST_LOADER", yaml.SafeLoader)
    for file, doc in zip(files, fast):
        pure = source_files.read_yaml(file)
        assert (doc.data, doc.positions) == (pure.data, pure.positions), file


# ---- every problem of every kind, in one run ---------------------------------------------------

def test_one_run_reports_a_model_problem_beside_the_checks_it_used_to_hide(data_copy):
    """A value that breaks the data model (an unquoted CIP code) no longer hides what the other
    checks find in the same file: a duplicate label and a mistyped source."""
    framework = data_copy / FRAMEWORK
    cip_line = replace_once(framework, "cip: ['51.2300',", "cip: [51.2300,")
    label_line = replace_once(framework, "    - label: Art therapy session protocols\n", "    - label: Client observation records\n")
    cite_line = replace_once(framework, "      cites: [wef-skills-taxonomy-2021]\n    developing:",
                             "      cites: [wef-skills-taxonomy]\n    developing:")
    problems = sorted(loader_problems(data_copy), key=lambda p: p.line)
    assert [(p.line, p.key_path) for p in problems] == [
        (cip_line, "occupation.cip[0]"), (label_line, "framework.competencies.emerging[1]"),
        (cite_line, "framework.ai_use.emerging[1].cites[0]")]
    cip = str(problems[0])
    # The value as written, not as YAML read it, and how to keep it a code.
    assert "51.2300" in cip and "quote it: '51.2300'" in cip and "as the number 51.23" in cip
    assert "did you mean 'wef-skills-taxonomy-2021'?" in str(problems[2])


def test_a_broken_statement_is_left_out_of_the_other_checks_not_echoed_by_them(data_copy):
    """A statement missing its label is one problem; the file's other mistakes are still found,
    and the statements after it are not reported at moved positions."""
    framework = data_copy / FRAMEWORK
    replace_once(framework, "    - label: Client observation records\n" + FIRST_TEXT, "    - text: document initial reactions.\n")
    replace_once(framework, "    metacognition:\n", "    metacognitoin:\n")
    problems = loader_problems(data_copy)
    assert sorted(p.key_path for p in problems) == ["framework.competencies.emerging[0].label",
                                                    "framework.durable_skills.metacognitoin"]


@pytest.mark.parametrize("old, new, opener", [
    ("cip: ['51.2300', ", "cip: ['51.2300' ", "["),
    ("job_zone: {number: 5,", "job_zone: {number: 5", "{"),
    ("  title: Art Therapists\n", "  title: 'Art Therapists\n", "'"),
], ids=["list", "mapping", "quoted-text"])
def test_an_unclosed_construct_is_reported_on_the_line_that_opened_it(data_copy, old, new, opener):
    file = data_copy / FRAMEWORK
    line = replace_once(file, old, new)
    text = file.read_text(encoding="utf-8").splitlines()[line - 1]
    [problem] = loader_problems(data_copy)
    assert (problem.file, problem.line, problem.column) == (file, line, text.index(opener, text.index(":")) + 1)
    assert "YAML syntax error" in problem.message and "not closed" in problem.message
    assert "found at line" in problem.message  # where the parser noticed, for the curious


def test_source_problems_and_shacl_violations_are_reported_together(tmp_path):
    """One framework's file problems do not hide SHACL's findings on another framework."""
    from rdflib import Graph

    from skillsgraph.loader.build import _check
    from skillsgraph.loader.errors import SourceDataError, SourceProblem
    from skillsgraph.loader.framework_jobs import Outcome
    from skillsgraph.loader.validation import Violation
    problem = SourceProblem(tmp_path / "a.yaml", 3, 1, "occupation.cip[0]", "bad code")
    violation = Violation("graph/framework/b", "urn:x:b", "sg:level", None, "a statement needs a level")
    with pytest.raises(SourceDataError) as info:
        _check([Outcome(tmp_path / "a.yaml", problems=[problem]),
                Outcome(tmp_path / "b.yaml", violations=[violation], release_key=("b", "1"))], Graph())
    assert info.value.problems == [problem] and info.value.violations == [violation]


def test_a_build_reports_each_stage_with_its_total_before_it_ends():
    """Progress that says how much there is from the start (not '0/?' until the end)."""
    from graph_support import DATA_DIR
    from skillsgraph.loader.build import IMPORTING, READING, VALIDATING, build
    from skillsgraph.loader.source_files import framework_paths
    events: list[tuple[str, int, int]] = []
    build(DATA_DIR, "https://w3id.org/skillsgraph/", None, workers=1, on_progress=lambda *e: events.append(e))
    frameworks = len(framework_paths(DATA_DIR))
    assert events[0] == (READING, 0, 1) and (READING, 1, 1) in events
    stage = [e for e in events if e[0] == VALIDATING]
    assert stage[0] == (VALIDATING, 0, frameworks) and stage[-1] == (VALIDATING, frameworks, frameworks)
    assert all(total == frameworks for _s, _d, total in stage)
    assert not [e for e in events if e[0] == IMPORTING]  # a check-only run imports nothing


def test_the_published_import_reports_each_file_as_it_is_done(tmp_path):
    from graph_support import DATA_DIR
    from skillsgraph.loader.bundled import entries
    from skillsgraph.loader.published import _run
    found = entries(DATA_DIR)[:2]  # the two smallest would do; the first two are enough to count
    events: list[tuple[int, int]] = []
    _run(DATA_DIR, "https://w3id.org/skillsgraph/", found, 1, lambda done, total: events.append((done, total)))
    assert events == [(0, 2), (1, 2), (2, 2)]


# ---- the command's help -------------------------------------------------------------------------

def test_the_command_without_arguments_prints_its_help_and_succeeds():
    from typer.testing import CliRunner

    from skillsgraph.cli import app
    runner = CliRunner()
    for args in ([], ["import"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage:" in result.output and "Commands" in result.output


def test_no_option_shows_a_bool_metavar():
    from typer.testing import CliRunner

    from skillsgraph.cli import app
    runner = CliRunner()
    commands = [[], ["build"], ["validate"], ["serve"], ["query"], ["export"], ["generate"], ["import"],
                ["import", "onet"], ["import", "crosswalk"], ["import", "classification"]]
    for command in commands:
        result = runner.invoke(app, [*command, "--help"], terminal_width=200)
        assert result.exit_code == 0, (command, result.output)
        assert "--help" in result.output and "<bool>" not in result.output, (command, result.output)
    serve = runner.invoke(app, ["serve", "--help"], terminal_width=200).output
    assert "<int>" in serve  # options that take a value still say what kind
