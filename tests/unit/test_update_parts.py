"""The parts of `update`: the 3-way merge, the baseline archive, and which answers an update changes."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from wizard.answers import validate_answers
from wizard.errors import UsageError
from wizard.knowledge import resolve
from wizard.update.answers import answered_keys, resolve_update
from wizard.update.merge import TEMPLATE_LABEL, YOURS_LABEL, is_binary, merge_text
from wizard.update.pristine import BASELINE_FILE, Baseline, pack, read_baseline, unpack

BASE = b"".join(b"line %d\n" % i for i in range(1, 11))
# (yours, template) pairs over BASE: distant edits, the same line, adjacent lines, identical edits, deletions.
SCENARIOS = {
    "distant": (BASE.replace(b"line 2\n", b"line two\n"), BASE.replace(b"line 9\n", b"line nine\n")),
    "same-line": (BASE.replace(b"line 5\n", b"mine\n"), BASE.replace(b"line 5\n", b"theirs\n")),
    "adjacent": (BASE.replace(b"line 5\n", b"mine\n"), BASE.replace(b"line 6\n", b"theirs\n")),
    "identical": (BASE.replace(b"line 3\n", b"same\n"), BASE.replace(b"line 3\n", b"same\n")),
    "insert-and-delete": (BASE.replace(b"line 1\n", b"line 0\nline 1\n"), BASE.replace(b"line 10\n", b"")),
    "no-final-newline": (b"a\nmine", b"a\ntheirs"),
}


def test_edits_on_different_lines_merge_cleanly() -> None:
    yours, template = SCENARIOS["distant"]
    merged = merge_text(BASE, yours, template)
    assert merged.conflicts == 0
    assert b"line two\n" in merged.content and b"line nine\n" in merged.content


def test_a_clash_gets_markers_naming_both_sides() -> None:
    yours, template = SCENARIOS["same-line"]
    merged = merge_text(BASE, yours, template)
    assert merged.conflicts == 1
    assert (
        b"<<<<<<< " + YOURS_LABEL + b"\nmine\n=======\ntheirs\n>>>>>>> " + TEMPLATE_LABEL + b"\n"
    ) in merged.content


def test_a_marker_never_joins_a_last_line_without_newline() -> None:
    merged = merge_text(b"a\nb", *SCENARIOS["no-final-newline"])
    assert b"mine\n=======\ntheirs\n>>>>>>>" in merged.content


def test_crlf_files_merge_with_lf_templates_without_conflict() -> None:
    yours = BASE.replace(b"line 2\n", b"line two\n").replace(b"\n", b"\r\n")
    merged = merge_text(BASE, yours, BASE.replace(b"line 9\n", b"line nine\n"))
    assert merged.conflicts == 0 and merged.content == yours.replace(b"line 9", b"line nine")


def test_binary_detection() -> None:
    assert is_binary(b"PK\0\0") and is_binary(b"\xff\xfe") and not is_binary("日本語\n".encode())


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_same_result_as_git_merge_file(name: str, tmp_path: Path) -> None:
    """merge3 is the one merge used; on these cases it writes exactly what `git merge-file` writes."""
    yours, template = SCENARIOS[name]
    base = b"a\nb" if name == "no-final-newline" else BASE
    paths = []
    for label, content in (("yours", yours), ("base", base), ("template", template)):
        (tmp_path / label).write_bytes(content)
        paths.append(str(tmp_path / label))
    git = subprocess.run(
        [
            "git",
            "-c",
            "merge.conflictStyle=merge",
            "merge-file",
            "-p",
            "-L",
            YOURS_LABEL.decode(),
            "-L",
            "base",
            "-L",
            TEMPLATE_LABEL.decode(),
            *paths,
        ],
        capture_output=True,
        check=False,
    )
    merged = merge_text(base, yours, template)
    assert merged.content == git.stdout
    assert merged.conflicts == git.returncode


def test_the_baseline_archive_is_deterministic_and_round_trips() -> None:
    baseline = Baseline(
        {"b.py": b"x\n", "a/c.txt": "ü\n".encode()}, {"b.py": 0o755}, data_report_md="# Report\n"
    )
    packed = pack(baseline)
    assert packed == pack(Baseline(dict(reversed(baseline.files.items())), baseline.modes, "# Report\n"))
    assert packed[4:8] == b"\0\0\0\0"  # gzip header mtime
    back = unpack(packed)
    assert back.files == baseline.files and back.data_report_md == "# Report\n"
    assert back.modes == {"a/c.txt": 0o644, "b.py": 0o755}


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/passwd", "a/../../b", "C:/x"])
def test_a_baseline_naming_paths_outside_the_project_is_refused(name: str, tmp_path: Path) -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        info = tarfile.TarInfo(name)
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    (tmp_path / ".trainwizard").mkdir()
    (tmp_path / BASELINE_FILE).write_bytes(raw.getvalue())
    with pytest.raises(UsageError, match="unsafe path"):
        read_baseline(tmp_path)


def _recorded(**changes: object):
    """The answers a project records for `project: {name: Demo}`, with some recorded values replaced."""
    answers = resolve(validate_answers({"project": {"name": "Demo"}}, partial=True)).answers
    data = answers.model_dump(mode="json")
    for key, value in changes.items():
        section, _, leaf = key.partition("__")
        if leaf:
            data[section][leaf] = value
        else:
            data[section] = value
    return validate_answers(data)


def test_recorded_recommendations_do_not_change_silently() -> None:
    # A recorded value the rules would not pick today (e.g. made by an older trainwizard) stays.
    recorded = _recorded(training__epochs=77)
    assert recorded.meta.sources["training.epochs"] in ("recommended", "default")
    updated = resolve_update(recorded, answered_keys(recorded), {"project.description": "new"}, None)
    answers = updated.resolution.answers
    assert answers.training.epochs == 77 and answers.project.description == "new"
    assert [c.key for c in updated.changes] == ["project.description"]
    assert any(c.key == "training.epochs" and c.old == 77 for c in updated.stale)


def test_recommendations_that_depend_on_a_change_follow_it() -> None:
    recorded = _recorded()
    assert recorded.normalization == "batchnorm" and recorded.meta.sources["normalization"] != "answer"
    updated = resolve_update(recorded, answered_keys(recorded), {"training.batch_size": 1}, None)
    answers = updated.resolution.answers
    assert answers.training.batch_size == 1 and answers.meta.sources["training.batch_size"] == "answer"
    assert answers.normalization != "batchnorm"  # SPEC §4: batch size 1 does not keep plain BatchNorm
    change = next(c for c in updated.changes if c.key == "normalization")
    assert "follows your change" in change.why


def test_an_answered_key_is_never_re_recommended() -> None:
    recorded = _recorded(normalization="groupnorm")
    sources = dict(recorded.meta.sources, normalization="answer")
    recorded = recorded.model_copy(update={"meta": recorded.meta.model_copy(update={"sources": sources})})
    updated = resolve_update(recorded, answered_keys(recorded), {"training.batch_size": 64}, None)
    assert updated.resolution.answers.normalization == "groupnorm"
