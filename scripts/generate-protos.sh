#!/usr/bin/env bash
# generate-protos.sh: regenerates the Swift code of the OTLP messages in Protos/
# into Sources/SkillForge/Import/OTLP/Generated/, to be committed. CI never runs
# it: building the generator takes about ten minutes.
#
#   scripts/generate-protos.sh
#
# Uses Debian's protoc (installed with apt-get when missing) and protoc-gen-swift
# built from swift-protobuf at the exact version Package.swift depends on, so the
# generated code matches the runtime library. The generator is built once under
# $WORK (default /tmp/skill-forge-protoc-gen-swift) and reused.
set -euo pipefail
VERSION=1.39.0
WORK=${WORK:-/tmp/skill-forge-protoc-gen-swift}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/Sources/SkillForge/Import/OTLP/Generated"

if ! command -v protoc >/dev/null 2>&1; then
    echo "installing protobuf-compiler" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq protobuf-compiler
fi

SOURCE="$WORK/swift-protobuf-$VERSION"
PLUGIN="$SOURCE/.build/release/protoc-gen-swift"
if [ ! -x "$PLUGIN" ]; then
    mkdir -p "$WORK"
    [ -d "$SOURCE" ] || git clone --quiet --depth 1 --branch "$VERSION" https://github.com/apple/swift-protobuf "$SOURCE"
    echo "building protoc-gen-swift $VERSION (about ten minutes)" >&2
    (cd "$SOURCE" && swift build -c release --product protoc-gen-swift)
fi

# Internal types (nothing leaks into the library's API), one file per .proto, named after it.
rm -f "$OUT"/*.pb.swift
mkdir -p "$OUT"
cd "$ROOT/Protos"
protoc --plugin=protoc-gen-swift="$PLUGIN" \
    --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath --swift_opt=UseAccessLevelOnImports=false \
    --swift_out="$OUT" \
    $(find . -name '*.proto' | sed 's|^\./||' | sort)
protoc --version >&2
ls "$OUT" >&2
