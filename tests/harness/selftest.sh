#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The harness tested against the ways a run goes wrong. Each case makes
# one failure on purpose and checks that the harness reports it (and that
# the clean case stays clean):
#
#   log     check-log.sh on one line of every kind of kernel report
#   floor   tests/harness/results.sh on made-up box results: a skipped
#           test or KUnit parameter, a missing IGT binary, a KUnit suite
#           dropped from the build, a guest script that died halfway, a
#           failed step; a guest script limited to some boxes ("# dxgk-boxes:")
#           missing in a box it names, and not expected in one it does not
#   boot    tests/testbox/run.sh with a stand-in qemu: KVM that reports an
#           internal error, hangs silently, exits at once without a word,
#           or starts a kernel that never reaches its shell (all fall back
#           to TCG and pass), and a guest that never reaches its shell
#           (killed at the boot deadline, exit 123)
#
#   selftest.sh [log|floor|boot]...    (default: all three)
#   selftest.sh --list                 the names of all cases, one a line
#
# Prints "harness: NAME: pass|fail" per case. Needs the IGT binaries in
# $O/tests/igt for "floor" and the distro kernel for "boot".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$top/build}
groups=${*:-log floor boot}
tmp=$(mktemp -d /tmp/dxgk-harness.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
rc=0
say() { echo "harness: $1: $2${3:+ ($3)}"; [ "$2" = pass ] || rc=1; }

# ---------------------------------------------------------------- log --
log_case() { # NAME KIND LINE: check-log.sh must fail on LINE with KIND
	printf '[    0.100000] Linux version 6.12\n%s\n' "$3" > "$tmp/log"
	if out=$("$top/tests/testbox/check-log.sh" "$tmp/log" 2>&1); then
		say "log-$1" fail "check-log passed: $3"
	elif ! grep -qF "check-log: $2: " <<< "$out"; then
		say "log-$1" fail "not reported as '$2': $out"
	else
		say "log-$1" pass
	fi
}
selftest_log() {
	printf '[    0.100000] Linux version 6.12\n[    0.2] ok\nBUG: output of a test program\n' > "$tmp/log"
	if "$top/tests/testbox/check-log.sh" "$tmp/log" > "$tmp/out" 2>&1; then
		say log-clean pass
	else
		say log-clean fail "$(cat "$tmp/out")"
	fi
	log_case kasan "KASAN report" "[   12.1] BUG: KASAN: slab-use-after-free in foo+0x1/0x2"
	log_case kfence "KFENCE report" "[   12.1] BUG: KFENCE: use-after-free read in foo+0x1/0x2"
	log_case lockdep-non-static-key "lockdep splat" "[   12.1] INFO: trying to register non-static key."
	log_case lockdep-circular "lockdep splat" "[   12.1] WARNING: possible circular locking dependency detected"
	log_case rcu-stall "RCU stall" "[   40.0] rcu: INFO: rcu_preempt self-detected stall on CPU"
	log_case soft-lockup "lockup" "[   40.0] watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [insmod:99]"
	log_case hung-task "hung task" "[  150.0] INFO: task insmod:99 blocked for more than 120 seconds."
	log_case oom-kill "OOM kill" "[   12.7] dxgkcompat_pmo invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=1000"
	log_case printk-dropped "lost kernel messages" "** 37 printk messages dropped **"
	log_case odebug "debug-objects report" "[   12.1] ODEBUG: free active (active state 0) object: 00000000 object type: work_struct hint: foo"
	log_case list-corruption "memory corruption report" "[   12.1] list_add corruption. prev->next should be next (ffff), but was 0000."
	log_case kmemleak "kmemleak leak" "unreferenced object 0xffff888003a1b2c0 (size 64):"
	log_case ubsan "UBSAN report" "[   12.1] UBSAN: array-index-out-of-bounds in foo.c:12:3"
	log_case dma-api "DMA-API debug error" "[   12.1] DMA-API: dxgk_edu 0000:00:03.0: device driver frees DMA memory with wrong function"
	log_case dmar "IOMMU (DMAR) fault" "[   12.1] DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x1000 [fault reason 0x05] PTE Write access is not set"
	log_case oops "oops" "[   12.1] Oops: general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP"
	log_case bug "BUG" "[   12.1] kernel BUG at mm/memory.c:2414!"
	log_case warn "WARN" "[   12.1] WARNING: CPU: 1 PID: 99 at drivers/gpu/drm/drm_mm.c:999 drm_mm_takedown+0x1/0x2"
	log_case panic "panic" "[   12.1] Kernel panic - not syncing: Fatal exception"
	# an announced DMAR fault that never came
	printf '[    1.0] dxgkcompat: expecting an IOMMU fault: DMA write to 0x1000\n' > "$tmp/log"
	if "$top/tests/testbox/check-log.sh" "$tmp/log" > "$tmp/out" 2>&1; then
		say log-missing-expected-fault fail "passed"
	else
		say log-missing-expected-fault pass
	fi
}

# -------------------------------------------------------------- floor --
# Made-up results of one debug box in which everything expected passed;
# then one thing at a time goes wrong. Counts the failures results.sh
# reports for each.
floor_run() { # BOX DIR [TOP] -> prints "FAILED SKIPPED"
	(
		# shellcheck disable=SC2030
		log=$tmp/floor.log
		O=$tmp/o
		. "$top/tests/harness/results.sh"
		# TOP: a tree whose tests/harness and tests/guest the floor
		# is read from (results.sh finds them under $top)
		top=${3:-$top}
		parse_box "$1" "${1%%:*}" "$2" > "$tmp/floor.out"
		echo "$failed $skipped"
	)
}
floor_make() { # DIR [BOX [TOP]]: a run of BOX where every expected result passed
	local dir=$1 box=${2:-debug:strict} tree=${3:-$top} name suite
	rm -rf "$dir"; mkdir -p "$dir/kunit"
	"$tree/tests/harness/expected-results.sh" "${box%%:*}" "${box#*:}" "$O/tests/igt" \
		> "$tmp/expected" || return 1
	while IFS= read -r name; do
		case "$name" in
		igt:*) echo "igt: ${name#igt:}: pass" ;;
		kunit:*) ;;
		*) echo "guest: $name: pass" ;;
		esac
	done < "$tmp/expected" | sed 's/$/\r/' > "$dir/console.log"
	for suite in $(sed -n 's|^kunit:\([^/]*\)/.*|\1|p' "$tmp/expected" | sort -u); do
		{
			echo "KTAP version 1"; echo "1..1"
			echo "    KTAP version 1"; echo "    # Subtest: $suite"
			grep -c "^kunit:$suite/" "$tmp/expected" | sed 's/^/    1../'
			grep "^kunit:$suite/" "$tmp/expected" | sed 's|^[^/]*/||' |
				awk '{ printf "    ok %d %s\n", NR, $0 }'
			echo "ok 1 $suite"
		} > "$dir/kunit/$suite.ktap"
	done
}
floor_expect() { # NAME "FAILED SKIPPED" WANT_FAILED [WANT_SKIPPED]
	if [ "${2%% *}" = "$3" ] && [ "${2##* }" = "${4:-0}" ]; then
		say "floor-$1" pass
	else
		say "floor-$1" fail "want $3 failed, ${4:-0} skipped; got $2: $(grep -v ': pass$' "$tmp/floor.out" | head -5 | tr '\n' ' ')"
	fi
}
selftest_floor() {
	local d=$tmp/box got n
	mkdir -p "$tmp/o/tests/igt"
	ln -sf "$O/tests/igt"/* "$tmp/o/tests/igt/" 2>/dev/null
	if ! floor_make "$d" || ! grep -q '^kunit:' "$tmp/expected" ||
	   grep -q '(binary)' "$tmp/expected"; then
		say floor-setup fail "no expected results (IGT built in $O/tests/igt?)"
		return
	fi
	floor_expect clean "$(floor_run debug:strict "$d")" 0

	# a test that skips, where no skip is declared
	name=$(grep -m1 '^igt:dxgkcompat_copy/' "$tmp/expected")
	sed -i "s|^igt: ${name#igt:}: pass|igt: ${name#igt:}: skip|" "$d/console.log"
	floor_expect unexpected-skip "$(floor_run debug:strict "$d")" 1
	floor_make "$d"

	# a KUnit case that skips
	sed -i '0,/^    ok 1 /s/^\(    ok 1 .*\)$/\1 # SKIP edu is absent/' "$d/kunit/dxgkcompat_adl.ktap"
	floor_expect kunit-skip "$(floor_run debug:strict "$d")" 1
	floor_make "$d"

	# an IGT binary that is missing: its subtests never ran, and the
	# expected list names the binary
	rm "$tmp/o/tests/igt/dxgkcompat_copy"
	grep -v '^igt: dxgkcompat_copy/' "$d/console.log" > "$d/c" && mv "$d/c" "$d/console.log"
	floor_expect missing-igt-binary "$(floor_run debug:strict "$d")" 1
	ln -sf "$O/tests/igt/dxgkcompat_copy" "$tmp/o/tests/igt/"
	floor_make "$d"

	# a KUnit suite dropped from the build: no results file for it
	n=$(grep -c '^kunit:dxgkcompat_status/' "$tmp/expected")
	rm "$d/kunit/dxgkcompat_status.ktap"
	floor_expect dropped-kunit-suite "$(floor_run debug:strict "$d")" "$n"
	floor_make "$d"

	# the lifecycle script died halfway: its last five results never came
	grep -v -e 'no-cards-left-2' -e 'port-unpinned-after-miniports' -e 'reload-virt-2' \
		-e 'reload-edu-2' -e 'cards-back' "$d/console.log" > "$d/c" && mv "$d/c" "$d/console.log"
	sed -i 's/^guest: step-lifecycle: pass/guest: step-lifecycle: fail/' "$d/console.log"
	floor_expect guest-script-died "$(floor_run debug:strict "$d")" 6
	floor_make "$d"

	# a parameter that skipped, in a case KUnit calls "ok"
	sed -i '0,/^    ok 1 /s/^\(    ok 1 .*\)$/        ok 1 IO_SPACE cached # SKIP no QEMU edu device\n\1/' \
		"$d/kunit/dxgkcompat_pmo_cache.ktap"
	floor_expect kunit-param-skip "$(floor_run debug:strict "$d")" 1
	floor_make "$d"

	# a KUnit case that failed a parameter
	sed -i '0,/^    ok 1 /s/^    ok 1 /    not ok 1 /' "$d/kunit/dxgkcompat_pmo.ktap"
	floor_expect kunit-failed-case "$(floor_run debug:strict "$d")" 1
	floor_make "$d"

	# a kernel printk cut a result line on the console: the console
	# alone loses that result...
	name=$(grep -m1 -v -e '^igt:' -e '^kunit:' "$tmp/expected")
	sed -i "s|^guest: $name: pass|guest: $name[   42.000000] dxgk_virt: started\\n: pass|" "$d/console.log"
	floor_expect console-line-split "$(floor_run debug:strict "$d")" 1
	# ...and the results file the guest wrote on the 9p share keeps it
	tr -d '\r' < "$d/console.log" > "$d/results.txt"
	echo "guest: $name: pass" >> "$d/results.txt"
	floor_expect results-file-kept-split-line "$(floor_run debug:strict "$d")" 0
	# the file is the record where it exists: a fail there is counted
	# once, as a fail, whatever the console says
	sed -i "s|^guest: $name: pass|guest: $name: fail|" "$d/results.txt"
	floor_expect results-file-is-the-record "$(floor_run debug:strict "$d")" 1
	floor_make "$d"; rm -f "$d/results.txt"

	# the whole guest console lost: every expected result is missing
	: > "$d/console.log"; rm -rf "$d/kunit"
	floor_expect nothing-reported "$(floor_run debug:strict "$d")" "$(wc -l < "$tmp/expected")"

	# A guest script limited to some boxes: a tree with the real guest
	# scripts, one more that says "# dxgk-boxes: distro:lazy debug:*", and
	# the real floor script and sources. Its result is left out of each
	# box's made-up results: it fails where the line names the box, and
	# nothing fails where it does not (same kernel, another IOMMU mode).
	local t=$tmp/top
	mkdir -p "$t/tests/harness" "$t/tests/guest"
	ln -sf "$top/tests/harness/expected-results.sh" "$top/tests/harness/expected-skips" "$t/tests/harness/"
	ln -sf "$top"/tests/guest/*.sh "$t/tests/guest/"
	ln -sfn "$top/tests/igt" "$t/tests/igt"
	ln -sfn "$top/drivers" "$t/drivers"
	printf '%s\n' '#!/bin/bash' '# a made-up guest script (tests/harness/selftest.sh)' \
		'# dxgk-boxes: distro:lazy debug:*' 'check limited-to-some-boxes true' \
		> "$t/tests/guest/zz-limited.sh"
	floor_expect boxes-named-literally "$(floor_limited distro:lazy "$d" "$t")" 1
	floor_expect boxes-named-by-pattern "$(floor_limited debug:strict "$d" "$t")" 1
	floor_expect boxes-not-named "$(floor_limited distro:strict "$d" "$t")" 0
}
# floor_limited BOX DIR TREE: BOX's results from TREE without the limited
# script's one -> "FAILED SKIPPED"
floor_limited() {
	floor_make "$2" "$1" "$3" || { echo "no-expected-results -"; return; }
	grep -v '^guest: limited-to-some-boxes: ' "$2/console.log" > "$2/c" && mv "$2/c" "$2/console.log"
	floor_run "$1" "$2" "$3"
}

# --------------------------------------------------------------- boot --
# A stand-in qemu: under -accel kvm it fails as $FAKE_KVM says, otherwise
# it runs the real qemu (or, with FAKE_TCG=silent, hangs without output).
make_fake_qemu() {
	cat > "$tmp/qemu" <<'EOF'
#!/bin/bash
case " $* " in
*" -accel kvm "*)
	case "$FAKE_KVM" in
	internal-error)	echo "KVM internal error. Suberror: 1" >&2
			echo "emulation failure" >&2; exec sleep 600 ;;
	silent)		exec sleep 600 ;;
	exit)		exit 1 ;;	# gone at once, without a word
	banner)		# the kernel starts, then hangs before userspace
		for a in "$@"; do
			case "$a" in file:*) echo "[    0.000000] Linux version 6.12 (stand-in)" > "${a#file:}" ;; esac
		done
		exec sleep 600 ;;
	esac ;;
esac
[ "${FAKE_TCG:-}" = silent ] && exec sleep 600
exec qemu-system-x86_64 "$@"
EOF
	chmod +x "$tmp/qemu"
	printf 'echo guest alive\nexit 0\n' > "$tmp/guest.sh"
}
boot_case() { # NAME WANT_RC WANT_LINE MAX_SECONDS [ENV...]
	local name=$1 want=$2 line=$3 max=$4 t0 rc el
	shift 4
	rm -rf "$tmp/accel" "$tmp/res"
	t0=$(date +%s)
	env DXGK_QEMU="$tmp/qemu" DXGK_ACCEL_STATE="$tmp/accel" DXGK_KVM_PROBE=0 "$@" \
		"$top/tests/testbox/run.sh" --kernel distro --timeout 120 --quiet "${boot_args[@]}" \
		--results "$tmp/res" -- "$tmp/guest.sh" > "$tmp/boot.out" 2>&1
	rc=$? el=$(( $(date +%s) - t0 ))
	if [ "$rc" != "$want" ]; then
		say "boot-$name" fail "exit $rc, want $want: $(grep '^testbox: [A-Z]' "$tmp/boot.out" | tail -3 | tr '\n' ' ')"
	elif ! grep -q -- "$line" "$tmp/boot.out"; then
		say "boot-$name" fail "no line '$line' in: $(grep '^testbox: [A-Z]' "$tmp/boot.out" | tr '\n' ' ')"
	elif [ "$el" -gt "$max" ]; then
		say "boot-$name" fail "took ${el}s, more than ${max}s"
	else
		say "boot-$name" pass "${el}s"
	fi
}
selftest_boot() {
	# the stand-in needs no KVM: it only pretends
	make_fake_qemu
	boot_args=()
	# KVM that reports an internal error and stops (qemu stays alive)
	boot_case kvm-internal-error 0 "testbox: KVM guest died .*KVM internal error.*booting again under TCG" 60 \
		DXGK_ACCEL=auto FAKE_KVM=internal-error
	# KVM that hangs without a word: no console output within 15 s
	boot_case kvm-silent 0 "testbox: KVM guest died .*no console output in 15s.*booting again under TCG" 75 \
		DXGK_ACCEL=auto FAKE_KVM=silent
	# KVM qemu that exits at once and prints nothing
	boot_case kvm-quiet-exit 0 "testbox: KVM guest died .*qemu exited with status 1 before the shell.*booting again under TCG" 60 \
		DXGK_ACCEL=auto FAKE_KVM=exit
	# a kernel that starts under KVM and never reaches its shell there
	boot_args=(--boot-timeout 30)
	boot_case kvm-no-shell 0 "testbox: KVM guest died .*no shell within 30s under KVM.*booting again under TCG" 75 \
		DXGK_ACCEL=auto FAKE_KVM=banner
	# a guest that never reaches its shell: killed at the boot deadline
	boot_args=(--boot-timeout 5)
	boot_case no-shell 123 "did not reach its shell within the 5s boot deadline" 15 \
		DXGK_ACCEL=tcg FAKE_TCG=silent
}

if [ "${1:-}" = --list ]; then
	sed -nE -e 's/^[[:space:]]*log_case ([a-z0-9-]+) .*/log-\1/p' \
		-e 's/^[[:space:]]*floor_expect ([a-z0-9-]+) .*/floor-\1/p' \
		-e 's/^[[:space:]]*boot_case ([a-z0-9-]+) .*/boot-\1/p' \
		-e 's/^[[:space:]]*say (log-[a-z0-9-]+) pass$/\1/p' "$0" | sort -u
	exit 0
fi

for g in $groups; do
	case "$g" in
	log) selftest_log ;;
	floor) selftest_floor ;;
	boot) selftest_boot ;;
	*) echo "selftest: unknown group $g" >&2; exit 2 ;;
	esac
done
exit $rc
