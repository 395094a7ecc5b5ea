#!/usr/bin/env bash
# Installs the Debian 12 packages Consilium needs (idempotent: apt is skipped when all are present),
# then configures and builds a Release tree into build/ (executable: build/bin/consilium).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache git
  # sanitizers and fuzzing (scripts/sanitizers.sh): clang with libFuzzer and the sanitizer run-times
  clang-14 libclang-rt-14-dev
  # Qt 6: the QML workstation, Qt PDF to read letters and reports, QPdfWriter to typeset documents
  qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-declarative-dev-tools qt6-pdf-dev qt6-shadertools-dev qt6-qpa-plugins libgl-dev
  qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-shapes qml6-module-qtquick-pdf qml6-module-qtquick-dialogs qml6-module-qt-labs-folderlistmodel
  # imaging (DCMTK, OpenJPEG for JPEG 2000 / HTJ2K, VTK), pathology (OpenSlide, libtiff, libjpeg), store (SQLite)
  libdcmtk-dev libopenjp2-7-dev libvtk9-dev libopenslide-dev libtiff-dev libjpeg-dev libsqlite3-dev
  # tests: GoogleTest, the validators and tools they call, an X server for the GUI
  libgtest-dev python3-openslide dicom3tools openslide-tools poppler-utils xvfb xauth libgl1-mesa-dri
  # the sqlite3 shell: the audit-chain tests edit a row behind Consilium's back with it
  sqlite3
  # benchmark peers
  dcm2niix
  # fonts: patient names in any script must render
  fonts-dejavu-core fonts-noto-core fonts-noto-cjk
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

BUILD_DIR=${CONSILIUM_BUILD_DIR:-build}
BUILD_TYPE=${CONSILIUM_BUILD_TYPE:-Release}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "${launcher[@]}" ${CONSILIUM_CMAKE_ARGS:-}
fi
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
