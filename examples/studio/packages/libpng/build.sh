#!/bin/bash
# Tiny stand-in for a cmake build: writes the files a real libpng would install.
set -euo pipefail
mkdir -p "$PREFIX/include" "$PREFIX/lib/pkgconfig"
echo "/* libpng ${SPK_PKG_VERSION:-} */" > "$PREFIX/include/png.h"
echo "Name: libpng" > "$PREFIX/lib/pkgconfig/libpng.pc"
