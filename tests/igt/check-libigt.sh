#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check-libigt.sh [HEADER [LIBRARY]]
#
# Checks that the installed libigt exports every symbol tests/igt/include/igt.h
# declares. The symbols are taken from the header itself: each declaration of a
# libigt symbol has the marker comment "IGT_ABI" on the line that names it;
# a line with "(" declares a function (the name is the identifier before the
# first "("), a line without declares a variable (the identifier before ";").
#
# Checks:
#  - every marked function is a defined text symbol (T) of the library;
#  - every marked variable is a defined data/bss symbol (B/D) whose size equals
#    sizeof() of the declaration here (catches e.g. a wrong jmp_buf type);
#  - every function the header declares (found with gcc -aux-info) carries the
#    marker, so nothing escapes the check.
# Exits 1 with the list of problems otherwise.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
hdr=${1:-$here/include/igt.h}
lib=${2:-${LIBIGT:-/usr/lib/x86_64-linux-gnu/libigt.so.0}}
CC=${CC:-cc}

if [ ! -r "$lib" ]; then
	echo "check-libigt: $lib not found (install intel-gpu-tools)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name<TAB>kind for every marked declaration
sed -n '/\/\* IGT_ABI \*\//{s,/\*.*\*/,,;p}' "$hdr" | awk '
	index($0, "(") {
		s = substr($0, 1, index($0, "(") - 1)
		n = split(s, w, /[^A-Za-z0-9_]+/)
		while (n > 0 && w[n] == "") n--
		print w[n] "\tfunc"; next
	}
	{
		s = $0; sub(/\[.*$/, "", s); sub(/;.*$/, "", s)
		n = split(s, w, /[^A-Za-z0-9_]+/)
		while (n > 0 && w[n] == "") n--
		print w[n] "\tdata"
	}' > "$tmp/wanted"

if [ ! -s "$tmp/wanted" ]; then
	echo "check-libigt: no IGT_ABI markers found in $hdr" >&2
	exit 1
fi

nm -D -S --defined-only "$lib" |
	awk 'NF == 4 { print $4 "\t" $3 "\t" $2 } NF == 3 { print $3 "\t" $2 "\t-" }' \
	> "$tmp/exported"

# sizeof() of each marked variable as this header declares it
{
	echo '#include "igt.h"'
	echo 'int main(void) {'
	awk -F '\t' '$2 == "data" { printf "\tprintf(\"%s %%zu\\n\", sizeof(%s));\n", $1, $1 }' \
		"$tmp/wanted"
	echo '	return 0; }'
} > "$tmp/sizes.c"
$CC -I"$(dirname "$hdr")" -o "$tmp/sizes.bin" "$tmp/sizes.c"
"$tmp/sizes.bin" > "$tmp/sizes"

problems=0
while IFS='	' read -r name kind; do
	line=$(awk -F '\t' -v n="$name" '$1 == n { print; exit }' "$tmp/exported")
	if [ -z "$line" ]; then
		echo "missing: $name ($kind)"
		problems=$((problems + 1))
		continue
	fi
	type=$(echo "$line" | cut -f2)
	case "$kind:$type" in
	func:T|func:W|func:i) ;;
	data:B|data:D|data:V)
		libsize=$(( 0x$(echo "$line" | cut -f3) ))
		hdrsize=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/sizes")
		if [ "$libsize" != "$hdrsize" ]; then
			echo "size mismatch: $name: library $libsize, header $hdrsize"
			problems=$((problems + 1))
		fi ;;
	*)
		echo "wrong kind: $name: header says $kind, library type $type"
		problems=$((problems + 1)) ;;
	esac
done < "$tmp/wanted"

# Every function declared in the header must be marked.
echo '#include "igt.h"' > "$tmp/aux.c"
$CC -I"$(dirname "$hdr")" -fsyntax-only -aux-info "$tmp/aux" "$tmp/aux.c"
hdrbase=$(basename "$hdr")
grep "/\* [^ ]*$hdrbase:" "$tmp/aux" |
	sed 's,/\*.*\*/,,; s/(.*$//' | awk '{ print $NF }' | sort -u > "$tmp/declared"
awk -F '\t' '$2 == "func" { print $1 }' "$tmp/wanted" | sort -u > "$tmp/marked"
for name in $(comm -23 "$tmp/declared" "$tmp/marked"); do
	echo "unmarked declaration: $name (add the IGT_ABI marker)"
	problems=$((problems + 1))
done

if [ "$problems" -ne 0 ]; then
	echo "check-libigt: $lib does not match $hdr ($problems problem(s) above)" >&2
	exit 1
fi
echo "check-libigt: $(wc -l < "$tmp/wanted") symbols of $(basename "$hdr") found in $lib"
