#!/usr/bin/env bash
# Installs the Debian packages Hebu needs, when they are missing.
#   scripts/system-deps.sh          the test suite's: chromium, PostgreSQL, Voikko (CI fails without)
#   scripts/system-deps.sh search   Voikko only, best effort (`make run`: the search then falls
#                                   back to its rule-based Finnish analysis and says so in the log)
set -euo pipefail
mode="${1:-test}"
need=()
voikko_ok() {
  { ldconfig -p 2>/dev/null | grep -q 'libvoikko\.so\.1'; } && \
    { [ -d /usr/lib/voikko ] || [ -d /usr/share/voikko ]; }
}
voikko_ok || need+=(libvoikko1 voikko-fi)
if [ "$mode" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need+=(postgresql)
  fi
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "missing system packages: ${need[*]} (install them, e.g. apt-get install ${need[*]})" >&2
  if [ "${CI:-}" = "true" ] && [ "$mode" = "test" ]; then exit 1; fi
fi
