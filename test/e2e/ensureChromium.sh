#!/usr/bin/env bash
# Debian's Chromium for the playground's browser test (Playwright drives it; no browser download:
# `npx playwright install` cannot reach its CDN here). Installs it when missing and we are root,
# with the emoji font so the screenshots show the cards' ✅ and ❌.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "ensureChromium: /usr/bin/chromium is missing; install it: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "ensureChromium: installing Debian's chromium" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null || true
test -x /usr/bin/chromium
