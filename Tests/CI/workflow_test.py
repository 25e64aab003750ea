#!/usr/bin/env python3
"""The CI example in a user's repository, for real (`make test-ci-example`, run by .ci/run).

A scratch user repository (no Package.swift) gets `retrain init --ci github` with this project's
clone as retrain's source (RETRAIN_GIT, a file:// URL) pinned at its HEAD commit (RETRAIN_REF).
The workflow's steps then run as GitHub would run them on a pull request, in order:
  actions/checkout   the scratch repository is the checkout (origin/main fetched, as fetch-depth 0 does);
  actions/cache      a miss the first time (so the pinned source is fetched, built and installed under
                     RETRAIN_PREFIX), a hit the second (the build step is skipped, the install reused);
  run: steps         through bash -e, with the workflow's env and GitHub's variables;
  the comment step   not posted: the file it would post must be there.
Checked: the pull request's plan says what changed, field by field; a broken schedule fails the
validate step with a `::error file=…,line=…` annotation; both example files pass the GitHub and
GitLab schemas (check-jsonschema's vendored ones: actionlint itself is fetched from github.com at
install time, which this machine cannot reach).

    python3 Tests/CI/workflow_test.py [--keep]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sh(argv, cwd, env=None, check=True):
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and done.returncode != 0:
        sys.exit(f"workflow test: {' '.join(argv)} exited {done.returncode}:\n{done.stdout[-3000:]}")
    return done


def expand(text, env, outputs):
    """GitHub's ${{ … }} expressions as this workflow uses them."""
    def one(match):
        expr = match.group(1).strip()
        if expr.startswith("env."):
            return env[expr[4:]]
        if expr.startswith("vars."):
            return env["VARS_" + expr[5:]]
        if expr == "runner.os":
            return "Linux"
        if expr == "runner.arch":
            return "X64"
        if expr.startswith("steps."):
            return outputs.get(expr, "")
        raise SystemExit(f"workflow test: an expression this test does not know: {expr}")
    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def condition(text, env, outputs):
    expr = text.strip()
    match = re.fullmatch(r"(steps\.[\w.-]+) != '(\w*)'", expr)
    if not match:
        raise SystemExit(f"workflow test: an if: this test does not know: {expr}")
    return outputs.get(match.group(1), "") != match.group(2)


def run_workflow(workflow, repo, variables, cache_hit, log):
    """Runs the job's steps; returns (validate step's output, failed step name or None)."""
    env = dict(os.environ)
    env.update({"VARS_" + k: v for k, v in variables.items()})
    for key, value in workflow["env"].items():
        env[key] = expand(str(value), env, {})
    env["RETRAIN_PREFIX"] = variables["PREFIX"]
    summary = os.path.join(repo, "..", "summary.md")
    env.update({"GITHUB_WORKSPACE": repo, "GITHUB_STEP_SUMMARY": summary, "GITHUB_BASE_REF": "main", "CI": "true"})
    outputs = {}
    validate_output = ""
    (job,) = workflow["jobs"].values()
    for step in job["steps"]:
        name = step.get("name", step.get("uses", "?"))
        if "if" in step and not condition(step["if"], env, outputs):
            log.append(f"skipped  {name}")
            continue
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            sh(["git", "fetch", "-q", "origin"], repo)
            log.append(f"checkout {name}: the scratch repository, origin fetched")
            continue
        if uses.startswith("actions/cache@"):
            outputs[f"steps.{step['id']}.outputs.cache-hit"] = "true" if cache_hit else ""
            key = expand(step["with"]["key"], env, outputs)
            log.append(f"cache    {name}: key {key}: {'hit' if cache_hit else 'miss'}")
            continue
        if uses.startswith("marocchino/sticky-pull-request-comment@"):
            path = os.path.join(repo, step["with"]["path"])
            if not os.path.getsize(path):
                sys.exit(f"workflow test: the comment step would post {path}, which is empty")
            log.append(f"comment  {name}: would post {step['with']['path']}")
            continue
        if uses:
            sys.exit(f"workflow test: a step this test does not know: {uses}")
        script = expand(step["run"], env, outputs)
        done = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        log.append(f"run      {name}: exit {done.returncode}")
        if name == "Validate schedules":
            validate_output = done.stdout
        if done.returncode != 0:
            return validate_output, name, done.stdout
    return validate_output, None, ""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--keep", action="store_true", help="keep the scratch folder")
    a = p.parse_args()
    binary = os.environ.get("RETRAIN_BIN") or os.path.join(TOP, ".build/debug/retrain")
    if not os.access(binary, os.X_OK):
        sys.exit("workflow test: build first (make build)")
    if shutil.which("check-jsonschema") is None:
        sh([sys.executable, "-m", "pip", "install", "-q", "check-jsonschema"], TOP)
    for example, schema in [("examples/ci/github-actions.yml", "vendor.github-workflows"), ("examples/ci/gitlab-ci.yml", "vendor.gitlab-ci")]:
        sh(["check-jsonschema", "--builtin-schema", schema, os.path.join(TOP, example)], TOP)
        print(f"workflow test: {example} passes {schema}")

    scratch = tempfile.mkdtemp(prefix="retrain-ci-example-")
    repo = os.path.join(scratch, "user-repo")
    prefix = os.path.join(scratch, "tool")
    head = sh(["git", "rev-parse", "HEAD"], TOP).stdout.strip()
    os.makedirs(repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    sh(["git", "init", "-q", "-b", "main"], repo)
    sh([binary, "init", "--ci", "github", "--ref", head], repo)
    workflow_path = os.path.join(repo, ".github/workflows/retrain.yml")
    sh(git + ["add", "-A"], repo)
    sh(git + ["commit", "-q", "-m", "retrain init"], repo)
    sh(["git", "remote", "add", "origin", repo], repo)
    # The pull request: a parameter changed, a schedule added.
    sh(["git", "checkout", "-q", "-b", "change"], repo)
    path = os.path.join(repo, "schedules/example.yaml")
    text = open(path).read().replace("epochs: 100", "epochs: 150")
    open(path, "w").write(text)
    sh([binary, "new", "churn-daily", "--model", "attrition", "--start", "2026-12-10 03:00", "--repeat", "daily"], repo)
    sh(git + ["add", "-A"], repo)
    sh(git + ["commit", "-q", "-m", "change"], repo)

    workflow = yaml.safe_load(open(workflow_path))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # PyYAML reads the key `on` as true
    variables = {"RETRAIN_GIT": "file://" + TOP, "PREFIX": prefix}
    log = []
    validate, failed, output = run_workflow(workflow, repo, variables, cache_hit=False, log=log)
    print("\n".join("workflow test: " + line for line in log))
    if failed:
        sys.exit(f"workflow test: step '{failed}' failed:\n{output[-3000:]}")
    if not os.access(os.path.join(prefix, "bin/retrain"), os.X_OK):
        sys.exit("workflow test: the build step left no retrain under RETRAIN_PREFIX")
    plan = open(os.path.join(repo, "plan.md")).read()
    for expected in ["churn-daily", "example", "params.epochs", "`100`", "`150`"]:
        if expected not in plan:
            sys.exit(f"workflow test: plan.md does not say {expected!r}:\n{plan}")
    if plan not in open(os.path.join(scratch, "summary.md")).read():
        sys.exit("workflow test: the job summary does not hold the plan")
    if "checked 2 files: 0 errors, 0 warnings" not in validate:
        sys.exit(f"workflow test: validate said:\n{validate}")
    print("workflow test: pull request 1 (a changed parameter, a new schedule): validated, planned, summary and comment written")

    # A second pull request, with a broken schedule: the cache hits, validate fails with an annotation.
    os.remove(os.path.join(repo, "plan.md"))
    open(os.path.join(scratch, "summary.md"), "w").close()
    open(path, "w").write(text.replace("repeat: weekly", "repeat: fortnightly"))
    sh(git + ["commit", "-q", "-am", "broken"], repo)
    log = []
    validate, failed, output = run_workflow(workflow, repo, variables, cache_hit=True, log=log)
    print("\n".join("workflow test: " + line for line in log))
    if failed != "Validate schedules" or not any(line.startswith("skipped  Build retrain") for line in log):
        sys.exit(f"workflow test: expected the build skipped and validate failing, got {failed!r}:\n{output[-2000:]}")
    if not re.search(r"^::error file=schedules/example\.yaml,line=\d+,col=\d+,title=retrain validate::.*fortnightly", validate, re.M):
        sys.exit(f"workflow test: no annotation for the broken line:\n{validate}")
    print("workflow test: pull request 2 (a broken schedule): the cached retrain reused, validate failed with an annotation on its line")
    if not a.keep:
        shutil.rmtree(scratch)
    print("workflow test: passed")


if __name__ == "__main__":
    main()
