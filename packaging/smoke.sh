#!/usr/bin/env bash
# Build the Linux package and start the packaged program (CI runs it after `make test`;
# `make smoke` does the same by hand). A Qt plugin, a translation, a migration or a data
# file the build left out fails here, not on a shop's PC.
#   1. `make package`: dist/clientcare, the .deb and the portable zip
#   2. unpack the .deb and the zip into a scratch folder and check what they hold
#   3. start the .deb's program: --version, demo, the window offscreen on the demo
#      database (--smoke-test: the client list painted with rows, every page, quit)
#   4. tests/test_package_smoke.py against both: the same and more (the data folder, the
#      portable data beside the program, an older database upgraded after its backup,
#      the window in Russian)
# SMOKE_INSTALL=1 (root, Debian/Ubuntu) also installs the .deb with apt-get, starts
# /usr/bin/clientcare and removes the package again. SMOKE_SKIP_BUILD=1 uses the build
# that is there; SMOKE_PYTHON names another Python with the project's test packages.
set -euo pipefail
cd "$(dirname "$0")/.."

# the tools of the packages (a minimal Debian, as in CI, has dpkg-deb but not zip)
missing=""
for tool in zip unzip; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "smoke.sh: install$missing first" >&2
        exit 1
    fi
fi

t0=$(date +%s)
if [ "${SMOKE_SKIP_BUILD:-0}" != 1 ]; then
    make package
fi
t1=$(date +%s)

VERSION=$(python3 packaging/bundle.py version)
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)
DEB=dist/clientcare_${VERSION}_${ARCH}.deb
ZIP=dist/clientcare-${VERSION}-linux-${ARCH}-portable.zip
WORK=$(mktemp -d /tmp/clientcare-smoke.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "smoke.sh: $*" >&2; exit 1; }

echo "--- the .deb: $DEB"
[ "$(dpkg-deb -f "$DEB" Package Version | tr '\n' ' ')" = "Package: clientcare Version: $VERSION " ] \
    || fail "the .deb's control names another package or version"
dpkg-deb -x "$DEB" "$WORK/deb"
OPT="$WORK/deb/opt/clientcare"
for program in clientcare clientcare-cli; do
    [ -x "$OPT/$program" ] || fail "the .deb has no /opt/clientcare/$program"
    [ "$(readlink "$WORK/deb/usr/bin/$program")" = "/opt/clientcare/$program" ] \
        || fail "/usr/bin/$program does not lead to /opt/clientcare/$program"
done
[ -f "$WORK/deb/usr/share/applications/clientcare.desktop" ] || fail "no desktop entry"
[ -f "$WORK/deb/usr/share/icons/hicolor/256x256/apps/clientcare.png" ] || fail "no icon"
[ -f "$WORK/deb/usr/share/icons/hicolor/scalable/apps/clientcare.svg" ] || fail "no SVG icon"
[ ! -e "$OPT/portable.txt" ] || fail "the .deb's program is portable: its data would go to /opt"

echo "--- the packaged program"
export HOME="$WORK/home" XDG_DATA_HOME="$WORK/home/.local/share" QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME"
"$OPT/clientcare-cli" --version | grep -qx "ClientCare $VERSION" || fail "--version"
"$OPT/clientcare-cli" --version
"$OPT/clientcare-cli" demo "$WORK/x.sqlite"
"$OPT/clientcare" --smoke-test --db "$WORK/x.sqlite"

echo "--- the portable zip: $ZIP"
unzip -q "$ZIP" -d "$WORK/zip"
[ -f "$WORK/zip/clientcare/portable.txt" ] || fail "the zip has no portable.txt"

echo "--- tests/test_package_smoke.py"
PY=${SMOKE_PYTHON:-.venv/bin/python}  # the project's venv, as `make package` made it
CLIENTCARE_PACKAGE_DIR="$OPT" CLIENTCARE_PORTABLE_DIR="$WORK/zip/clientcare" \
    CLIENTCARE_REQUIRE_PACKAGE=1 "$PY" -m pytest -q -p no:cacheprovider \
    tests/test_package_smoke.py

if [ "${SMOKE_INSTALL:-0}" = 1 ]; then
    echo "--- apt-get install $DEB"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$DEB" >/dev/null
    clientcare-cli --version | grep -qx "ClientCare $VERSION" || fail "installed --version"
    [ -f /usr/share/applications/clientcare.desktop ] || fail "installed: no desktop entry"
    clientcare --smoke-test --db "$WORK/x.sqlite"
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq --autoremove clientcare >/dev/null
    [ ! -e /opt/clientcare ] || fail "apt-get remove left /opt/clientcare"
fi
t2=$(date +%s)
echo "smoke.sh: the package built in $((t1 - t0)) s, started and checked in $((t2 - t1)) s"
