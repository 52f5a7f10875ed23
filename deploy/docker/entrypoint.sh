#!/bin/sh
# Chooses the process of the Dondoc image: api (default), worker, or cli <command> [options].
# exec, so the process is PID 1's child-free replacement and receives SIGTERM directly (graceful drain).
set -eu
what="${1:-api}"
[ "$#" -gt 0 ] && shift
case "$what" in
  api) exec node dist/apps/api/src/main.js "$@" ;;
  worker) exec node dist/apps/worker/src/main.js "$@" ;;
  cli) exec node dist/apps/cli/src/main.js "$@" ;;
  *) echo "usage: dondoc api|worker|cli <command> (got: $what)" >&2; exit 64 ;;
esac
