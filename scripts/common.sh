# shellcheck shell=bash
# Shared settings for the project's scripts.  Sourced, never run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../BASE
. "$TOP/BASE"
BASE_VERSION=${DAX_BASE_VERSION:-$BASE_VERSION}

# Everything generated lives outside the git tree, keyed by base version.
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE=$(realpath -m "${DAX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/daxseries}")
BASE_KEY=${BASE_VERSION//[^A-Za-z0-9.+-]/_}
BASE_REPO=$CACHE/$BASE_KEY/base.git	# bare: base tag + prepared series branches
SRC_DIR=$CACHE/$BASE_KEY/src	# one worktree per flavour: src/ours, src/stock
OBJ_DIR=$CACHE/$BASE_KEY/obj	# one object dir per flavour-config
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}

JOBS=${JOBS:-$(nproc)}

msg()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# Time from $1 to $2 (seconds since epoch; $2 defaults to now) as m:ss.
elapsed() { local s=$(( ${2:-$(date +%s)} - $1 )); printf '%d:%02d' $((s / 60)) $((s % 60)); }
