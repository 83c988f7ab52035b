#!/usr/bin/python3
"""The composite GitHub Action (action.yml) is well formed and its check step works as a runner
would run it: action.yml parses as YAML, is a composite action whose steps call the scripts that
exist; scripts/action-check.sh, run with the runner's variables (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
RUNNER_TEMP), writes the exit code, a SARIF file and the Markdown summary, and an invalid input
reaches the summary instead of a report. (The install step's build mode and the SARIF upload need
GitHub's runners and are not run here.)

Usage: check_action.py SOURCE_DIR AIADVISE_BINARY
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import yaml


def main():
    source, binary = pathlib.Path(sys.argv[1]).resolve(), str(pathlib.Path(sys.argv[2]).resolve())
    passed, failed = 0, 0

    def expect(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {what}")

    action = yaml.safe_load((source / "action.yml").read_text())
    expect(action["runs"]["using"] == "composite", "action.yml is a composite action")
    steps = action["runs"]["steps"]
    expect(any("upload-sarif" in s.get("uses", "") for s in steps), "a step uploads SARIF")
    for s in steps:
        if "run" in s:
            expect(s.get("shell") == "bash", f"step '{s['name']}' names its shell")
            for script in ("action-install.sh", "action-check.sh"):
                if script in s["run"]:
                    expect((source / "scripts" / script).is_file() and os.access(source / "scripts" / script, os.X_OK),
                           f"scripts/{script} exists and is executable")
    for name in ("project", "terraform-plan", "fail-on", "baseline", "install", "upload-sarif"):
        expect(name in action["inputs"], f"input {name}")

    def run_step(env_extra):
        work = pathlib.Path(tempfile.mkdtemp())
        env = dict(os.environ, AIADVISE_BIN=binary, RUNNER_TEMP=str(work), GITHUB_OUTPUT=str(work / "output"),
                   GITHUB_STEP_SUMMARY=str(work / "summary"), **env_extra)
        run = subprocess.run([str(source / "scripts" / "action-check.sh")], env=env, capture_output=True, text=True, timeout=300,
                             check=False, cwd=work)
        outputs = dict(line.split("=", 1) for line in (work / "output").read_text().splitlines())
        summary = (work / "summary").read_text() if (work / "summary").exists() else ""
        return run, outputs, summary, run.stdout

    fixtures = source / "tests" / "fixtures"
    run, outputs, summary, stdout = run_step({"AIADVISE_PROJECT": str(fixtures / "check" / "project-0.12.json"),
                                              "AIADVISE_PLAN": str(fixtures / "terraform" / "aws-0.12.json")})
    expect(run.returncode == 0, f"the check step itself exits 0 (the Gate step fails the job): {run.stderr}")
    expect(outputs.get("exit-code") == "1", f"exit-code output is aiadvise's: {outputs}")
    sarif = pathlib.Path(outputs.get("sarif", ""))
    expect(sarif.is_file() and json.loads(sarif.read_text())["version"] == "2.1.0", "a SARIF file for the upload step")
    expect(summary.startswith("## aiadvise check"), "the Markdown report is in the job summary")
    expect("::error file=" in stdout, "annotations with file and line on the run")
    report = pathlib.Path(outputs.get("report", ""))
    expect(report.is_file() and json.loads(report.read_text())["schema_version"] == 1, "a JSON report for the next baseline")

    run, outputs, summary, _ = run_step({"AIADVISE_PROJECT": str(fixtures / "check" / "project-unmatched.json"),
                                         "AIADVISE_PLAN": str(fixtures / "terraform" / "aws-0.12.json")})
    expect(outputs.get("exit-code") == "2", f"invalid input: exit-code 2: {outputs}")
    expect(outputs.get("sarif") == "", "invalid input: no SARIF to upload")
    expect("names no resource in the plan" in summary, "invalid input: the error is in the job summary")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
