#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The module build run from a parent make: `make -C <repo> modules` whatever
# make state the caller passes down (scripts/build-modules.sh drops it).
#
#   scripts/parent-make-test.sh [KDIR [OUT]]
#
# KDIR defaults to the newest Debian 6.12 headers; OUT (default: a
# temporary directory, removed at the end) is the O= of the builds. Cases:
#
#   parent      a tiny Makefile whose recipe runs `$(MAKE) -C <repo> modules
#               KDIR=... O=...` (the sub-make prints "Entering/Leaving
#               directory" lines: make turns -w on below a -C), run as
#               `make -C <tmpdir>`
#   parent-s    the same parent run as `make -s -C <tmpdir>` (as CI's
#               `make -s run` does)
#   makeflags-w `MAKEFLAGS=w make -C <repo> modules KDIR=... O=...`
#
# In each, the three .ko files must then exist in OUT/kmod/<release>/ (they
# are removed before each case, so each case links them again) and the
# build must have printed that directory last. Prints one
# "parent-make: CASE: pass|fail" line per case; exits 1 if any failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:-$(ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | sort -V | tail -1)}
out=${2:-}
[ -n "$kdir" ] && [ -f "$kdir/Makefile" ] || {
	echo "parent-make: no kernel build tree at '$kdir'" >&2
	echo "parent-make: setup: fail"
	exit 1
}
release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null) || release=
[ -n "$release" ] || release=$(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
	make -s --no-print-directory -C "$kdir" kernelrelease)
tmp=$(mktemp -d /tmp/dxgk-parent-make.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
out=${out:-$tmp/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
dir=$out/kmod/$release
mods=(drivers/gpu/drm/dxgkcompat/dxgkcompat.ko
      drivers/gpu/drm/dxgkcompat/miniports/virt/dxgk_virt.ko
      drivers/gpu/drm/dxgkcompat/miniports/edu/dxgk_edu.ko)

cat > "$tmp/Makefile" <<EOF
# a parent make, as a distribution's or a CI's build system would be
all:
	\$(MAKE) -C $top modules KDIR=$kdir O=$out
EOF

failed=0
# run_case NAME COMMAND...: run one build, then judge it
run_case() {
	local name=$1 m ok=1 last
	shift
	rm -f "${mods[@]/#/$dir/}"
	echo "parent-make: == $name: $*" >&2
	if ! "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"; then
		echo "parent-make: $name: the build failed:" >&2
		ok=0
	fi
	last=$(grep -v '^make\(\[[0-9]*\]\)\?: ' "$tmp/$name.out" | tail -1)
	if [ "$last" != "$dir" ]; then
		echo "parent-make: $name: the build printed '$last' last, not '$dir'" >&2
		ok=0
	fi
	for m in "${mods[@]}"; do
		[ -s "$dir/$m" ] || { echo "parent-make: $name: $dir/$m missing" >&2; ok=0; }
	done
	if [ "$ok" = 1 ]; then
		echo "parent-make: $name: pass"
	else
		tail -n 5 "$tmp/$name.out" "$tmp/$name.err" >&2
		echo "parent-make: $name: fail"
		failed=1
	fi
}

# the caller's own make state must not leak into the cases either
unset MAKEFLAGS MFLAGS GNUMAKEFLAGS MAKELEVEL MAKEOVERRIDES
run_case parent make -C "$tmp"
run_case parent-s make -s -C "$tmp"
run_case makeflags-w env MAKEFLAGS=w make -C "$top" modules KDIR="$kdir" O="$out"
exit "$failed"
