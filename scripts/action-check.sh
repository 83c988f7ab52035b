#!/usr/bin/env bash
# The GitHub Action's check step (action.yml): one check, rendered three ways from the same inputs:
# SARIF for code scanning, JSON (the next run's baseline) and Markdown appended to the job summary
# ($GITHUB_STEP_SUMMARY). Writes exit-code, sarif and report to $GITHUB_OUTPUT. Never fails the
# step itself: the action's Gate step does, after the SARIF upload.
set -uo pipefail
bin=${AIADVISE_BIN:-aiadvise}
out_dir=${RUNNER_TEMP:-/tmp}/aiadvise
mkdir -p "$out_dir"
args=(check --project "${AIADVISE_PROJECT:-aiadvise.json}" --fail-on "${AIADVISE_FAIL_ON_INPUT:-fail}")
[[ -n ${AIADVISE_PLAN:-} ]] && args+=(--terraform-plan "$AIADVISE_PLAN")
[[ -n ${AIADVISE_BASELINE:-} ]] && args+=(--baseline "$AIADVISE_BASELINE")
# shellcheck disable=SC2206  # extra arguments are split on spaces, as documented
[[ -n ${AIADVISE_ARGS:-} ]] && args+=($AIADVISE_ARGS)

"$bin" "${args[@]}" --format json >"$out_dir/aiadvise.json" 2>"$out_dir/stderr"
code=$?
cat "$out_dir/stderr" >&2
if ((code <= 1)); then
  "$bin" "${args[@]}" --format sarif >"$out_dir/aiadvise.sarif" 2>/dev/null
  "$bin" "${args[@]}" --format github 2>/dev/null  # annotations on the run, with file and line
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then "$bin" "${args[@]}" --format markdown >>"$GITHUB_STEP_SUMMARY" 2>/dev/null; fi
  sarif=$out_dir/aiadvise.sarif
else
  # Invalid input or an internal error: the summary says so; there is no report to upload.
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    { echo "## aiadvise check"; echo; echo "aiadvise exited $code:"; echo; echo '```'; cat "$out_dir/stderr"; echo '```'; } >>"$GITHUB_STEP_SUMMARY"
  fi
  sarif=""
fi
if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  { echo "exit-code=$code"; echo "sarif=$sarif"; echo "report=$out_dir/aiadvise.json"; } >>"$GITHUB_OUTPUT"
fi
exit 0
