#!/usr/bin/env bash
# After PyInstaller (`make package` runs it first): the Linux packages of dist/clientcare
#   dist/clientcare_<version>_<arch>.deb     the program in /opt/clientcare, the commands
#                                            clientcare and clientcare-cli in /usr/bin, a
#                                            desktop entry and the icon
#   dist/clientcare-<version>-linux-<arch>-portable.zip
#                                            the folder with portable.txt: unzip and run,
#                                            the data stays beside it
set -euo pipefail
cd "$(dirname "$0")/.."

BUILT=dist/clientcare
[ -x "$BUILT/clientcare" ] || { echo "build_deb.sh: no $BUILT (run pyinstaller first)" >&2; exit 1; }
for tool in dpkg-deb zip; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build_deb.sh: needs $tool (on Debian/Ubuntu: apt-get install dpkg zip)" >&2; exit 1; }
done
VERSION=$(python3 packaging/bundle.py version)
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)
ROOT=build/deb/clientcare_${VERSION}_${ARCH}
DEB=dist/clientcare_${VERSION}_${ARCH}.deb
rm -rf "$ROOT" && mkdir -p "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin" \
    "$ROOT/usr/share/applications"

cp -a "$BUILT" "$ROOT/opt/clientcare"
# the programs find their folder through /proc/self/exe: a link in /usr/bin is enough
ln -s /opt/clientcare/clientcare "$ROOT/usr/bin/clientcare"
ln -s /opt/clientcare/clientcare-cli "$ROOT/usr/bin/clientcare-cli"
install -m 644 packaging/clientcare.desktop "$ROOT/usr/share/applications/clientcare.desktop"
for png in resources/icons/clientcare-*.png; do
    size=${png##*-}; size=${size%.png}
    dir="$ROOT/usr/share/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir" && install -m 644 "$png" "$dir/clientcare.png"
done
mkdir -p "$ROOT/usr/share/icons/hicolor/scalable/apps"
install -m 644 resources/icons/clientcare.svg "$ROOT/usr/share/icons/hicolor/scalable/apps/"

# what the bundled Qt loads from the system (PyInstaller leaves out libc, GL and EGL):
# found with readelf over the folder's libraries (README "Install", the .deb)
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: clientcare
Version: ${VERSION}
Architecture: ${ARCH}
Maintainer: ClientCare <clientcare@localhost>
Section: office
Priority: optional
Installed-Size: $(du -sk "$ROOT" | cut -f1)
Depends: libc6 (>= 2.36), libegl1, libgl1, libdrm2, libxcb1, libxcb-icccm4, libxcb-keysyms1, libwayland-client0, libwayland-cursor0, libwayland-egl1
Description: keep the clients you already have
 ClientCare keeps a small business's clients, their purchases, memberships,
 family and personal dates, and plans whom to call, when and why: the day's
 call queue, complaint recovery, A/B/C groups, churn risk and charts.
 .
 Each user's data lives in ~/.local/share/ClientCare; an update keeps it (the
 database is backed up before a new version changes its structure).
CONTROL

mkdir -p dist
rm -f "$DEB"
# zstd: 11 s for a 126 MB package here; xz makes 98 MB in 6 minutes (DEB_COMPRESS=xz for a
# release). Every dpkg that can run this build (glibc 2.36: Debian 12, Ubuntu 22.10 and
# newer) reads zstd.
DEB_COMPRESS=${DEB_COMPRESS:-zstd}
dpkg-deb --root-owner-group "-Z$DEB_COMPRESS" -z9 --build "$ROOT" "$DEB" >/dev/null
echo "built $DEB ($(du -h "$DEB" | cut -f1))"

# the portable zip: the same folder, with the marker that keeps the data beside it
ZIP=dist/clientcare-${VERSION}-linux-${ARCH}-portable.zip
STAGE=build/portable
rm -rf "$STAGE" "$ZIP" && mkdir -p "$STAGE"
cp -a "$BUILT" "$STAGE/clientcare"
install -m 644 packaging/portable.txt "$STAGE/clientcare/portable.txt"
(cd "$STAGE" && zip -qry "../../$ZIP" clientcare)
echo "built $ZIP ($(du -h "$ZIP" | cut -f1))"
