#!/usr/bin/env bash
# Build oxvirt and run the demo, a C program compiled against oxvirt's header and linked with
# pkg-config (c-tests/demo.c): on test:///default, domains in every state, filtered listings
# and a console session with the echo guest (SAFE, a second SAFE refused, FORCE takes over).
# With a URI: list that connection's domains instead.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p c-tests/build
export PKG_CONFIG_PATH="$PWD/pkgconfig"
gcc -std=gnu11 -Wall -Wextra -Werror c-tests/demo.c -o c-tests/build/demo $(pkg-config --cflags --libs libvirt)
LD_LIBRARY_PATH="$PWD/target/release" c-tests/build/demo "$@"
