#!/usr/bin/env bash
# Install the Debian packages the tests need, when we are root and they are missing.
# Without root, say what is missing: the tests that need it skip with a reason
# (under CI they fail instead, see tests/conftest.py).
# Each argument is a Debian package, or PACKAGE:COMMAND when any COMMAND on the
# PATH will do (node from another source is fine; don't replace it).
set -u
missing=()
for item in "$@"; do
  pkg=${item%%:*}
  if [ "$item" != "$pkg" ]; then
    command -v "${item#*:}" >/dev/null 2>&1 || missing+=("$pkg")
  else
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "note: missing system packages (${missing[*]}); tests that need them will be skipped." >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || echo "warning: could not install ${missing[*]}; tests that need them will be skipped." >&2
exit 0
