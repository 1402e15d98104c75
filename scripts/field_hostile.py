"""Field test: hostile and clumsy input against a trainwizard, each case reported as `held` or `FAILED`.

The cases of issue 18 (malformed answers, escaping into generated files, check-data on hostile datasets,
destinations that fight back, update's trust and idempotence, read-only folders, SIGKILL mid-write), one
function each. Every trainwizard call is a subprocess `PYTHON -m wizard ...` with its own working folder, a
fresh HOME/XDG_CACHE_HOME/XDG_CONFIG_HOME, and a timeout (a hang is recorded as FAILED (hang)); cases that
could eat memory (/dev/zero, alias bombs) run under a 4 GiB address-space limit. A case holds when
trainwizard gives a clear answer (a success whose files parse, or one `error:` message, exit 1/2, never a
traceback) and leaves nothing half-done. Prints one line per case, then a Markdown table.

    python scripts/field_hostile.py [--python PATH] [--source DIR] [--only NAME,...] [--keep] [--timeout S]

--python: the interpreter of a venv that has trainwizard's dependencies (default: this one).
--source: a checkout whose `wizard` package is measured (put first on PYTHONPATH), e.g. an old commit from
`git archive COMMIT | tar -x -C DIR`; default: whatever `--python` imports.
Read-only cases need a non-root user (chmod) or root with `unshare` (a read-only bind mount); otherwise they
are reported as skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None

MEMORY_LIMIT = 4 << 30
ANSWERS = "project: {name: Demo}\n"
BOOKKEEPING = re.compile(r"^\.trainwizard-(staging|update|journal|lock)")


@dataclass
class Ran:
    code: int | None
    out: str
    err: str
    hung: bool = False

    @property
    def clear(self) -> bool:
        """Finished with no traceback: success, or one error message with exit 1 or 2."""
        return not self.hung and "Traceback" not in self.err and (self.code == 0 or self.code in (1, 2))

    def brief(self) -> str:
        if self.hung:
            return "hang"
        if self.out.lstrip().startswith("{") and not self.err.strip():
            try:
                ids = [c.get("id") for c in json.loads(self.out).get("checks", [])]
                return f"exit {self.code}: checks {', '.join(map(str, ids)) or 'none'}"
            except (json.JSONDecodeError, AttributeError):
                pass
        text = (self.out.strip() if self.code == 0 else self.err.strip() or self.out.strip()).splitlines()
        last = text[-1] if text else ""
        return f"exit {self.code}: {shorten(last)}"


@dataclass
class Outcome:
    held: bool | None  # None: skipped
    note: str


def shorten(text: str, width: int = 150) -> str:
    text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= width else text[: width - 1] + "…"


class Field:
    """Runs trainwizard in subprocesses for one case, inside the case's own folder."""

    def __init__(self, python: str, source: str | None, folder: Path, timeout: float) -> None:
        self.python, self.source, self.folder, self.timeout = python, source, folder, timeout
        self.env = {**os.environ, "HOME": str(folder / "home"), "XDG_CACHE_HOME": str(folder / "cache"),
                    "XDG_CONFIG_HOME": str(folder / "config"), "PYTHONDONTWRITEBYTECODE": "1"}
        self.env.pop("PYTHONPATH", None)
        if source:
            self.env["PYTHONPATH"] = source
        self.env["COLUMNS"] = "120"

    def start(self, *args: str | Path, cwd: Path | None = None, prefix: Sequence[str] = (),
              memory: bool = False) -> subprocess.Popen:
        command = [*prefix, self.python, "-m", "wizard", *map(str, args)]
        limit = (lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))) if memory else None
        # preexec_fn is safe here: this harness starts no threads.
        return subprocess.Popen(command, cwd=cwd or self.folder, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, preexec_fn=limit, start_new_session=True)  # noqa: PLW1509

    def finish(self, proc: subprocess.Popen, timeout: float | None = None) -> Ran:
        try:
            out, err = proc.communicate(timeout=timeout or self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            return Ran(None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), hung=True)
        return Ran(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))

    def run(self, *args: str | Path, **kwargs) -> Ran:
        return self.finish(self.start(*args, **kwargs))

    def answers(self, text: str, name: str = "answers.yml") -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def new(self, dest: str | Path, text: str = ANSWERS, *extra: str, name: str = "answers.yml") -> Ran:
        return self.run("new", dest, "--answers", self.answers(text, name), "--no-input", *extra)

    def demo(self) -> Path:
        """The demo dataset and answers (trainwizard demo): data/train|val/<class>/*.png, answers.yml."""
        ran = self.run("demo", self.folder / "demo")
        if ran.code != 0:
            raise RuntimeError(f"demo failed: {ran.brief()}")
        return self.folder / "demo"

    def python_code(self, code: str) -> str:
        return subprocess.run([self.python, "-c", code], env=self.env, capture_output=True, text=True,
                              check=True, timeout=self.timeout).stdout.strip()


def tree(root: Path, *, times: bool = False) -> dict[str, object]:
    """Every path under root: bytes (with mtime_ns when asked), a link's target, or 'dir'."""
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = ("link", os.readlink(path))
        elif path.is_dir():
            found[rel] = "dir"
        elif path.is_file():
            found[rel] = (path.read_bytes(), path.stat().st_mtime_ns) if times else path.read_bytes()
    return found


def refused(ran: Ran, *words: str) -> Outcome:
    """Held when trainwizard refused with exit 2, no traceback, and a message containing `words`."""
    ok = ran.clear and ran.code == 2 and all(w.lower() in ran.err.lower() for w in words)
    return Outcome(ok, ran.brief())


CASES: list[tuple[str, str, Callable[[Field], Outcome]]] = []


def case(title: str) -> Callable:
    def register(function: Callable[[Field], Outcome]) -> Callable[[Field], Outcome]:
        CASES.append((function.__name__, title, function))
        return function
    return register


# --- Malformed answers -------------------------------------------------------------------------------

@case("YAML alias bomb (billion laughs) as an answers file")
def alias_bomb(f: Field) -> Outcome:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return refused(f.run("new", "p", "--answers", f.answers("\n".join(lines) + "\nproject: {name: Bomb}\n"),
                         "--no-input", memory=True))


@case("answers nested 100,000 levels deep")
def deep_nesting(f: Field) -> Outcome:
    return refused(f.new("p", "project: {name: Deep}\nx: " + "[" * 100_000 + "]" * 100_000 + "\n"))


@case("a lone surrogate (\\uD800) in the description")
def lone_surrogate(f: Field) -> Outcome:
    ran = f.new("p", 'project: {name: Demo, description: "bad \\uD800 text"}\n')
    if ran.code == 0:
        broken = [p.name for p in (f.folder / "p").rglob("*") if p.is_file() and not _utf8(p.read_bytes())]
        return Outcome(ran.clear and not broken, f"rendered; files not UTF-8: {broken or 'none'}")
    return Outcome(ran.clear and ran.code == 2, ran.brief())


def _utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@case("duplicate keys in the answers file")
def duplicate_keys(f: Field) -> Outcome:
    return refused(f.new("p", "project: {name: First}\nproject: {name: Second}\n"), "duplicate")


@case("min_delta: .inf in the answers file")
def inf_min_delta(f: Field) -> Outcome:
    return refused(f.new("p", "project: {name: Demo}\nregularization: {early_stopping: {min_delta: .inf}}\n"))


@case("batch_size: true (a bool as an integer)")
def true_as_int(f: Field) -> Outcome:
    return refused(f.new("p", "project: {name: Demo}\ntraining: {batch_size: true}\n"))


@case("update --set min_delta=inf and --set batch_size=true")
def set_inf_and_true(f: Field) -> Outcome:
    made = f.new("p")
    if made.code != 0:
        return Outcome(False, f"new failed: {made.brief()}")
    before = tree(f.folder / "p")
    notes, held = [], True
    for assignment in ("regularization.early_stopping.min_delta=inf", "training.batch_size=true"):
        ran = f.run("update", "p", "--set", assignment)
        held &= ran.clear and ran.code == 2
        notes.append(f"{assignment.split('=')[1]}: {ran.brief()}")
    held &= tree(f.folder / "p") == before
    return Outcome(held, "; ".join(notes))


@case("data.path is a symlink loop")
def symlink_loop_data_path(f: Field) -> Outcome:
    os.symlink("loop_b", f.folder / "loop_a")
    os.symlink("loop_a", f.folder / "loop_b")
    return refused(f.new("p", "project: {name: Demo}\ndata: {path: loop_a}\n"))


@case("a 300-character slug, and a 200-character CJK name (a 1,200-byte slug)")
def long_name(f: Field) -> Outcome:
    notes, held = [], True
    for label, text in (("slug", f"project: {{name: Demo, slug: {'a' * 300}}}\n"),
                        ("CJK name", f"project: {{name: {'中' * 200}}}\n")):
        ran = f.run("new", "--answers", f.answers(text, f"{label[0]}.yml"), "--no-input")
        held &= ran.clear and ran.code in (0, 2) and "File name too long" not in ran.err
        notes.append(f"{label}: {ran.brief()}")
    return Outcome(held, "; ".join(notes))


@case("ESC sequence in the answers file's name (error message)")
def esc_in_error_message(f: Field) -> Outcome:
    ran = f.run("new", "--answers", "evil\x1b]0;pwned\x07\x1b[2J.yml", "--no-input")
    raw = "\x1b" in ran.out + ran.err
    return Outcome(ran.clear and not raw, f"{'raw ESC on the terminal' if raw else 'no raw ESC'}; {ran.brief()}")


# --- Escaping into generated files ---------------------------------------------------------------------

@case("DEL (\\x7f) in the description -> pyproject.toml parses")
def del_in_description(f: Field) -> Outcome:
    ran = f.new("p", 'project: {name: Demo, description: "a\\x7fb\\x01c"}\n')
    if ran.code != 0:
        return Outcome(ran.clear and ran.code == 2, ran.brief())
    if tomllib is None:
        return Outcome(None, "skipped: needs Python 3.11 (tomllib)")
    try:
        tomllib.loads((f.folder / "p" / "pyproject.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return Outcome(False, f"pyproject.toml is not TOML: {exc}")
    return Outcome(ran.clear, "pyproject.toml parses")


@case("U+2028 and NEL in the description -> .trainwizard.yml round trip")
def u2028_round_trip(f: Field) -> Outcome:
    description = "one\u2028two\x85three"
    ran = f.new("p", 'project: {name: Demo, description: "one\\u2028two\\x85three"}\n')
    if ran.code != 0:
        return Outcome(ran.clear and ran.code == 2, ran.brief())
    try:
        recorded = yaml.safe_load((f.folder / "p" / ".trainwizard.yml").read_text(encoding="utf-8"))
        back = recorded["project"]["description"]
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        return Outcome(False, f".trainwizard.yml does not load: {shorten(str(exc), 80)}")
    return Outcome(back == description, f"description read back as {back!r}")


@case("Markdown/HTML in the project name -> README")
def markdown_in_name(f: Field) -> Outcome:
    ran = f.new("p", 'project: {name: "Demo <img src=x onerror=alert(1)> [x](javascript:alert(1))"}\n')
    if ran.code != 0:
        return Outcome(ran.clear and ran.code == 2, ran.brief())
    from markdown_it import MarkdownIt

    readme = (f.folder / "p" / "README.md").read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").render(readme)  # what a Markdown viewer makes of it
    raw = [t for t in ("<img", 'href="javascript:') if t in html]
    return Outcome(not raw, f"raw in the rendered README: {raw}" if raw else "escaped in the rendered README")


# --- check-data on hostile datasets ----------------------------------------------------------------------

def check_data(f: Field, path: Path, *extra: str) -> Ran:
    return f.run("check-data", path, "--no-cache", *extra, memory=True)


def one_png(demo: Path) -> Path:
    return next((demo / "data" / "train" / "square").glob("*.png"))


@case("ESC sequences in a file and a folder name -> check-data output")
def esc_in_file_name(f: Field) -> Outcome:
    demo = f.demo()
    (demo / "data" / "train" / "square" / "x\x1b]0;pwned\x07\x1b[2J.png").write_bytes(b"not a png")
    evil = demo / "data" / "train" / "cat\x1b[31m"
    evil.mkdir()
    shutil.copy(one_png(demo), evil / "a.png")
    ran = check_data(f, demo / "data")
    raw = "\x1b" in ran.out + ran.err
    return Outcome(ran.clear and not raw, f"{'raw ESC in the output' if raw else 'no raw ESC'}; {ran.brief()}")


@case("a FIFO named x.jpg in the dataset")
def fifo_image(f: Field) -> Outcome:
    demo = f.demo()
    os.mkfifo(demo / "data" / "train" / "square" / "x.jpg")
    ran = check_data(f, demo / "data")
    return Outcome(ran.clear and ran.code == 1, ran.brief())


@case("symlinks to /dev/zero and /dev/urandom named .jpg")
def device_symlinks(f: Field) -> Outcome:
    demo = f.demo()
    os.symlink("/dev/zero", demo / "data" / "train" / "square" / "zero.jpg")
    os.symlink("/dev/urandom", demo / "data" / "train" / "square" / "random.jpg")
    ran = check_data(f, demo / "data")
    return Outcome(ran.clear and ran.code == 1 and "MemoryError" not in ran.err, ran.brief())


@case("a symlink-loop fan-out inside the dataset")
def symlink_fan_out(f: Field) -> Outcome:
    demo = f.demo()
    for name in ("up1", "up2", "up3", "up4"):
        os.symlink("..", demo / "data" / "train" / "square" / name)
    ran = check_data(f, demo / "data")
    return Outcome(ran.clear, ran.brief())


@case("a manifest whose paths leave the dataset folder")
def manifest_outside(f: Field) -> Outcome:
    demo = f.demo()
    # The manifest's folder and the one around it count as the dataset (labels/x.csv may list ../images/);
    # ../../ and absolute paths beyond that leave it.
    dataset, outside = f.folder / "project" / "ds", f.folder / "elsewhere"
    (dataset / "images").mkdir(parents=True)
    outside.mkdir()
    rows = ["path,label"]
    for i, png in enumerate(sorted((demo / "data" / "train" / "square").glob("*.png"))[:20]):
        shutil.copy(png, dataset / "images" / f"{i}.png")
        rows.append(f"images/{i}.png,{'ab'[i % 2]}")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really a png")
    rows += ["../../elsewhere/secret.png,a", f"{outside / 'secret.png'},b"]
    (dataset / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ran = check_data(f, dataset, "--json")
    mentions = "outside" in findings_text(ran)
    return Outcome(ran.clear and mentions, f"{'reported as outside' if mentions else 'not reported as outside'}; "
                   f"{ran.brief()}")


def findings_text(ran: Ran) -> str:
    """The ids, titles and advice of check-data's findings (--json), lower case; not the example paths."""
    try:
        checks = json.loads(ran.out).get("checks", [])
    except (json.JSONDecodeError, AttributeError):
        return ""
    return " ".join(f"{c.get('id', '')} {c.get('title', '')} {c.get('advice', '')}" for c in checks).lower()


def manifest_with_labels(f: Field, labels: Sequence[str]) -> Path:
    demo = f.demo()
    dataset = f.folder / "ds"
    (dataset / "images").mkdir(parents=True)
    rows = ["path,label"]
    pngs = sorted((demo / "data" / "train").rglob("*.png"))
    for i, label in enumerate(labels):
        shutil.copy(pngs[i], dataset / "images" / f"{i}.png")
        quoted = label.replace('"', '""')
        rows.append(f'images/{i}.png,"{quoted}"')
    (dataset / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return dataset


@case("labels with a line break inside, in a manifest")
def newline_labels(f: Field) -> Outcome:
    # A break at the end is stripped like other surrounding blanks, by the scan and the generated project alike.
    dataset = manifest_with_labels(f, ["cat", "dog"] * 10 + ["cat\ngrey", "dog\r\nbrown"] * 3)
    ran = check_data(f, dataset, "--json")
    found = re.search(r"newline|line break|control|whitespace", findings_text(ran))
    return Outcome(ran.clear and bool(found), f"{'reported' if found else 'not reported'}; {ran.brief()}")


@case("the same label written as 1, 1.0 and ' 1' in a manifest")
def mixed_labels(f: Field) -> Outcome:
    dataset = manifest_with_labels(f, ["1", "2"] * 10 + ["1.0", " 1", "2.0"] * 2)
    ran = check_data(f, dataset, "--json")
    found = re.search(r"mixed|differently|same label|same-number|whitespace|type", findings_text(ran))
    return Outcome(ran.clear and bool(found), f"{'reported' if found else 'not reported'}; {ran.brief()}")


# --- Destinations ----------------------------------------------------------------------------------------

@case("`new .` in an empty working folder")
def new_dot_in_empty_cwd(f: Field) -> Outcome:
    work = f.folder / "work"
    work.mkdir()
    inode = work.stat().st_ino
    ran = f.run("new", ".", "--answers", f.answers(ANSWERS), "--no-input", cwd=work)
    same = work.exists() and work.stat().st_ino == inode
    filled = (work / ".trainwizard.yml").is_file()
    held = ran.clear and ran.code == 0 and same and filled
    return Outcome(held, f"folder {'kept' if same else 'replaced'}; {ran.brief()}")


@case("an empty pre-created setgid DEST keeps its mode")
def setgid_dest_mode(f: Field) -> Outcome:
    dest = f.folder / "dest"
    dest.mkdir()
    os.chmod(dest, 0o2770)
    mode, inode = stat.S_IMODE(dest.stat().st_mode), dest.stat().st_ino
    ran = f.new(dest)
    after = stat.S_IMODE(dest.stat().st_mode) if dest.exists() else None
    same = after == mode and dest.stat().st_ino == inode
    return Outcome(ran.clear and ran.code == 0 and same, f"mode {oct(mode)} -> {oct(after or 0)}; {ran.brief()}")


@case("--force with a folder where the template writes a file")
def force_folder_where_file(f: Field) -> Outcome:
    dest = f.folder / "dest"
    (dest / "config.yaml").mkdir(parents=True)
    (dest / "config.yaml" / "mine.txt").write_text("mine")
    (dest / "README.md").write_text("my readme")
    before = tree(dest)
    ran = f.new(dest, ANSWERS, "--force")
    unchanged = tree(dest) == before
    return Outcome(ran.clear and ran.code != 0 and unchanged,
                   f"DEST {'unchanged' if unchanged else 'written to'}; {ran.brief()}")


@case("--force with a file where the template needs a folder")
def force_file_where_folder(f: Field) -> Outcome:
    dest = f.folder / "dest"
    dest.mkdir()
    (dest / "src").write_text("a file named src")
    (dest / "README.md").write_text("my readme")
    before = tree(dest)
    ran = f.new(dest, ANSWERS, "--force")
    unchanged = tree(dest) == before
    return Outcome(ran.clear and ran.code != 0 and unchanged,
                   f"DEST {'unchanged' if unchanged else 'written to'}; {ran.brief()}")


@case("--force through a symlinked folder inside DEST")
def force_through_symlink(f: Field) -> Outcome:
    dest, outside = f.folder / "dest", f.folder / "outside"
    dest.mkdir()
    outside.mkdir()
    os.symlink(outside, dest / "src")
    (dest / "notes.txt").write_text("mine")
    ran = f.new(dest, ANSWERS, "--force")
    written = sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*"))
    return Outcome(ran.clear and not written, f"{len(written)} file(s) written outside DEST; {ran.brief()}")


@case("new into a folder inside the dataset")
def new_inside_dataset(f: Field) -> Outcome:
    demo = f.demo()
    before = tree(demo / "data")
    answers = (demo / "answers.yml").read_text(encoding="utf-8").replace("path: data", f"path: {demo / 'data'}")
    ran = f.new(demo / "data" / "train" / "proj", answers)
    unchanged = tree(demo / "data") == before
    return Outcome(ran.clear and ran.code == 2 and unchanged,
                   f"dataset {'unchanged' if unchanged else 'polluted'}; {ran.brief()}")


# --- update ----------------------------------------------------------------------------------------------

@case("update of a project that carries a template with a hook")
def update_runs_project_hook(f: Field) -> Outcome:
    made = f.new("p")
    if made.code != 0:
        return Outcome(False, f"new failed: {made.brief()}")
    template = Path(f.python_code("from wizard.render.templates import default_template; "
                                  "print(default_template())"))
    carried = f.folder / "p" / ".tpl"
    shutil.copytree(template, carried, ignore=shutil.ignore_patterns("__pycache__"))
    marker = f.folder / "hook-ran"
    (carried / "hooks").mkdir()
    (carried / "hooks" / "pre_gen_project.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    record = f.folder / "p" / ".trainwizard.yml"
    record.write_text(re.sub(r"(?m)^(\s+template:).*$", r"\1 .tpl", record.read_text(encoding="utf-8")))
    ran = f.run("update", "--set", "training.batch_size=4", cwd=f.folder / "p")  # where users run it
    ran_hook = marker.exists()
    return Outcome(ran.clear and not ran_hook, f"hook {'RAN' if ran_hook else 'did not run'}; {ran.brief()}")


@case("a no-op update right after new changes no byte and no mtime")
def noop_update(f: Field) -> Outcome:
    demo = f.demo()
    made = f.run("new", "p", "--answers", demo / "answers.yml", "--no-input")
    if made.code != 0:
        return Outcome(False, f"new failed: {made.brief()}")
    before = tree(f.folder / "p", times=True)
    ran = f.run("update", "p")
    after = tree(f.folder / "p", times=True)
    touched = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return Outcome(ran.clear and not touched, f"rewritten: {', '.join(touched) or 'nothing'}; {ran.brief()}")


@case("two updates at once (3 trials)")
def two_updates_at_once(f: Field) -> Outcome:
    project = f.folder / "p"
    made = f.new(project)
    if made.code != 0:
        return Outcome(False, f"new failed: {made.brief()}")
    pristine = f.folder / "pristine"
    shutil.copytree(project, pristine)
    notes, held = [], True
    for trial in range(3):
        shutil.rmtree(project)
        shutil.copytree(pristine, project)
        first = f.start("update", project, "--set", f"training.batch_size={8 + trial}")
        second = f.start("update", project, "--set", f"training.batch_size={16 + trial}")
        runs = [f.finish(first), f.finish(second)]
        agree = batch_sizes_agree(project)
        held &= agree == "agree" and all(r.clear for r in runs)
        notes.append(f"exits {[r.code for r in runs]}, {agree}")
    return Outcome(held, "; ".join(notes))


def batch_sizes_agree(project: Path) -> str:
    """Whether config.yaml and .trainwizard.yml name the same batch size (one update lost otherwise)."""
    try:
        config = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
        record = yaml.safe_load((project / ".trainwizard.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return f"unreadable ({type(exc).__name__}: conflict markers?)"
    used, recorded = config["training"]["batch_size"], record["training"]["batch_size"]
    return "agree" if used == recorded else f"DISAGREE (config {used}, record {recorded})"


# --- Read-only working folders ---------------------------------------------------------------------------

def read_only(f: Field, folder: Path) -> list[str] | None:
    """A command prefix (or a chmod) that makes `folder` read-only for trainwizard; None when impossible."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        return []
    if shutil.which("unshare") is None:
        return None
    return ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && cd "$0" && exec "$@"', str(folder)]


def read_only_run(f: Field, folder: Path, *args: str | Path) -> Outcome:
    prefix = read_only(f, folder)
    if prefix is None:
        return Outcome(None, "skipped: root without unshare")
    ran = f.run(*args, cwd=folder, prefix=prefix)
    os.chmod(folder, 0o755)
    return Outcome(ran.clear and ran.code != 0, ran.brief())


@case("new in a read-only working folder")
def read_only_new(f: Field) -> Outcome:
    work = f.folder / "work"
    work.mkdir()
    answers = f.answers(ANSWERS)
    return read_only_run(f, work, "new", "--answers", answers, "--no-input")


@case("demo in a read-only working folder")
def read_only_demo(f: Field) -> Outcome:
    work = f.folder / "work"
    work.mkdir()
    return read_only_run(f, work, "demo")


@case("update of a read-only project folder")
def read_only_update(f: Field) -> Outcome:
    made = f.new("p")
    if made.code != 0:
        return Outcome(False, f"new failed: {made.brief()}")
    return read_only_run(f, f.folder / "p", "update", ".", "--set", "training.batch_size=4")


# --- Interrupted writes ----------------------------------------------------------------------------------

def project_state(dest: Path) -> dict[str, object]:
    return {k: v for k, v in tree(dest).items() if not BOOKKEEPING.match(k)}


def leftovers(dest: Path) -> list[str]:
    names = [p.name for p in dest.parent.iterdir() if BOOKKEEPING.match(p.name)]
    return names + [p.name for p in dest.iterdir() if BOOKKEEPING.match(p.name)] if dest.is_dir() else names


def kill_trials(f: Field, dest: Path, command: Sequence[str | Path], trials: int = 10) -> Outcome:
    """Run `command` to the end once (the after state), then `trials` times from the before state, killed with
    SIGKILL at a random moment between 30% and 95% of its run time, then run again (the recovery run).
    A trial whose run ended before its kill interrupted nothing and is not counted."""
    pristine = f.folder / "pristine"
    shutil.copytree(dest, pristine, symlinks=True)
    before = project_state(dest)
    started = time.monotonic()
    full = f.run(*command)
    duration = time.monotonic() - started
    if full.code != 0:
        return Outcome(False, f"the command failed: {full.brief()}")
    after = project_state(dest)
    rng, mixed, left, broken, killed = random.Random(18), 0, 0, 0, 0
    for _ in range(trials):
        for leftover in [p for p in dest.parent.iterdir() if BOOKKEEPING.match(p.name)]:
            shutil.rmtree(leftover)  # each trial starts clean: count only what this one leaves
        shutil.rmtree(dest)
        shutil.copytree(pristine, dest, symlinks=True)
        proc = f.start(*command)
        time.sleep(rng.uniform(0.3, 0.95) * duration)
        if proc.poll() is not None:
            f.finish(proc)
            continue
        os.killpg(proc.pid, signal.SIGKILL)
        f.finish(proc)
        killed += 1
        mixed += project_state(dest) not in (before, after) if dest.is_dir() else 1
        recovery = f.run(*command)
        left += bool(leftovers(dest))
        broken += not recovery.clear or project_state(dest) not in (before, after)
    if not killed:
        return Outcome(None, f"skipped: all {trials} runs ended before their kill")
    # Right after a SIGKILL the project may be mid-journal (that is what the journal is for); what must hold is
    # the state after the next run, which recovers first.
    held = left == 0 and broken == 0
    return Outcome(held, f"{killed} of {trials} runs killed: {mixed} neither before nor after right after the kill; "
                   f"after a rerun: {left} with staging/work folders left, {broken} failed or neither before nor after")


@case("SIGKILL during new --force (10 trials), then a rerun")
def sigkill_new_force(f: Field) -> Outcome:
    dest = f.folder / "sub" / "proj"
    if f.new(dest).code != 0:
        return Outcome(False, "new failed")
    second = f.answers("project: {name: Demo}\ntraining: {batch_size: 8}\n", "two.yml")
    return kill_trials(f, dest, ("new", dest, "--answers", second, "--no-input", "--force"))


@case("SIGKILL during update (10 trials), then a rerun")
def sigkill_update(f: Field) -> Outcome:
    dest = f.folder / "proj"
    if f.new(dest).code != 0:
        return Outcome(False, "new failed")
    return kill_trials(f, dest, ("update", dest, "--set", "training.batch_size=8", "--set", "model.backbone=resnet18"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--source", default=None)
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--keep", action="store_true", help="keep the case folders (printed)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per trainwizard call")
    args = parser.parse_args()
    source = str(Path(args.source).resolve()) if args.source else None
    wanted = {name for name in args.only.split(",") if name}
    root = Path(tempfile.mkdtemp(prefix="field-hostile-"))
    results = []
    for name, title, function in CASES:
        if wanted and name not in wanted:
            continue
        folder = root / name
        folder.mkdir()
        started = time.monotonic()
        try:
            outcome = function(Field(args.python, source, folder, args.timeout))
        except Exception as exc:  # noqa: BLE001 - the harness, not trainwizard: say so instead of stopping the run
            outcome = Outcome(False, f"harness error: {type(exc).__name__}: {shorten(str(exc), 100)}")
        word = {True: "held", False: "FAILED", None: "skipped"}[outcome.held]
        print(f"{word:<7} {name}: {outcome.note}  ({time.monotonic() - started:.1f} s)", flush=True)
        results.append((name, title, word, outcome.note))
    if args.keep:
        print(f"case folders kept in {root}")
    else:
        subprocess.run(["chmod", "-R", "u+rwX", str(root)], check=False)
        shutil.rmtree(root, ignore_errors=True)
    held = sum(1 for r in results if r[2] == "held")
    print(f"\n{held} of {len(results)} held\n")
    print("| case | what | result | observation |")
    print("|---|---|---|---|")
    for name, title, word, note in results:
        cell = note.replace("|", "\\|")
        print(f"| {name} | {title} | {'**FAILED**' if word == 'FAILED' else word} | {cell} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
