#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# tdshim-measure rtmr against an independent computation with openssl (the Intel TDX Module ABI specification, TDG.MR.RTMR.EXTEND; TCG PFP log replay:
# RTMR = SHA-384(RTMR || digest), from 48 zero bytes) and against tdshim-eventlog's replay.
# usage: check-rtmr.sh CASE MEASURE HOBTOOL EVENTLOG [IMAGETOOL]
set -euo pipefail
case_="$1"; measure="$2"; hobtool="$3"; eventlog="$4"; imagetool="${5:-}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }
# hex SHA-384 of a file / of stdin
h() { openssl dgst -sha384 -binary "$1" | od -An -v -tx1 | tr -d ' \n'; }
# fold REG_HEX DIGEST_HEX -> SHA-384(REG || DIGEST)
fold() { printf "$(printf '%s%s' "$1" "$2" | sed 's/../\\x&/g')" | openssl dgst -sha384 -binary |
         od -An -v -tx1 | tr -d ' \n'; }
zero=$(printf '0%.0s' $(seq 96))
# the RTMR lines of the tool's text output
rtmr() { grep "^RTMR$1 " out.txt | cut -d' ' -f2; }
expect() { [ "$(rtmr "$1")" = "$2" ] || fail "RTMR$1 = $(rtmr "$1"), expected $2"; }
verify_log() {   # the written log replays (tdshim-eventlog) to the printed values
    "$eventlog" verify --rtmr0 "$(rtmr 0)" --rtmr1 "$(rtmr 1)" --rtmr2 "$(rtmr 2)" \
        --rtmr3 "$(rtmr 3)" log.bin > verify.txt || { cat verify.txt; fail "eventlog verify"; }
}
# must fail with exit status $1 and stderr matching $2
refuse() {
    local want="$1" pat="$2"; shift 2
    set +e; "$measure" rtmr "$@" > out.txt 2> err.txt; local rc=$?; set -e
    [ "$rc" = "$want" ] || { cat err.txt; fail "exit $rc, expected $want for: $*"; }
    grep -q -- "$pat" err.txt || { cat err.txt; fail "stderr lacks '$pat'"; }
    [ ! -s out.txt ] || fail "printed RTMRs for a refused input"
    [ ! -e log.bin ] || fail "wrote a log for a refused input"
}

"$hobtool" gen --mem 256M -o hob.bin
dh=$(h hob.bin)
r0=$(fold "$zero" "$dh")
printf 'console=ttyS0 root=/dev/vda\n' > param.bin
head -c 12345 /dev/urandom > payload.bin
dp=$(h payload.bin); dq=$(h param.bin)
dsep=$(printf '\0\0\0\0' | openssl dgst -sha384 -binary | od -An -v -tx1 | tr -d ' \n')

unhex_esc() { printf '%s' "$1" | sed 's/../\\x&/g'; }
# Binary from hex (for expected event-log bytes written here, not by the tools).
unhex() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; }
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
le64() { printf '%s%s' "$(le32 $(($1 & 0xffffffff)))" "$(le32 $(($1 >> 32)))"; }
# One TCG_PCR_EVENT2 with a single SHA-384 digest: MR index, type, digest hex, data hex.
event() { printf '%s%s%s%s%s%s%s' "$(le32 "$1")" "$(le32 "$2")" "$(le32 1)" 0c00 "$3" \
          "$(le32 $((${#4} / 2)))" "$4"; }
# An image with the payload: a fake 16 KiB firmware (page 0 and tail reserve zero, reset vector).
# 64 KiB CFV + 16 KiB (12345 padded) + 16 KiB = 0x18000 -> a 0x8000-byte gap before the firmware,
# image 0x20000: the payload section is at file 0x10000, GPA 0x1_0000_0000 - 0x20000 + 0x10000 =
# 0xFFFF0000; the firmware (descriptor at 0x1C010) ends the file.
make_image() {   # $1 = bfv|payload, $2 = output
    { head -c 4096 /dev/zero; head -c 8192 /dev/urandom; head -c $((4096 - 0x60)) /dev/zero
      head -c 80 /dev/zero; printf '\xeb\xfe%.0s' 1 2 3 4 5 6 7 8; } > fw.bin
    "$imagetool" -q --firmware fw.bin --payload payload.bin --payload-section "$1" -o "$2"
}
# The same firmware with a VMM-placed payload region instead (no bytes in the image).
make_vmm_image() {   # $1 = GPA,SIZE, $2 = output
    { head -c 4096 /dev/zero; head -c 8192 /dev/urandom; head -c $((4096 - 0x60)) /dev/zero
      head -c 80 /dev/zero; printf '\xeb\xfe%.0s' 1 2 3 4 5 6 7 8; } > fw.bin
    "$imagetool" -q --firmware fw.bin --payload-region "$1" -o "$2"
}
pgpa=$((0xFFFF0000)); psize=16384
{ cat payload.bin; head -c $((psize - 12345)) /dev/zero; } > padded.bin
dpad=$(h padded.bin)

case "$case_" in
hob)  # today's firmware: RTMR0 only
    "$measure" rtmr --hob hob.bin --log-out log.bin > out.txt
    expect 0 "$r0"; expect 1 "$zero"; expect 2 "$zero"; expect 3 "$zero"
    verify_log
    [ "$("$eventlog" dump --json log.bin | grep -o '"event":' | wc -l)" = 1 ] || fail "one event"
    "$eventlog" dump log.bin | grep -q "config 'td_hob' info $(stat -c %s hob.bin) bytes" ||
        fail "td_hob event data"
    ;;
hob-gpa)  # the GPA QEMU loads it at (tdshim-hob gen's default) gives the same; a wrong one fails
    "$measure" rtmr --hob hob.bin --hob-gpa 0x800000 > out.txt
    expect 0 "$r0"
    refuse 1 "EfiEndOfHobList" --hob hob.bin --hob-gpa 0x801000
    ;;
trailing)  # the TD_HOB section is larger than the list: bytes after END are not measured
    cp hob.bin sec.bin; head -c 4096 /dev/urandom >> sec.bin
    "$measure" rtmr --hob sec.bin > out.txt
    expect 0 "$r0"
    ;;
payload)  # planned: payload and its parameter into RTMR1, no separators
    "$measure" rtmr --hob hob.bin --payload payload.bin --payload-param param.bin \
        --log-out log.bin > out.txt
    expect 0 "$r0"; expect 1 "$(fold "$(fold "$zero" "$dp")" "$dq")"
    expect 2 "$zero"; expect 3 "$zero"
    verify_log
    ;;
separators)  # planned td-shim Linux order: HOB, sep MR1, sep MR2, payload, cmdline
    "$measure" rtmr --hob hob.bin --separators --payload payload.bin \
        --cmdline 'console=ttyS0 root=/dev/vda' --log-out log.bin > out.txt
    dc=$(printf 'console=ttyS0 root=/dev/vda' | openssl dgst -sha384 -binary | od -An -v -tx1 | tr -d ' \n')
    expect 0 "$(fold "$r0" "$dsep")"
    expect 1 "$(fold "$(fold "$(fold "$zero" "$dsep")" "$dp")" "$dc")"
    verify_log
    ;;
json)
    "$measure" rtmr --hob hob.bin --payload payload.bin --json > j.txt
    grep -q "^{\"rtmr0\":\"$r0\",\"rtmr1\":\"$(fold "$zero" "$dp")\",\"rtmr2\":\"$zero\",\"rtmr3\":\"$zero\",\"log_bytes\":[0-9]*}\$" j.txt ||
        { cat j.txt; fail "json"; }
    ;;
image|image-type5)  # docs/handoff.md 3: td_hob, payload section (BLOB2), separator MR1, MR2
    kind=bfv; [ "$case_" = image ] || kind=payload
    make_image "$kind" img.bin
    "$measure" rtmr --hob hob.bin --image img.bin --log-out log.bin > out.txt
    expect 0 "$(fold "$r0" "$dsep")"
    expect 1 "$(fold "$(fold "$zero" "$dpad")" "$dsep")"
    expect 2 "$zero"; expect 3 "$zero"
    verify_log
    # The exact bytes: the HOB-only log (Spec ID + td_hob) followed by three events built here.
    "$measure" rtmr --hob hob.bin --log-out head.bin > /dev/null
    blob="0b$(printf 'td_payload' | od -An -v -tx1 | tr -d ' \n')00$(le64 $pgpa)$(le64 $psize)"
    sep=$(event 1 4 "$dsep" 00000000)
    { cat head.bin; unhex "$(event 2 $((0x8000000A)) "$dpad" "$blob")"; unhex "$sep"
      unhex "$(event 2 4 "$dsep" 00000000)"; } > want.bin
    cmp log.bin want.bin || fail "event log bytes differ from the handoff order"
    # --separators is implied, and an explicit one changes nothing; the HOB GPA comes from the
    # image's TD_HOB section (0x800000), so a HOB built for another GPA is refused.
    "$measure" rtmr --hob hob.bin --image img.bin --separators --log-out log2.bin > out2.txt
    cmp out.txt out2.txt && cmp log.bin log2.bin || fail "--separators with --image"
    rm -f log.bin
    "$hobtool" gen --mem 256M --base 0x900000 -o hob9.bin
    refuse 1 "EfiEndOfHobList" --hob hob9.bin --image img.bin --log-out log.bin
    ;;
cbor)  # --cbor: the same values as the text output, the image's MRTD, the log's SHA-384
    dump="${REFVALUES_DUMP:?REFVALUES_DUMP must name the refvalues_dump helper}"
    make_image bfv img.bin
    "$measure" rtmr --hob hob.bin --image img.bin --log-out log.bin --cbor ref.cbor > out.txt
    "$dump" ref.cbor > ref.txt || fail "refvalues_dump refused the document"
    for i in 0 1 2 3; do
      [ "$(grep "^RTMR$i " ref.txt)" = "$(grep "^RTMR$i " out.txt)" ] || fail "CBOR RTMR$i differs"
    done
    [ "$(sed -n 's/^MRTD //p' ref.txt)" = "$("$measure" mrtd --any img.bin)" ] ||
      fail "CBOR MRTD differs from tdshim-measure mrtd"
    [ "$(sed -n 's/^CCEL-SHA384 //p' ref.txt)" = "$(h log.bin)" ] || fail "CBOR log digest"
    grep -qx 'CCEL-EVENTS 4' ref.txt || fail "CBOR event count"
    # Without an image: no MRTD key; the HOB-only log has one event.
    "$measure" rtmr --hob hob.bin --cbor ref2.cbor > /dev/null
    "$dump" ref2.cbor > ref2.txt
    ! grep -q '^MRTD' ref2.txt || fail "an MRTD without an image"
    grep -qx 'CCEL-EVENTS 1' ref2.txt || fail "HOB-only event count"
    # A refused input writes no document.
    "$hobtool" gen --mem 256M --base 0x900000 -o hob9.bin
    set +e; "$measure" rtmr --hob hob9.bin --image img.bin --cbor ref3.cbor > /dev/null 2>&1; set -e
    [ ! -e ref3.cbor ] || fail "wrote reference values for a refused input"
    ;;
image-hostile)
    make_image bfv good.bin
    "$imagetool" -q --firmware fw.bin -o nopayload.bin
    refuse 1 "has no payload section" --hob hob.bin --image nopayload.bin --log-out log.bin
    head -c 65536 good.bin > trunc.bin                                   # the tail cut off
    refuse 1 "TDVF metadata not found" --hob hob.bin --image trunc.bin --log-out log.bin
    tail -c 65536 good.bin > tailonly.bin                 # the tail kept, the payload cut off
    refuse 1 "image 'tailonly.bin'" --hob hob.bin --image tailonly.bin --log-out log.bin
    # The first 64 KiB cut off (the CFV and the payload gone, the tail intact): both locators
    # still agree, on an image larger than the file; the shim refuses such an image (its CFV is
    # not there), so does the tool, and mrtd (the sections leave the file).
    tail -c +65537 good.bin > front.bin
    refuse 1 "footer table and td-shim pointer give an image size other than its length" \
        --hob hob.bin --image front.bin --log-out log.bin
    set +e; "$measure" mrtd front.bin > out.txt 2> err.txt; rc=$?; set -e
    [ "$rc" = 1 ] && [ ! -s out.txt ] && grep -q "BFV/CFV data outside the image (section 0)" err.txt ||
        { cat err.txt; fail "mrtd of an image cut at the front: exit $rc"; }
    # A CFV that is not a firmware volume: refused as the shim refuses it, naming the CFV.
    cp good.bin nocfv.bin
    dd if=/dev/zero of=nocfv.bin bs=4096 count=1 conv=notrunc status=none
    refuse 1 "CFV is not a valid firmware volume: Signature is not '_FVH' (section 1)" \
        --hob hob.bin --image nocfv.bin --log-out log.bin
    # Two payloads: the 5-section descriptor at 0x1C010 gets a 6th section, a copy of the
    # payload's with type 5 (Length and count patched; the metadata page has room).
    desc=$((0x1C010))
    cp good.bin two.bin
    printf "$(unhex_esc "$(le32 $((16 + 32 * 6)))$(le32 1)$(le32 6)")" |
        dd of=two.bin bs=1 seek=$((desc + 4)) conv=notrunc 2>/dev/null
    dd if=good.bin bs=1 skip=$((desc + 16 + 4 * 32)) count=24 2>/dev/null |
        dd of=two.bin bs=1 seek=$((desc + 16 + 5 * 32)) conv=notrunc 2>/dev/null
    printf "$(unhex_esc "$(le32 5)$(le32 0)")" |
        dd of=two.bin bs=1 seek=$((desc + 16 + 5 * 32 + 24)) conv=notrunc 2>/dev/null
    refuse 1 "two payload sections: a second BFV and a Payload" --hob hob.bin --image two.bin
    refuse 1 "cannot read image" --hob hob.bin --image missing.bin
    refuse 2 "takes the payload from the image" --hob hob.bin --image good.bin --payload payload.bin
    refuse 2 "takes the payload from the image" --hob hob.bin --image good.bin --cmdline x
    refuse 2 "takes the payload from the image" --hob hob.bin --image good.bin --payload-base 0
    ;;
image-vmm)  # docs/handoff.md 1: the region holds the file, then the zeros the VMM added it with
    vgpa=$((0x4000000)); vsize=$((0x8000))
    make_vmm_image "$vgpa,$vsize" img.bin
    { cat payload.bin; head -c $((vsize - 12345)) /dev/zero; } > region.bin
    dreg=$(h region.bin)
    "$measure" rtmr --hob hob.bin --image img.bin --payload-file payload.bin --log-out log.bin \
        > out.txt
    expect 0 "$(fold "$r0" "$dsep")"
    expect 1 "$(fold "$(fold "$zero" "$dreg")" "$dsep")"
    expect 2 "$zero"; expect 3 "$zero"
    verify_log
    # Exact bytes: HOB-only log, BLOB2 {base = region GPA, length = region size}, separators.
    "$measure" rtmr --hob hob.bin --log-out head.bin > /dev/null
    blob="0b$(printf 'td_payload' | od -An -v -tx1 | tr -d ' \n')00$(le64 $vgpa)$(le64 $vsize)"
    { cat head.bin; unhex "$(event 2 $((0x8000000A)) "$dreg" "$blob")"
      unhex "$(event 1 4 "$dsep" 00000000)"; unhex "$(event 2 4 "$dsep" 00000000)"; } > want.bin
    cmp log.bin want.bin || fail "VMM-placed: event log bytes differ from the handoff order"
    # Not the file's own hash: the zeros count. A file of exactly the region's size fits.
    [ "$(rtmr 1)" != "$(fold "$(fold "$zero" "$dp")" "$dsep")" ] || fail "hashed the file only"
    "$measure" rtmr --hob hob.bin --image img.bin --payload-file region.bin > out2.txt
    cmp out.txt out2.txt || fail "the whole region as the file gives other RTMRs"
    # The region's place is event data only: another GPA, same RTMRs, other log bytes.
    make_vmm_image "0x8000000,$vsize" img2.bin
    "$measure" rtmr --hob hob.bin --image img2.bin --payload-file payload.bin \
        --log-out log2.bin > out2.txt
    cmp out.txt out2.txt || fail "region GPA changed the RTMRs"
    ! cmp -s log.bin log2.bin || fail "region GPA not in the event"
    ;;
image-vmm-hostile)
    make_vmm_image 0x4000000,0x8000 vmm.bin
    make_image bfv inimage.bin
    "$imagetool" -q --firmware fw.bin -o nopayload.bin
    refuse 1 "is placed by the VMM (no bytes in the image): give the file the VMM loads at GPA 0x4000000 with --payload-file" \
        --hob hob.bin --image vmm.bin --log-out log.bin
    refuse 1 "payload-file is for a payload the VMM places, but this image carries its payload (section 4, BFV)" \
        --hob hob.bin --image inimage.bin --payload-file payload.bin --log-out log.bin
    refuse 1 "has no payload section" --hob hob.bin --image nopayload.bin \
        --payload-file payload.bin --log-out log.bin
    head -c $((0x8000 + 1)) /dev/urandom > big.bin
    refuse 1 "payload file 'big.bin' (32769 bytes) is larger than the VMM-placed payload region (section 4, 0x8000 bytes at GPA 0x4000000)" \
        --hob hob.bin --image vmm.bin --payload-file big.bin --log-out log.bin
    : > empty.bin
    refuse 1 "payload file 'empty.bin' is empty" --hob hob.bin --image vmm.bin \
        --payload-file empty.bin --log-out log.bin
    refuse 1 "cannot read payload file 'missing.bin'" --hob hob.bin --image vmm.bin \
        --payload-file missing.bin --log-out log.bin
    refuse 2 "payload-file goes with --image" --hob hob.bin --payload-file payload.bin
    refuse 2 "takes the payload from the image" --hob hob.bin --image vmm.bin \
        --payload-file payload.bin --payload payload.bin
    # A region the shim would refuse (MemoryDataSize patched to 0x8800), and one larger than the
    # tool's 1 GiB limit (the shim hashes in place; this tool materialises the region).
    desc=$((0x1C010))   # 64 KiB CFV + gap + 16 KiB firmware = 0x20000
    cp vmm.bin odd.bin
    printf '%b' "$(unhex_esc "$(le64 $((0x8800)))")" |
        dd of=odd.bin bs=1 seek=$((desc + 16 + 4 * 32 + 16)) conv=notrunc 2>/dev/null
    refuse 1 "VMM-placed payload region address or size not 4 KiB aligned (section 4)" \
        --hob hob.bin --image odd.bin --payload-file payload.bin --log-out log.bin
    make_vmm_image 0x10000000,0x40001000 huge.bin
    refuse 1 "larger than this tool's limit" --hob hob.bin --image huge.bin \
        --payload-file payload.bin --log-out log.bin
    ;;
linux)  # ccel_boot_plan_linux: td_hob, ACPI data (script, then ALLOCATEd files), kernel, initrd,
        # cmdline, separators
    # A bzImage as fw_cfg splits it: setup_sects (0x1F1) = 1, so 1024 setup bytes, then the rest.
    # The shim measures it with the loader-owned setup-header fields zeroed (boot.rst: vid_mode
    # 0x1FA/2, type_of_loader+loadflags 0x210/2, code32_start 0x214/4, ramdisk 0x218/8,
    # heap_end_ptr+ext_loader_* 0x224/4, cmd_line_ptr 0x228/4, setup_data 0x250/8).
    head -c 20000 /dev/urandom > kernel.bin; head -c 3000 /dev/urandom > initrd.bin
    printf '\001' | dd of=kernel.bin bs=1 seek=$((0x1F1)) conv=notrunc 2>/dev/null
    cp kernel.bin kmeasured.bin
    for f in 0x1FA:2 0x210:2 0x214:4 0x218:8 0x224:4 0x228:4 0x250:8; do
        dd if=/dev/zero of=kmeasured.bin bs=1 seek=$((${f%:*})) count="${f#*:}" conv=notrunc \
            2>/dev/null
    done
    cmp -s kernel.bin kmeasured.bin && fail "the masked fields were already zero"
    head -c 384 /dev/urandom > loader.bin    # three 128-byte table-loader entries
    head -c 36 /dev/urandom > rsdp.bin; head -c 5000 /dev/urandom > tables.bin
    printf 'console=ttyS0\0' > cmdline.bin    # QEMU's CMDLINE_DATA: the string and its NUL
    acpi=(--acpi-file loader.bin --acpi-file rsdp.bin --acpi-file tables.bin)
    "$measure" rtmr --hob hob.bin --linux-kernel kernel.bin --linux-initrd initrd.bin \
        --linux-cmdline console=ttyS0 "${acpi[@]}" --log-out log.bin > out.txt
    dl=$(h loader.bin); dr=$(h rsdp.bin); dt=$(h tables.bin)
    dk=$(h kmeasured.bin); di=$(h initrd.bin); dc=$(h cmdline.bin)
    expect 0 "$(fold "$(fold "$(fold "$(fold "$r0" "$dl")" "$dr")" "$dt")" "$dsep")"
    expect 1 "$(fold "$(fold "$(fold "$(fold "$zero" "$dk")" "$di")" "$dc")" "$dsep")"
    expect 2 "$zero"; expect 3 "$zero"
    verify_log
    # The exact bytes: the HOB-only log, then every event built here (EV_PLATFORM_CONFIG_FLAGS
    # 0xA; ACPI: MR 1, data "ACPI DATA" without NUL; blobs: MR 2, data the UTF-16LE name + NUL).
    "$measure" rtmr --hob hob.bin --log-out head.bin > /dev/null
    ad=$(printf 'ACPI DATA' | od -An -v -tx1 | tr -d ' \n')
    [ "$ad" = 414350492044415441 ] || fail "ACPI DATA hex"
    u16() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n' | sed 's/../&00/g; s/$/0000/'; }
    { cat head.bin
      unhex "$(event 1 10 "$dl" "$ad")"; unhex "$(event 1 10 "$dr" "$ad")"
      unhex "$(event 1 10 "$dt" "$ad")"
      unhex "$(event 2 10 "$dk" "$(u16 kernel)")"; unhex "$(event 2 10 "$di" "$(u16 initrd)")"
      unhex "$(event 2 10 "$dc" "$(u16 cmdline)")"
      unhex "$(event 1 4 "$dsep" 00000000)"; unhex "$(event 2 4 "$dsep" 00000000)"; } > want.bin
    cmp log.bin want.bin || fail "event log bytes differ from the Linux plan"
    [ "$("$eventlog" dump --json log.bin | grep -o '"event":' | wc -l)" = 9 ] || fail "9 events"
    # The order of --acpi-file is the order measured: swapped, RTMR0 differs (RTMR1 does not).
    "$measure" rtmr --hob hob.bin --linux-kernel kernel.bin --linux-initrd initrd.bin \
        --linux-cmdline console=ttyS0 --acpi-file loader.bin --acpi-file tables.bin \
        --acpi-file rsdp.bin > out2.txt
    [ "$(grep '^RTMR0 ' out2.txt)" != "$(grep '^RTMR0 ' out.txt)" ] || fail "ACPI order ignored"
    [ "$(grep '^RTMR1 ' out2.txt)" = "$(grep '^RTMR1 ' out.txt)" ] || fail "ACPI in RTMR1"
    # One ACPI file (the script alone), no initrd (an empty one), no command line ("" + NUL).
    "$measure" rtmr --hob hob.bin --linux-kernel kernel.bin --acpi-file loader.bin \
        --log-out log.bin > out.txt
    dnul=$(printf '\0' | openssl dgst -sha384 -binary | od -An -v -tx1 | tr -d ' \n')
    dempty=$(: | openssl dgst -sha384 -binary | od -An -v -tx1 | tr -d ' \n')
    expect 0 "$(fold "$(fold "$r0" "$dl")" "$dsep")"
    expect 1 "$(fold "$(fold "$(fold "$(fold "$zero" "$dk")" "$dempty")" "$dnul")" "$dsep")"
    verify_log
    ;;
linux-hostile)
    head -c 2000 /dev/urandom > kernel.bin; head -c 128 /dev/urandom > loader.bin
    printf '\001' | dd of=kernel.bin bs=1 seek=$((0x1F1)) conv=notrunc 2>/dev/null
    head -c 1000 kernel.bin > short.bin    # ends inside its 1024 setup bytes
    refuse 1 "short.bin is not a bzImage: the setup bytes end before" --hob hob.bin \
        --linux-kernel short.bin --acpi-file loader.bin --log-out log.bin
    refuse 2 "the Linux plan measures QEMU's ACPI tables before the kernel" \
        --hob hob.bin --linux-kernel kernel.bin --log-out log.bin
    refuse 2 "acpi-file goes with --linux-kernel" --hob hob.bin --acpi-file loader.bin
    refuse 2 "acpi-file goes with --linux-kernel" --hob hob.bin --payload payload.bin \
        --acpi-file loader.bin
    refuse 2 "missing value" --hob hob.bin --linux-kernel kernel.bin --acpi-file
    refuse 2 "is the shim's Linux plan" --hob hob.bin --linux-kernel kernel.bin \
        --acpi-file loader.bin --separators
    refuse 1 "cannot read ACPI file 'missing.bin'" --hob hob.bin --linux-kernel kernel.bin \
        --acpi-file loader.bin --acpi-file missing.bin --log-out log.bin
    refuse 1 "cannot read kernel 'missing.bin'" --hob hob.bin --linux-kernel missing.bin \
        --acpi-file loader.bin --log-out log.bin
    refuse 1 "invalid TD HOB" --hob payload.bin --linux-kernel kernel.bin \
        --acpi-file loader.bin --log-out log.bin
    ;;
hostile)
    head -c 208 /dev/urandom > rnd.bin
    refuse 1 "invalid TD HOB" --hob rnd.bin --log-out log.bin
    head -c $(( $(stat -c %s hob.bin) - 8 )) hob.bin > noend.bin     # END HOB cut off
    refuse 1 "invalid TD HOB" --hob noend.bin --log-out log.bin
    cp hob.bin phit.bin; printf '\x08' | dd of=phit.bin bs=1 seek=8 conv=notrunc 2>/dev/null
    refuse 1 "PHIT version" --hob phit.bin --log-out log.bin        # PHIT Version 9 -> 8
    : > empty.bin
    refuse 1 "invalid TD HOB" --hob empty.bin --log-out log.bin
    refuse 1 "cannot read HOB" --hob missing.bin --log-out log.bin
    refuse 1 "cannot read payload" --hob hob.bin --payload missing.bin --log-out log.bin
    refuse 1 "cannot read payload parameter" --hob hob.bin --payload-param missing.bin
    refuse 2 "required" --payload payload.bin
    refuse 2 "exclusive" --hob hob.bin --payload-param param.bin --cmdline x
    refuse 2 "48 or 52" --hob hob.bin --gpaw 40
    refuse 2 "unknown option" --hob hob.bin --bogus 1
    refuse 2 "missing value" --hob
    ;;
*) fail "unknown case $case_" ;;
esac
echo "ok: $case_"
