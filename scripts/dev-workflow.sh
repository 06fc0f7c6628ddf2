#!/usr/bin/env bash
# The ChoirOS dev workflow (start, attach, status, checkpoint, rollback, restart) on top of
# choiros. Copy it into a project as scripts/dev-workflow.sh; it runs from any folder of that
# project and passes every extra argument through to choiros.
#
#   ./scripts/dev-workflow.sh start                 create or repair the tmux session
#   ./scripts/dev-workflow.sh attach                attach to it (Ctrl+B D detaches)
#   ./scripts/dev-workflow.sh status                windows, readiness, restarts
#   ./scripts/dev-workflow.sh checkpoint [-m MSG]   tag checkpoint-YYYYMMDD-HHMMSS
#   ./scripts/dev-workflow.sh rollback [NAME]       back to NAME (default: newest good), undoable
#   ./scripts/dev-workflow.sh undo                  undo the last rollback
#   ./scripts/dev-workflow.sh restart [WINDOW...]   restart windows (default: api ui)
#   ./scripts/dev-workflow.sh checkpoints | stop | logs [WINDOW]
#
# Environment: CHOIROS (the choiros command; default: `choiros` on PATH, else this checkout's
# bin/choiros.js), RESTART_WINDOWS (what `restart` without arguments restarts).
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

run_choiros() {
  if [[ -n "${CHOIROS:-}" ]]; then
    # shellcheck disable=SC2086 # CHOIROS may be a command with arguments, e.g. "node bin/choiros.js".
    ${CHOIROS} "$@"
  elif type -P choiros >/dev/null; then
    choiros "$@"
  elif [[ -f "$script_dir/../bin/choiros.js" ]]; then
    "$script_dir/../bin/choiros.js" "$@"
  else
    echo "dev-workflow: choiros is not installed (npm install -g choiros, or set CHOIROS)" >&2
    exit 127
  fi
}

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local command=${1:-help}
  [[ $# -gt 0 ]] && shift
  case "$command" in
    start) run_choiros start "$@" ;;
    attach) run_choiros attach "$@" ;;
    status) run_choiros status "$@" ;;
    checkpoint) run_choiros checkpoint "$@" ;;
    checkpoints) run_choiros checkpoints "$@" ;;
    rollback) run_choiros rollback "$@" ;;
    undo) run_choiros rollback --undo "$@" ;;
    restart)
      local windows=("$@")
      if [[ ${#windows[@]} -eq 0 ]]; then read -r -a windows <<<"${RESTART_WINDOWS:-api ui}"; fi
      local window
      for window in "${windows[@]}"; do run_choiros restart "$window"; done
      ;;
    stop) run_choiros stop "$@" ;;
    logs) run_choiros logs "$@" ;;
    help | -h | --help) usage ;;
    *)
      echo "dev-workflow: unknown command '$command'" >&2
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
