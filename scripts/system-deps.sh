#!/usr/bin/env bash
# Install the Debian packages the tests need, when we are root and they are missing.
# Without root, say what is missing: the tests that need it skip with a reason
# (under CI they fail instead, see tests/conftest.py).
set -u
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
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
