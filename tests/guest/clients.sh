#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# DRM clients no one here wrote, run against both adapters: Debian's
# drm_info (package drm-info), libdrm's drmdevice (libdrm-tests), IGT's
# lsgpu (intel-gpu-tools), and libdrm's drmGetVersion as every libdrm
# client calls it (through python3's ctypes). What they print is held
# against what the driver declares (DXGK_DRIVER_NAME, DRIVER_MAJOR,
# DRIVER_MINOR, DRIVER_PATCHLEVEL or 0, in drivers/gpu/drm/dxgkcompat/) and
# what sysfs says of each adapter: its card and render node, and its bus
# (dxgk_edu: PCI 1234:11e8 at its slot; dxgk_virt: the platform device
# dxgk_virt, no OF node, so libdrm names it from its MODALIAS).
#
#   clients.sh
#
# Runs inside the test box as root, with dxgk_virt and dxgk_edu loaded and
# their cards up (suite.sh); leaves them so. The tools' output is kept in
# $DXGK_RESULTS/clients/ (or a temporary directory).
#
# drm_info 2.4.0 (bookworm) leaves out a device without KMS: its
# drmModeGetResources fails with EOPNOTSUPP on a render-only driver, and it
# prints "drmModeGetResources: Operation not supported" (and, when it lists
# every device, "Failed to retrieve information from NODE") instead of the
# device (drm_info issue #83). Its check then requires exactly that of
# each node, after its drmGetVersion and drmGetDevice calls succeeded (they
# perror otherwise); a drm_info that does print such a device has its
# driver name, version, bus and nodes checked instead.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
src=$here/../../drivers/gpu/drm/dxgkcompat
# a failed check fails the script too (suite.sh's step-clients)
failed=0
eval "lib_$(declare -f result)"
result() { lib_result "$@"; [ "$2" = pass ] || failed=1; }

# What the driver declares, from its sources.
define_of() {
	sed -n "s/^#define[[:space:]]\{1,\}$1[[:space:]]\{1,\}\(.*[^[:space:]]\)[[:space:]]*$/\1/p" "$2" | head -1
}
want_name=$(define_of DXGK_DRIVER_NAME "$src/dxgk_drv.h" | tr -d '"')
want_major=$(define_of DRIVER_MAJOR "$src/dxgk_drv.c")
want_minor=$(define_of DRIVER_MINOR "$src/dxgk_drv.c")
want_patch=$(define_of DRIVER_PATCHLEVEL "$src/dxgk_drv.c")
want_patch=${want_patch:-0}
want_version=$want_major.$want_minor.$want_patch

# adapter MINIPORT: sets card (/dev/dri/cardN), render (/dev/dri/renderDN),
# sys (the bus device's sysfs path), bus (pci or platform), slot (the bus
# device's name: 0000:00:03.0, dxgk_virt)
adapter() {
	local c r
	card='' render='' sys='' bus='' slot=''
	c=$(cards_of "$1" | head -1)
	[ -n "$c" ] || return 1
	card=$c
	sys=$(readlink -f "/sys/class/drm/${c##*/}/device")
	for r in /sys/class/drm/renderD[0-9]*; do
		[ "$(readlink -f "$r/device")" = "$sys" ] && render=/dev/dri/${r##*/}
	done
	bus=$(basename "$(readlink -f "$sys/subsystem")")
	slot=${sys##*/}
	[ -n "$render" ]
}

# The judges: python3, reading a tool's saved output. Each prints why it
# fails, and the output it read.
judge() {
	python3 - "$@" <<'PY'
import json, re, sys

def fail(why, text=None):
    print("clients: %s: FAIL: %s" % (sys.argv[1], why))
    if text is not None:
        for line in text.splitlines()[:80]:
            print("clients: | " + line)
    sys.exit(1)

def read(path):
    with open(path, errors="replace") as f:
        return f.read()

mode = sys.argv[1]

if mode == "drm_info":
    # drm_info OUT ERR ALL_OUT ALL_ERR CARD RENDER BUS SLOT NAME VERSION
    out, err, all_out, all_err, card, render, bus, slot, name, version = sys.argv[2:12]
    text, etext = read(out), read(err)
    try:
        obj = json.loads(text)
    except ValueError as e:
        fail("drm_info -j %s: not JSON (%s)" % (card, e), text + "\n" + etext)
    try:
        every = json.loads(read(all_out))
    except ValueError as e:
        fail("drm_info -j: not JSON (%s)" % e, read(all_out) + "\n" + read(all_err))
    if card in obj:
        # a drm_info that reports devices without KMS
        for key, got in ((card, obj[card]), (card + " (every device)", every.get(card))):
            if got is None:
                fail("drm_info -j lists no %s" % card, read(all_out) + "\n" + read(all_err))
            drv, dev = got.get("driver") or {}, got.get("device") or {}
            ver = drv.get("version") or {}
            v = "%s.%s.%s" % (ver.get("major"), ver.get("minor"), ver.get("patch"))
            if drv.get("name") != name or v != version:
                fail("%s: driver %r version %s, not %s %s" % (key, drv.get("name"), v, name, version), text)
            if not int(dev.get("available_nodes") or 0) & (1 << 2):
                fail("%s: no render node in available_nodes %r" % (key, dev.get("available_nodes")), text)
            data = dev.get("device_data") or {}
            if bus == "pci":
                if dev.get("bus_type") != 0 or data.get("vendor") != 0x1234 or data.get("device") != 0x11e8:
                    fail("%s: bus %r device %r, not PCI 1234:11e8" % (key, dev.get("bus_type"), data), text)
            elif dev.get("bus_type") != 2 or slot not in (data.get("compatible") or []):
                fail("%s: bus %r device %r, not platform %s" % (key, dev.get("bus_type"), data, slot), text)
        print("clients: drm_info: %s: %s %s, bus %s, render node" % (card, name, version, bus))
    else:
        # drm_info 2.4.0 and a render-only driver: the device is left out
        # for want of KMS, and for nothing else
        lines = [l for l in etext.splitlines() if l.strip()]
        if obj != {} or lines != ["drmModeGetResources: Operation not supported"]:
            fail("drm_info -j %s: neither the device nor only drmModeGetResources' EOPNOTSUPP" % card,
                 text + "\n" + etext)
        elines = [l for l in read(all_err).splitlines() if l.strip()]
        want = "Failed to retrieve information from " + card
        if want not in elines or elines[elines.index(want) - 1] != "drmModeGetResources: Operation not supported" \
           or any(l.startswith(("drmGetVersion", "drmGetDevice")) for l in elines):
            fail("drm_info -j (every device): no '%s' after EOPNOTSUPP, or a drmGetVersion/drmGetDevice error" % want,
                 read(all_out) + "\n" + read(all_err))
        print("clients: drm_info: %s: found, version and device read, left out: no KMS (EOPNOTSUPP)" % card)

elif mode == "drmdevice":
    # drmdevice OUT CARD RENDER BUS SLOT
    out, card, render, bus, slot = sys.argv[2:7]
    text = read(out)
    blocks = re.split(r"^(?=device\[\d+\]$)", text, flags=re.M)
    ours = []
    for b in blocks:
        nodes = dict(re.findall(r"^\|   \+-> nodes\[(\d)\] (\S+)$", b, re.M))
        if nodes.get("0") == card:
            ours.append((b, nodes))
    # enumerated (drmGetDevices2), then again from each node (drmGetDevice2)
    if len(ours) < 3:
        fail("%d device blocks with %s, not 3 (listed, from the card, from the render node)" % (len(ours), card), text)
    if "--- Retrieving device info, for node %s ---" % render not in text:
        fail("no device info retrieved from %s" % render, text)
    for b, nodes in ours:
        if nodes.get("2") != render:
            fail("render node %r, not %s" % (nodes.get("2"), render), b)
        m = re.search(r"^\+-> bustype ([0-9a-f]{4})$", b, re.M)
        if bus == "pci":
            pci = dict(re.findall(r"^\|       \+-> (domain|bus|dev|func) +([0-9a-f]+)$", b, re.M))
            ids = dict(re.findall(r"^        \+-> (vendor_id|device_id) +([0-9a-f]{4})$", b, re.M))
            at = "%s:%s:%s.%s" % (pci.get("domain"), pci.get("bus"), pci.get("dev"), pci.get("func"))
            if not m or m.group(1) != "0000" or at != slot or ids != {"vendor_id": "1234", "device_id": "11e8"}:
                fail("not PCI 1234:11e8 at %s" % slot, b)
        else:
            full = re.search(r"^\|       \+-> fullname\t(\S+)$", b, re.M)
            compat = re.search(r"^        \+-> compatible\n((?: {20}\S+\n)+)", b, re.M)
            if not m or m.group(1) != "0002" or not full or full.group(1) != slot \
               or not compat or slot not in compat.group(1).split():
                fail("not platform device %s" % slot, b)
    print("clients: drmdevice: %s %s, bus %s %s, %d views agree" % (card, render, bus, slot, len(ours)))

elif mode == "lsgpu":
    # lsgpu SIMPLE_OUT DEFAULT_OUT CARD RENDER BUS SYS
    out, dflt, card, render, bus, sys_path = sys.argv[2:8]
    text = read(out)
    blocks = {}
    for b in re.split(r"\n\s*\n", text):
        lines = b.strip().splitlines()
        if not lines or not lines[0].startswith("sys:"):
            continue
        kv = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            kv[k.strip()] = v.strip()
        blocks.setdefault(lines[0][4:], []).append(kv)
    parent = [kv for kv in blocks.get(sys_path, []) if kv.get("subsystem") == bus]
    if len(parent) != 1:
        fail("no single %s device %s" % (bus, sys_path), text)
    p = parent[0]
    if p.get("drm card") != card or p.get("drm render") != render:
        fail("%s: card %r render %r, not %s %s" % (sys_path, p.get("drm card"), p.get("drm render"), card, render), text)
    if bus == "pci" and (p.get("vendor", "").lower(), p.get("device", "").lower()) != ("1234", "11e8"):
        fail("%s: %r:%r, not 1234:11e8" % (sys_path, p.get("vendor"), p.get("device")), text)
    for node, key in ((card, "drm card"), (render, "drm render")):
        kids = [kv for path, l in blocks.items() for kv in l
                if kv.get("subsystem") == "drm" and kv.get(key) == node]
        if len(kids) != 1 or kids[0].get("parent") != "sys:" + sys_path:
            fail("no drm device %s under %s" % (node, sys_path), text)
    d = read(dflt)
    for node in (card, render):
        if not re.search(r"(^|\s)drm:%s$" % re.escape(node), d, re.M):
            fail("lsgpu does not list drm:%s" % node, d)
    print("clients: lsgpu: %s %s under %s %s" % (card, render, bus, sys_path))

elif mode == "version":
    # version NAME VERSION NODE...: drmGetVersion on each node
    import ctypes, os
    name, version = sys.argv[2:4]

    class drmVersion(ctypes.Structure):
        _fields_ = [("version_major", ctypes.c_int), ("version_minor", ctypes.c_int),
                    ("version_patchlevel", ctypes.c_int),
                    ("name_len", ctypes.c_int), ("name", ctypes.c_char_p),
                    ("date_len", ctypes.c_int), ("date", ctypes.c_char_p),
                    ("desc_len", ctypes.c_int), ("desc", ctypes.c_char_p)]
    drm = ctypes.CDLL("libdrm.so.2", use_errno=True)
    drm.drmGetVersion.restype = ctypes.POINTER(drmVersion)
    drm.drmGetVersion.argtypes = [ctypes.c_int]
    drm.drmFreeVersion.argtypes = [ctypes.POINTER(drmVersion)]
    for node in sys.argv[4:]:
        fd = os.open(node, os.O_RDWR)
        p = drm.drmGetVersion(fd)
        if not p:
            fail("drmGetVersion(%s): %s" % (node, os.strerror(ctypes.get_errno())))
        v = p.contents
        got = "%d.%d.%d" % (v.version_major, v.version_minor, v.version_patchlevel)
        gname = (v.name or b"").decode(errors="replace")
        desc = (v.desc or b"").decode(errors="replace")
        drm.drmFreeVersion(p)
        os.close(fd)
        if gname != name or got != version:
            fail("%s: driver %r version %s, not %s %s" % (node, gname, got, name, version))
        print("clients: drmGetVersion: %s: %s %s (%s)" % (node, gname, got, desc))
else:
    fail("unknown judge")
PY
}

drm_info_ok() {
	drm_info -j "$card" > "$out/drm_info-$1.json" 2> "$out/drm_info-$1.err"
	judge drm_info "$out/drm_info-$1.json" "$out/drm_info-$1.err" \
		"$out/drm_info.json" "$out/drm_info.err" "$card" "$render" "$bus" "$slot" \
		"$want_name" "$want_version"
}
drmdevice_ok() {
	judge drmdevice "$out/drmdevice.txt" "$card" "$render" "$bus" "$slot"
}
lsgpu_ok() {
	judge lsgpu "$out/lsgpu-s.txt" "$out/lsgpu.txt" "$card" "$render" "$bus" "$sys"
}
version_ok() {
	[ -n "$want_name" ] && [ -n "$want_major" ] && [ -n "$want_minor" ] || {
		echo "clients: cannot read the driver's name and version from $src"
		return 1
	}
	judge version "$want_name" "$want_version" "$card" "$render"
}

# DXGK_CLIENTS_LIB=1 when sourced: the functions only (a test of the
# judges on saved output, in $out)
[ -z "${DXGK_CLIENTS_LIB:-}" ] || return 0

# The tool runs; their output is kept.
out=${DXGK_RESULTS:+$DXGK_RESULTS/clients}
out=${out:-$(mktemp -d /tmp/dxgk-clients.XXXXXX)}
mkdir -p "$out"
echo "clients: the driver declares $want_name $want_version; output in $out"
# every device at once, once
drm_info -j > "$out/drm_info.json" 2> "$out/drm_info.err"
echo "clients: drm_info -j: exit $?"
drmdevice > "$out/drmdevice.txt" 2>&1
echo "clients: drmdevice: exit $?"
lsgpu -s > "$out/lsgpu-s.txt" 2>&1
lsgpu > "$out/lsgpu.txt" 2>&1

if adapter dxgk_virt; then
	echo "clients: dxgk_virt: $card $render, $bus $sys"
	check clients-drm-info-virt drm_info_ok virt
	check clients-drmdevice-virt drmdevice_ok
	check clients-lsgpu-virt lsgpu_ok
	check clients-libdrm-version-virt version_ok
else
	echo "clients: dxgk_virt: no card with a render node"
	check clients-drm-info-virt false
	check clients-drmdevice-virt false
	check clients-lsgpu-virt false
	check clients-libdrm-version-virt false
fi
if adapter dxgk_edu; then
	echo "clients: dxgk_edu: $card $render, $bus $sys"
	check clients-drm-info-edu drm_info_ok edu
	check clients-drmdevice-edu drmdevice_ok
	check clients-lsgpu-edu lsgpu_ok
	check clients-libdrm-version-edu version_ok
else
	echo "clients: dxgk_edu: no card with a render node"
	check clients-drm-info-edu false
	check clients-drmdevice-edu false
	check clients-lsgpu-edu false
	check clients-libdrm-version-edu false
fi
exit "$failed"
