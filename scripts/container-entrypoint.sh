#!/bin/sh
# Each scaled-out worker replica reports its own heartbeat in /health: default WORKER_ID to the container's hostname.
set -e
export WORKER_ID="${WORKER_ID:-$HOSTNAME}"
exec "$@"
