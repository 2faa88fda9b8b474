#!/usr/bin/env bash
# Debian's virtinst (virt-install, virt-clone, virt-xml) on test:///default and on a node file
# with pools, volumes and networks (tests/virtinst/node.xml), once with Debian's libvirt and
# once with oxvirt (LD_LIBRARY_PATH): each case must end with the same exit status and print the
# same output (stdout and stderr, uuids and MAC addresses masked) on both libraries.
# Prints per-library counts; fails when any case differs. Needs package virtinst.
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
ox="$root/target/release"
node="test://$root/tests/virtinst/node.xml"
def="test:///default"
work=$(mktemp -d /tmp/oxvirt-virtinst.XXXXXX)
trap 'rm -rf "$work"' EXIT
# virtinst keeps a log and settings under ~/.cache, ~/.config: each library's runs get their own
# home, as the two run at once and virtinst's "create the directory if missing" is not atomic.
mkdir -p "$work/home-real" "$work/home-oxvirt"
export HOME="$work/home-real"

# Which library a client process maps with this environment.
mapped() { /usr/bin/python3 -c 'import libvirt, os
print(next(os.path.realpath(l.split()[-1]) for l in open("/proc/self/maps") if "libvirt.so" in l))'; }
[ "$(LD_LIBRARY_PATH="$ox" mapped)" = "$(realpath "$ox/libvirt.so.0")" ] \
    || { echo "virtinst: oxvirt's libvirt.so.0 is not what LD_LIBRARY_PATH=$ox loads"; exit 1; }
[ "$(unset LD_LIBRARY_PATH; mapped)" != "$(realpath "$ox/libvirt.so.0")" ] \
    || { echo "virtinst: Debian's libvirt is not what loads without LD_LIBRARY_PATH"; exit 1; }

mask() {
    sed -E -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g' \
        -e 's/([0-9a-f]{2}:){5}[0-9a-f]{2}/MAC/g' \
        -e "s#$work/home-(real|oxvirt)#WORK/home#g" -e "s|$work|WORK|g"
}

# name<TAB>command (run with bash -c; $DEF and $NODE are the two URIs)
cases=$(cat <<'CASES'
install-print-xml	virt-install --connect "$DEF" --name x --memory 128 --disk none --import --noautoconsole --osinfo generic --print-xml
install-dry-run	virt-install --connect "$DEF" --name x --memory 128 --disk none --import --noautoconsole --osinfo generic --dry-run
install-create	virt-install --connect "$DEF" --name x --memory 128 --vcpus 2 --disk none --import --noautoconsole --osinfo generic
install-no-osinfo	virt-install --connect "$DEF" --name x --memory 128 --disk none --import --noautoconsole --print-xml
install-name-taken	virt-install --connect "$DEF" --name test --memory 128 --disk none --import --noautoconsole --osinfo generic
install-network-default	virt-install --connect "$DEF" --name x --memory 256 --disk none --network network=default --import --noautoconsole --osinfo generic --print-xml
install-network-missing	virt-install --connect "$DEF" --name x --memory 256 --disk none --network network=nosuch --import --noautoconsole --osinfo generic --print-xml
install-pool-disk	virt-install --connect "$NODE" --name db --memory 256 --disk pool=scratch,size=1 --network network=lan --import --noautoconsole --osinfo generic --print-xml
install-pool-disk-create	virt-install --connect "$NODE" --name db --memory 256 --disk pool=scratch,size=1,format=qcow2 --network network=isolated --import --noautoconsole --osinfo generic
install-vol-disk	virt-install --connect "$NODE" --name db --memory 256 --disk vol=images/base.qcow2 --network network=lan --import --noautoconsole --osinfo generic --print-xml
install-existing-path	virt-install --connect "$NODE" --name db --memory 256 --disk path=/srv/images/base.qcow2 --import --noautoconsole --osinfo generic --print-xml
install-pool-missing	virt-install --connect "$NODE" --name db --memory 256 --disk pool=nosuch,size=1 --import --noautoconsole --osinfo generic --print-xml
install-boot-uefi-off	virt-install --connect "$DEF" --name x --memory 128 --disk none --import --noautoconsole --osinfo generic --boot hd,menu=on --cpu host-passthrough --print-xml
install-transient	virt-install --connect "$DEF" --name x --memory 128 --disk none --import --noautoconsole --osinfo generic --transient
clone-default-print	virt-clone --connect "$DEF" --original test --auto-clone --print-xml
clone-default	virt-clone --connect "$DEF" --original test --auto-clone
clone-node-print	virt-clone --connect "$NODE" --original web --auto-clone --print-xml
clone-node	virt-clone --connect "$NODE" --original web --name web2 --file /srv/images/web2.img
clone-node-auto	virt-clone --connect "$NODE" --original web --auto-clone
clone-missing	virt-clone --connect "$DEF" --original nosuch --auto-clone --print-xml
clone-name-taken	virt-clone --connect "$NODE" --original web --name web --auto-clone --print-xml
xml-edit-memory	virt-xml --connect "$DEF" test --edit --memory 256 --print-diff
xml-edit-vcpus-define	virt-xml --connect "$DEF" test --edit --vcpus 4 --define
xml-add-disk	virt-xml --connect "$NODE" web --add-device --disk vol=images/base.qcow2,target=vdb --print-xml
xml-add-network	virt-xml --connect "$NODE" web --add-device --network network=isolated --print-diff
xml-remove-disk	virt-xml --connect "$NODE" web --remove-device --disk target=vda --print-diff
xml-edit-missing	virt-xml --connect "$DEF" nosuch --edit --memory 256 --print-diff
xml-build-xml	virt-xml --connect "$DEF" --build-xml --disk path=/tmp/a.img,size=1
CASES
)

total=0; same=0; real_ok=0; ox_ok=0; diffs=()
while IFS=$'\t' read -r name cmd; do
    [ -n "$name" ] || continue
    total=$((total + 1))
    for lib in real oxvirt; do   # both libraries at once: each command takes seconds
        (
            export HOME="$work/home-$lib"
            if [ $lib = oxvirt ]; then lp=(env LD_LIBRARY_PATH="$ox"); else lp=(env -u LD_LIBRARY_PATH); fi
            DEF="$def" NODE="$node" timeout 120 "${lp[@]}" bash -c "$cmd" >"$work/$name.$lib.out" 2>&1 </dev/null
            echo "rc=$?" >>"$work/$name.$lib.out"
            mask <"$work/$name.$lib.out" >"$work/$name.$lib.masked"
        ) &
    done
    wait
    grep -qx "rc=0" "$work/$name.real.masked" && real_ok=$((real_ok + 1))
    grep -qx "rc=0" "$work/$name.oxvirt.masked" && ox_ok=$((ox_ok + 1))
    if cmp -s "$work/$name.real.masked" "$work/$name.oxvirt.masked"; then
        same=$((same + 1))
        echo "same   $name ($(tail -1 "$work/$name.real.masked"))"
    else
        diffs+=("$name")
        echo "DIFFER $name"
        diff -u "$work/$name.real.masked" "$work/$name.oxvirt.masked" | sed 's/^/    /' | head -40
    fi
done <<<"$cases"
echo "virtinst: real libvirt: $real_ok of $total cases exit 0; oxvirt: $ox_ok of $total exit 0"
echo "virtinst: $same of $total cases identical (exit status and masked output)"
[ ${#diffs[@]} -eq 0 ] || { echo "virtinst: differ: ${diffs[*]}"; exit 1; }
