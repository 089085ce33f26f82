#!/bin/bash
# Fetch and unpack the newest kernel source Debian has, for the `latest`
# test kernel: linux-source-7.2 from Debian sid; and build a sparse that
# can read its headers (bookworm's 0.6.4 cannot: kbuild finds it "not up
# to date" for 7.2 and skips the check), from sid's source package.
#
# The .deb is downloaded with apt-get through a private source list and a
# private lists/cache directory under $DXGK_CACHE/sid-apt: sid is never
# added to the system's sources, nothing is installed, and the system's apt
# state is not touched. The tarball inside is kept as
# $DXGK_CACHE/src/linux-source-7.2.tar.xz and unpacked next to it. Safe to
# run again: it does nothing when the unpacked tree matches the tarball.
set -euo pipefail

cache=${DXGK_CACHE:-/var/cache/dxgkcompat}
pkg=${DXGK_LATEST_PKG:-linux-source-7.2}
ver=${pkg#linux-source-}
apt=$cache/sid-apt
tarball=$cache/src/$pkg.tar.xz
src=$cache/src/$pkg

say() { echo "fetch-latest: $*" >&2; }
die() { echo "fetch-latest: ERROR: $*" >&2; exit 1; }

mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc" "$cache/src"
printf '%s http://deb.debian.org/debian sid main\n' \
	"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
	"deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
	> "$apt/etc/sources.list"
opts=(-o "Dir::Etc::SourceList=$apt/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt"
      -o "Dir::Cache::Archives=$apt/archives" -o APT::Sandbox::User=root)

updated=0
update() {
	[ "$updated" = 1 ] && return 0
	say "apt-get update (private list: sid main, under $apt)"
	apt-get "${opts[@]}" -qq update || die "apt-get update of the private sid list failed"
	updated=1
}

if [ -f "$tarball" ] && [ -f "$src/Makefile" ] && [ -f "$src/.dxgk-unpacked" ] &&
   [ "$(cat "$src/.dxgk-unpacked")" = "$(stat -c '%s %Y' "$tarball")" ]; then
	say "$src ok"
else
if [ ! -f "$tarball" ]; then
	deb=$(ls "$apt"/archives/"${pkg}"_*_all.deb 2>/dev/null | sort -V | tail -1 || true)
	if [ -z "$deb" ]; then
		update
		say "downloading $pkg"
		(cd "$apt/archives" && apt-get "${opts[@]}" -qq download "$pkg") ||
			die "downloading $pkg from sid failed"
		deb=$(ls "$apt"/archives/"${pkg}"_*_all.deb 2>/dev/null | sort -V | tail -1 || true)
		[ -n "$deb" ] || die "$pkg .deb missing after download"
	fi
	say "extracting $pkg.tar.xz from ${deb##*/}"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/$pkg.tar.xz" > "$tarball.tmp" ||
		die "no usr/src/$pkg.tar.xz in $deb"
	mv "$tarball.tmp" "$tarball"
fi

say "unpacking $tarball"
rm -rf "$src"
tar -C "$cache/src" -xJf "$tarball" || die "unpacking $tarball failed"
[ -f "$src/Makefile" ] || die "$src/Makefile missing after unpack"
grep -q "^VERSION = ${ver%%.*}\$" "$src/Makefile" || die "$src is not a $ver kernel"
stat -c '%s %Y' "$tarball" > "$src/.dxgk-unpacked"
say "$src ok"
fi

# sparse, built from sid's source package (no sid binary runs on bookworm's
# libc); kept as $DXGK_CACHE/sparse/sparse
sp=$cache/sparse
if [ -x "$sp/sparse" ] && "$src/scripts/checker-valid.sh" "$sp/sparse" -m64 | grep -qx 1; then
	say "$sp/sparse ok ($("$sp/sparse" --version))"
	exit 0
fi
update
work=$(mktemp -d /tmp/dxgk-sparse.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get "${opts[@]}" -qq --download-only source sparse) ||
	die "downloading sid's sparse source failed"
orig=$(ls "$work"/sparse_*.orig.tar.* 2>/dev/null | head -1)
[ -n "$orig" ] || die "no sparse .orig tarball in sid's source package"
tar -C "$work" -xf "$orig"
dir=$(find "$work" -maxdepth 1 -type d -name 'sparse-*' | head -1)
[ -n "$dir" ] || die "sparse source tree missing after unpack"
say "building sparse from ${orig##*/}"
make -C "$dir" -j"$(nproc)" sparse HAVE_LLVM=no HAVE_GTK=no HAVE_SQLITE=no \
	HAVE_LIBXML=no > "$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; die "building sparse failed"; }
mkdir -p "$sp"
install -m 0755 "$dir/sparse" "$sp/sparse"
"$src/scripts/checker-valid.sh" "$sp/sparse" -m64 | grep -qx 1 ||
	die "the sparse built from sid's source cannot check $src either"
say "$sp/sparse ok"
