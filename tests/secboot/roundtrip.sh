#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# secureboot_tools: the key workflow end to end on the host (docs/secure-boot.md): keys from
# openssl -> tdshim-sign (both formats, both algorithms, attached and detached) -> tdshim-enroll
# (an image's CFV, and a CFV file for tdshim-image) -> --check with the firmware's verifier.
# Cross-checks the td-shim signatures with openssl, and every refusal the tools promise.
# Usage: roundtrip.sh SIGN ENROLL IMAGE
set -euo pipefail
sign="$1"; enroll="$2"; imagetool="$3"
work="$(mktemp -d /tmp/secboot-roundtrip-XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
ok()   { echo "ok   $*"; }
bad()  { echo "FAIL $*"; fails=$((fails + 1)); }
# expect_fail "what" "message regex" cmd...: the command fails and says so.
expect_fail() {
    local what="$1" re="$2"; shift 2
    if "$@" > out.txt 2>&1; then bad "$what: succeeded"; cat out.txt; return; fi
    if grep -Eq "$re" out.txt; then ok "$what: $(head -1 out.txt)"; else
        bad "$what: wrong message"; cat out.txt; fi
}
expect_ok() {
    local what="$1"; shift
    if "$@" > out.txt 2>&1; then ok "$what"; else bad "$what"; cat out.txt; fi
}

# ---- keys, generated now (never committed) ----
gen() { openssl genpkey "${@:2}" -out "$1" 2>/dev/null; }
gen ec.pem -algorithm EC -pkeyopt ec_paramgen_curve:P-384
gen ec2.pem -algorithm EC -pkeyopt ec_paramgen_curve:P-384
gen rsa.pem -algorithm RSA -pkeyopt rsa_keygen_bits:3072
gen p256.pem -algorithm EC -pkeyopt ec_paramgen_curve:P-256
gen rsa2048.pem -algorithm RSA -pkeyopt rsa_keygen_bits:2048
gen ed.pem -algorithm ED25519
openssl pkey -in ec.pem -pubout -out ec.pub
openssl pkey -in rsa.pem -pubout -out rsa.pub
openssl pkey -in ec.pem -outform DER -out ec.der
openssl pkey -in ec.pem -aes-128-cbc -passout pass:secret -out ec-enc.pem
head -c 20000 /dev/urandom > payload.bin

# ---- signing ----
expect_ok "sign td-shim ECDSA" "$sign" --key ec.pem --svn 5 --payload-version 2 -o s.ec payload.bin
expect_ok "sign td-shim RSA-PSS" "$sign" --key rsa.pem --svn 5 -o s.rsa payload.bin
expect_ok "sign COSE attached" "$sign" --key ec.pem --svn 5 --format cose -o s.cose payload.bin
expect_ok "sign COSE detached" "$sign" --key ec.pem --svn 5 --format cose --detached -o s.dcose \
    payload.bin
expect_ok "sign with a DER PKCS#8 key and a matching --pubkey" \
    "$sign" --key ec.der --pubkey ec.pub --svn 5 -o s.ec-der payload.bin
# RFC 6979: the same key, data and header give the same ECDSA signature.
cmp -s s.ec s.ec-der && ok "deterministic ECDSA (PEM and DER keys agree)" ||
    { "$sign" --key ec.pem --svn 5 --payload-version 0 -o s.ec0 payload.bin >/dev/null
      cmp -s s.ec0 s.ec-der && ok "deterministic ECDSA (PEM and DER keys agree)" ||
          bad "ECDSA signatures differ between the PEM and DER forms of one key"; }

# ---- the td-shim format checked with openssl, independently of libsecboot ----
len=$((48 + 20000))
head -c "$len" s.rsa > signed.rsa
tail -c 384 s.rsa > sig.rsa
if openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 \
       -verify rsa.pub -signature sig.rsa signed.rsa >/dev/null 2>&1; then
    ok "openssl verifies the RSA-PSS-3072 signature (salt 48, MGF1-SHA-384)"
else bad "openssl rejects the RSA-PSS signature"; fi
# N || E in the block is the key: compare N with openssl's modulus, E with 65537.
n_hex="$(openssl rsa -pubin -in rsa.pub -noout -modulus 2>/dev/null | cut -d= -f2 | tr A-F a-f)"
blk_n="$(tail -c 776 s.rsa | head -c 384 | od -An -v -tx1 | tr -d ' \n')"
blk_e="$(tail -c 392 s.rsa | head -c 8 | od -An -v -tx1 | tr -d ' \n')"
[ "$n_hex" = "$blk_n" ] && [ "$blk_e" = 0000000000010001 ] && ok "RSA block holds N || E (8 bytes BE)" ||
    bad "RSA block key bytes"
head -c "$len" s.ec > signed.ec
python3 - s.ec sig.der <<'PY'
import sys
blob = open(sys.argv[1], 'rb').read()
r, s = blob[-96:-48], blob[-48:]
def der_int(b):
    b = b.lstrip(b'\0') or b'\0'
    if b[0] & 0x80: b = b'\0' + b
    return b'\x02' + bytes([len(b)]) + b
body = der_int(r) + der_int(s)
open(sys.argv[2], 'wb').write(b'\x30' + bytes([len(body)]) + body)
PY
if openssl dgst -sha384 -verify ec.pub -signature sig.der signed.ec >/dev/null 2>&1; then
    ok "openssl verifies the ECDSA P-384 signature (r || s)"
else bad "openssl rejects the ECDSA signature"; fi
pub_xy="$(openssl pkey -pubin -in ec.pub -outform DER | tail -c 96 | od -An -v -tx1 | tr -d ' \n')"
blk_xy="$(tail -c 192 s.ec | head -c 96 | od -An -v -tx1 | tr -d ' \n')"
[ "$pub_xy" = "$blk_xy" ] && ok "ECDSA block holds X || Y" || bad "ECDSA block key bytes"
# The header: GUID, version 1, Length, version 2, SVN 5, algorithm 1 (ECDSA) / 2 (RSA).
hdr="$(head -c 48 s.ec | od -An -v -tx1 | tr -d ' \n')"
want="58d5f2fcf59d4d4fb0d73e4b798ab06601000000$(printf '%02x%02x0000' $((len & 255)) $((len >> 8)))"
want+="0200000000000000050000000000000001000000""00000000"
[ "$hdr" = "$want" ] && ok "td-shim header bytes" || { bad "td-shim header bytes"; echo "$hdr"; }
[ "$(head -c 44 s.rsa | tail -c 4 | od -An -tx1 | tr -d ' \n')" = 02000000 ] &&
    ok "RSA-PSS is algorithm 2 (td-shim's code value)" || bad "RSA algorithm id"

# ---- enrolling: an image's CFV, a CFV file ----
{ head -c 4096 /dev/zero; head -c 8192 /dev/urandom; head -c $((4096 - 0x60)) /dev/zero
  head -c 80 /dev/zero; printf '\xeb\xfe%.0s' 1 2 3 4 5 6 7 8; } > fw.bin
"$imagetool" -q --firmware fw.bin -o img
expect_ok "enroll P-384 key, min SVN 5, into an image; --check td-shim" \
    "$enroll" --pubkey ec.pub --min-svn 5 --image img -o img.ec --check s.ec
expect_ok "the enrolled image is still a valid image (tdshim-image --cfv of its CFV)" \
    bash -c "head -c 65536 img.ec > cfv.bin && '$imagetool' -q --firmware fw.bin --cfv cfv.bin -o img.again"
cmp -s img.ec img.again && ok "image rebuilt from the enrolled CFV is identical" ||
    bad "image rebuilt from the enrolled CFV differs"
expect_ok "--check COSE attached" "$enroll" --pubkey ec.pem --min-svn 5 --cfv-out c1 --check s.cose
expect_ok "--check COSE detached" "$enroll" --pubkey ec.pub --cfv-out c2 --check s.dcose \
    --detached payload.bin
expect_ok "--check RSA" "$enroll" --pubkey rsa.pub --min-svn 5 --cfv-out c3 --check s.rsa
expect_ok "extra files by GUID" "$enroll" --pubkey ec.pub --cfv-out c4 \
    --file 01234567-89ab-cdef-0123-456789abcdef=payload.bin --check s.ec
expect_ok "tdshim-image takes the CFV file" "$imagetool" -q --firmware fw.bin --cfv c4 -o img4

# ---- refusals, each with its own reason ----
expect_fail "wrong key" "key-untrusted" "$enroll" --pubkey ec2.pem --cfv-out x --check s.ec
expect_fail "RSA payload, ECDSA anchor" "key-untrusted" "$enroll" --pubkey ec.pub --cfv-out x \
    --check s.rsa
expect_fail "rolled-back SVN" "svn-rollback" "$enroll" --pubkey ec.pub --min-svn 6 --cfv-out x \
    --check s.ec
expect_fail "rolled-back SVN (COSE)" "svn-rollback" "$enroll" --pubkey ec.pub --min-svn 6 \
    --cfv-out x --check s.cose
flip() { cp "$1" "$2"; printf "\\x$(printf %02x $(( $(od -An -tu1 -j "$3" -N1 "$1") ^ 1 )))" |
         dd of="$2" bs=1 seek="$3" conv=notrunc status=none; }
flip s.ec f.pay 10000
expect_fail "flipped payload byte" "signature" "$enroll" --pubkey ec.pub --cfv-out x --check f.pay
flip s.ec f.sig $(( $(stat -c %s s.ec) - 1 ))
expect_fail "flipped signature byte" "signature|sig-range" "$enroll" --pubkey ec.pub --cfv-out x \
    --check f.sig
flip s.rsa f.rsa 30
expect_fail "flipped header byte (RSA)" "signature" "$enroll" --pubkey rsa.pub --cfv-out x \
    --check f.rsa
flip s.cose f.cose $(( $(stat -c %s s.cose) - 200 ))
expect_fail "flipped COSE payload byte" "signature" "$enroll" --pubkey ec.pub --cfv-out x \
    --check f.cose
expect_fail "unsigned payload" "does not verify" "$enroll" --pubkey ec.pub --cfv-out x \
    --check payload.bin
expect_fail "detached COSE without its payload" "cose-payload-mode" "$enroll" --pubkey ec.pub \
    --cfv-out x --check s.dcose
head -c 19999 payload.bin > short.bin
expect_fail "detached COSE, payload cut" "signature" "$enroll" --pubkey ec.pub --cfv-out x \
    --check s.dcose --detached short.bin

# ---- tool errors ----
expect_fail "P-256 key" "wrong key type.*P-384" "$sign" --key p256.pem --svn 1 -o x payload.bin
expect_fail "RSA-2048 key" "wrong key size.*RSA-2048" "$sign" --key rsa2048.pem --svn 1 -o x \
    payload.bin
expect_fail "Ed25519 key" "wrong key type" "$sign" --key ed.pem --svn 1 -o x payload.bin
expect_fail "RSA key for COSE" "wrong key type.*ES384" "$sign" --key rsa.pem --svn 1 \
    --format cose -o x payload.bin
expect_fail "key does not match --pubkey" "key does not match" "$sign" --key ec2.pem \
    --pubkey ec.pub --svn 1 -o x payload.bin
expect_fail "public key given to sign" "not a PKCS#8 private key" "$sign" --key ec.pub --svn 1 \
    -o x payload.bin
expect_fail "encrypted key" "encrypted" "$sign" --key ec-enc.pem --svn 1 -o x payload.bin
expect_fail "missing key file" "No such file or directory" "$sign" --key nothere.pem --svn 1 -o x payload.bin
expect_fail "missing payload" "No such file or directory" "$sign" --key ec.pem --svn 1 -o x nothere.bin
truncate -s 65M big.bin
expect_fail "payload too large" "larger than the 64 MiB this tool reads" "$sign" --key ec.pem --svn 1 -o x big.bin
head -c 70000 /dev/zero > bigkey.pem
expect_fail "key file too large" "larger than any key" "$sign" --key bigkey.pem --svn 1 -o x \
    payload.bin
expect_fail "no --svn" "need --key, --svn" "$sign" --key ec.pem -o x payload.bin
expect_fail "--detached without cose" "needs --format cose" "$sign" --key ec.pem --svn 1 \
    --detached -o x payload.bin
expect_fail "enroll a P-256 key" "wrong key type" "$enroll" --pubkey p256.pem --cfv-out x
expect_fail "enroll: missing image" "No such file or directory" "$enroll" --pubkey ec.pub --image nothere -o x
expect_fail "enroll: not an image" "not a TDVF image" "$enroll" --pubkey ec.pub --image payload.bin \
    -o x
expect_fail "enroll: file too large for the CFV" "file too large" "$enroll" --pubkey ec.pub \
    --cfv-out x --cfv-size 4K --file 01234567-89ab-cdef-0123-456789abcdef=payload.bin
expect_fail "enroll: the anchor's GUID as an extra file" "trust anchor" "$enroll" --pubkey ec.pub \
    --cfv-out x --file 77a2742e-9340-4ac9-8f85-b7b978580021=payload.bin

if [ "$fails" -ne 0 ]; then echo "secureboot_tools: $fails failure(s)"; exit 1; fi
echo "secureboot_tools: all passed"
