#!/usr/bin/env bash
# Installs the pinned Python dependencies into the virtualenv with visible progress: what a first
# install downloads, then one line per package ("[n/N] name", with its download size when pip
# downloads it rather than taking it from its cache). Usage: scripts/install-requirements.sh PIP
set -uo pipefail
PIP="$1"
cd "$(dirname "$0")/.."
total=$(grep -cE '^[A-Za-z0-9]' constraints.txt)
# Measured on a first install into an empty virtualenv without pip's cache (docs/deploy.md).
echo ">> installing ${total} pinned Python packages into $(dirname "$(dirname "$PIP")")"
echo "   a first install downloads about 1.1 GB (TensorFlow alone 586 MB) and takes 3-10 minutes;"
echo "   it needs about 3 GB of disk. Later runs reuse pip's cache and skip what is installed."
"$PIP" install --progress-bar off -r requirements.txt -r requirements-dev.txt -c constraints.txt 2>&1 |
  awk -v total="$total" '
    /^Collecting / { n++; printf "   [%d/%d] %s\n", n, total, $2; fflush(); next }
    /^  Downloading / { size = $(NF-1) " " $NF; gsub(/[()]/, "", size)
                        printf "          downloading %s\n", size; fflush(); next }
    /^Installing collected packages/ { print "   unpacking and installing (this takes a while) ..."; fflush(); next }
    /^Successfully installed/ { print "   done"; fflush(); next }
    /^Requirement already satisfied/ { next }
    /^WARNING: Location/ { next }
    /ERROR|error:|Error/ { print; fflush() }
  '
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || echo "error: pip install failed (exit $status); the lines above say why" >&2
exit "$status"
