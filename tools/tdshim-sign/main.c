/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * tdshim-sign: sign a payload for secure boot, in td-shim's format or as a COSE_Sign1 message
 * (attached or detached), from a PKCS#8 key. Manual: docs/tools/tdshim-sign.md
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "sb_keys.h"
#include "tdshim/linux_boot.h"
#include "tdshim/rtmr.h"
#include "tdshim/secboot.h"
#include "tool_io.h"

#define TOOL "tdshim-sign"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tdshim-sign --key KEY --svn N -o OUT [options] PAYLOAD\n"
            "  --key FILE            PKCS#8 private key (PEM or DER): ECDSA P-384 or RSA-3072\n"
            "  --svn N               payload security version number (the CFV floor compares it)\n"
            "  --payload-version N   payload version (default 0)\n"
            "  --format F            tdshim (default): Header || Payload || SignatureBlock\n"
            "                        cose: COSE_Sign1, ES384 (P-384 keys only)\n"
            "  --detached            cose only: leave the payload out of the message (nil)\n"
            "                        linux: a fw_cfg Linux boot's detached COSE_Sign1 (for fw_cfg\n"
            "                        opt/tdshim/payload-sig): PAYLOAD is the kernel (bzImage);\n"
            "                        signed are the digests the shim measures of the kernel\n"
            "                        (setup header in its measured form), --initrd and --cmdline\n"
            "  --initrd FILE         linux: the initrd (default: none, an empty one)\n"
            "  --cmdline STR         linux: the command line as given to -append (default \"\")\n"
            "  --pubkey FILE         refuse to sign unless KEY is the private half of FILE\n"
            "  -o, --output FILE     where to write the signed payload or COSE message\n"
            "Numbers: decimal or 0x hex.\n");
}

/*
 * --format linux: the detached payload the shim verifies a fw_cfg Linux boot against
 * (secboot_linux_payload): the digests of the kernel in its measured form, the initrd (none:
 * empty) and the command line with its NUL. *out is malloc'd. false on an error (reported).
 */
static bool linux_payload(uint8_t *kernel, size_t kernel_len, const char *kernel_path,
                          const char *initrd_path, const char *cmdline, uint8_t **out)
{
    tds_bytes setup;
    tds_bytes rest;
    lnx_error lerr;
    if (lnx_split_bzimage(tds_bytes_make(kernel, kernel_len), &setup, &rest, &lerr) != TDS_OK ||
        lnx_measured_form(tds_mut_bytes_make(kernel, setup.len), &lerr) != TDS_OK) {
        fprintf(stderr, TOOL ": '%s' is not a bzImage: %s (%s at 0x%llx)\n", kernel_path,
                lnx_reason_text(lerr.reason), lnx_reason_str(lerr.reason),
                (unsigned long long)lerr.offset);
        return false;
    }
    uint8_t *initrd = NULL;
    size_t initrd_len = 0;
    if (initrd_path != NULL) {
        const tds_status st = tool_read_file(initrd_path, &initrd, &initrd_len);
        if (st != TDS_OK) {
            fprintf(stderr, TOOL ": cannot read initrd '%s': %s\n", initrd_path,
                    tds_status_str(st));
            return false;
        }
    }
    rtmr_digest dk;
    rtmr_digest di;
    rtmr_digest dc;
    const bool ok = rtmr_sha384(tds_bytes_make(kernel, kernel_len), &dk) == TDS_OK &&
                    rtmr_sha384(tds_bytes_make(initrd, initrd_len), &di) == TDS_OK &&
                    rtmr_sha384(tds_bytes_make(cmdline, strlen(cmdline) + 1u), &dc) == TDS_OK;
    free(initrd);
    *out = ok ? malloc(SECBOOT_LINUX_PAYLOAD) : NULL;
    if (*out == NULL) {
        fprintf(stderr, TOOL ": hashing the Linux blobs failed\n");
        return false;
    }
    secboot_linux_payload(dk.b, di.b, dc.b, *out);
    return true;
}

/* An unsigned integer item in its shortest encoding. */
static cbor_item_t *build_uint(uint64_t v)
{
    if (v <= UINT8_MAX) {
        return cbor_build_uint8((uint8_t)v);
    }
    if (v <= UINT16_MAX) {
        return cbor_build_uint16((uint16_t)v);
    }
    if (v <= UINT32_MAX) {
        return cbor_build_uint32((uint32_t)v);
    }
    return cbor_build_uint64(v);
}

/* A negative integer -1 - arg in its shortest encoding. */
static cbor_item_t *build_negint(uint64_t arg)
{
    cbor_item_t *it = build_uint(arg);
    if (it != NULL) {
        cbor_mark_negint(it);
    }
    return it;
}

static bool map_put(cbor_item_t *map, cbor_item_t *k, cbor_item_t *v)
{
    bool ok = k != NULL && v != NULL && cbor_map_add(map, (struct cbor_pair){.key = k, .value = v});
    if (k != NULL) {
        cbor_decref(&k);
    }
    if (v != NULL) {
        cbor_decref(&v);
    }
    return ok;
}

static bool array_put(cbor_item_t *arr, cbor_item_t *v)
{
    bool ok = v != NULL && cbor_array_push(arr, v);
    if (v != NULL) {
        cbor_decref(&v);
    }
    return ok;
}

static bool serialize(cbor_item_t *it, uint8_t **out, size_t *len)
{
    size_t cap = 0;
    *out = NULL;
    *len = cbor_serialize_alloc(it, out, &cap);
    return *len != 0 && *out != NULL;
}

/* The COSE protected header: {1: -35, 4: kid, -65537: svn, -65538: version}. */
static bool cose_protected(const sb_key *k, uint64_t svn, uint64_t version, uint8_t **out,
                           size_t *len)
{
    cbor_item_t *m = cbor_new_definite_map(4);
    if (m == NULL) {
        return false;
    }
    bool ok =
        map_put(m, build_uint(SECBOOT_COSE_LABEL_ALG),
                build_negint((uint64_t)(-1 - SECBOOT_COSE_ALG_ES384))) &&
        map_put(m, build_uint(SECBOOT_COSE_LABEL_KID), cbor_build_bytestring(k->pub, k->pub_len)) &&
        map_put(m, build_negint((uint64_t)(-1 - (int64_t)SECBOOT_COSE_LABEL_SVN)),
                build_uint(svn)) &&
        map_put(m, build_negint((uint64_t)(-1 - (int64_t)SECBOOT_COSE_LABEL_VERSION)),
                build_uint(version)) &&
        serialize(m, out, len);
    cbor_decref(&m);
    return ok;
}

static bool sign_cose(sb_key *k, sb_rng *rng, const uint8_t *payload, size_t payload_len,
                      bool detached, uint64_t svn, uint64_t version, uint8_t **out, size_t *out_len)
{
    uint8_t *prot = NULL;
    size_t prot_len = 0;
    uint8_t *tbs = NULL;
    size_t tbs_len = 0;
    bool ok = false;
    cbor_item_t *sig_structure = NULL;
    cbor_item_t *msg = NULL;
    cbor_item_t *tagged = NULL;
    if (!cose_protected(k, svn, version, &prot, &prot_len)) {
        goto out;
    }
    /* Sig_structure = ["Signature1", protected, external_aad h'', payload] (RFC 9052 4.4). */
    sig_structure = cbor_new_definite_array(4);
    if (sig_structure == NULL || !array_put(sig_structure, cbor_build_string("Signature1")) ||
        !array_put(sig_structure, cbor_build_bytestring(prot, prot_len)) ||
        !array_put(sig_structure, cbor_build_bytestring(NULL, 0)) ||
        !array_put(sig_structure, cbor_build_bytestring(payload, payload_len)) ||
        !serialize(sig_structure, &tbs, &tbs_len)) {
        goto out;
    }
    uint8_t hash[SECBOOT_SHA384_LEN];
    uint8_t sig[SECBOOT_COSE_SIG];
    size_t sig_len = 0;
    if (!sb_sha384_buf(tbs, tbs_len, hash) ||
        !sb_sign_hash(k, rng, hash, sig, sizeof sig, &sig_len)) {
        goto out;
    }
    msg = cbor_new_definite_array(4);
    if (msg == NULL || !array_put(msg, cbor_build_bytestring(prot, prot_len)) ||
        !array_put(msg, cbor_new_definite_map(0)) ||
        !array_put(msg, detached ? cbor_new_null() : cbor_build_bytestring(payload, payload_len)) ||
        !array_put(msg, cbor_build_bytestring(sig, sig_len))) {
        goto out;
    }
    tagged = cbor_build_tag(SECBOOT_COSE_TAG_SIGN1, msg);
    ok = tagged != NULL && serialize(tagged, out, out_len);
out:
    if (tagged != NULL) {
        cbor_decref(&tagged);
    }
    if (msg != NULL) {
        cbor_decref(&msg);
    }
    if (sig_structure != NULL) {
        cbor_decref(&sig_structure);
    }
    free(tbs);
    free(prot);
    return ok;
}

static bool sign_tdshim(sb_key *k, sb_rng *rng, const uint8_t *payload, size_t payload_len,
                        uint64_t svn, uint64_t version, uint8_t **out, size_t *out_len)
{
    const size_t block = k->kind == SB_KEY_ECDSA_P384 ? SECBOOT_ECDSA_BLOCK : SECBOOT_RSA_BLOCK;
    if (payload_len > UINT32_MAX - SECBOOT_HDR_LEN) {
        fprintf(stderr, TOOL ": payload too large: td-shim's Length is 32 bits\n");
        return false;
    }
    const size_t length = SECBOOT_HDR_LEN + payload_len;
    uint8_t *buf = calloc(1, length + block);
    if (buf == NULL) {
        fprintf(stderr, TOOL ": out of memory\n");
        return false;
    }
    memcpy(buf, secboot_guid_payload.b, 16);
    tds_store_le32(buf + 16, SECBOOT_HDR_VERSION);
    tds_store_le32(buf + 20, (uint32_t)length);
    tds_store_le64(buf + 24, version);
    tds_store_le64(buf + 32, svn);
    tds_store_le32(buf + 40, (uint32_t)k->kind);
    tds_store_le32(buf + 44, 0);
    if (payload_len != 0) {
        memcpy(buf + SECBOOT_HDR_LEN, payload, payload_len);
    }
    uint8_t hash[SECBOOT_SHA384_LEN];
    size_t sig_len = 0;
    uint8_t *blk = buf + length;
    memcpy(blk, k->pub, k->pub_len);
    if (!sb_sha384_buf(buf, length, hash) ||
        !sb_sign_hash(k, rng, hash, blk + k->pub_len, block - k->pub_len, &sig_len) ||
        k->pub_len + sig_len != block) {
        free(buf);
        return false;
    }
    *out = buf;
    *out_len = length + block;
    return true;
}

int main(int argc, char **argv)
{
    tool_check_stdout_at_exit(TOOL, 1);
    enum {
        OPT_KEY = 256,
        OPT_SVN,
        OPT_VERSION,
        OPT_FORMAT,
        OPT_DETACHED,
        OPT_PUBKEY,
        OPT_INITRD,
        OPT_CMDLINE
    };
    static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"svn", required_argument, NULL, OPT_SVN},
        {"payload-version", required_argument, NULL, OPT_VERSION},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"detached", no_argument, NULL, OPT_DETACHED},
        {"pubkey", required_argument, NULL, OPT_PUBKEY},
        {"initrd", required_argument, NULL, OPT_INITRD},
        {"cmdline", required_argument, NULL, OPT_CMDLINE},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *key_path = NULL;
    const char *pub_path = NULL;
    const char *out_path = NULL;
    bool have_svn = false;
    bool cose = false;
    bool detached = false;
    bool linux_fmt = false;
    const char *initrd_path = NULL;
    const char *cmdline = NULL;
    uint64_t svn = 0;
    uint64_t version = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_KEY: key_path = optarg; break;
        case OPT_PUBKEY: pub_path = optarg; break;
        case 'o': out_path = optarg; break;
        case OPT_DETACHED: detached = true; break;
        case OPT_INITRD: initrd_path = optarg; break;
        case OPT_CMDLINE: cmdline = optarg; break;
        case OPT_SVN:
            if (tool_parse_u64(optarg, &svn) != TDS_OK) {
                fprintf(stderr, TOOL ": bad --svn '%s'\n", optarg);
                return 2;
            }
            have_svn = true;
            break;
        case OPT_VERSION:
            if (tool_parse_u64(optarg, &version) != TDS_OK) {
                fprintf(stderr, TOOL ": bad --payload-version '%s'\n", optarg);
                return 2;
            }
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "cose") == 0) {
                cose = true;
            } else if (strcmp(optarg, "linux") == 0) {
                cose = true;
                linux_fmt = true;
            } else if (strcmp(optarg, "tdshim") == 0) {
                cose = false;
            } else {
                fprintf(stderr, TOOL ": --format must be 'tdshim', 'cose' or 'linux'\n");
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        case 'V': tool_print_version(TOOL); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (key_path == NULL || out_path == NULL || !have_svn || optind != argc - 1) {
        fprintf(stderr, TOOL ": need --key, --svn, -o and one PAYLOAD file\n");
        usage(stderr);
        return 2;
    }
    if ((initrd_path != NULL || cmdline != NULL) && !linux_fmt) {
        fprintf(stderr, TOOL ": --initrd and --cmdline go with --format linux\n");
        return 2;
    }
    if (linux_fmt) {
        detached = true; /* the shim reads the blobs from fw_cfg, the signature separately */
        cmdline = cmdline != NULL ? cmdline : "";
    }
    if (detached && !cose) {
        fprintf(stderr, TOOL ": --detached needs --format cose (td-shim's format always carries "
                             "the payload)\n");
        return 2;
    }
    const char *payload_path = argv[optind];
    int rc = 1;
    uint8_t *payload = NULL;
    size_t payload_len = 0;
    uint8_t *out = NULL;
    size_t out_len = 0;
    sb_key key;
    sb_rng rng;
    bool have_rng = false;
    if (!sb_key_load(TOOL, key_path, true, &key)) {
        return 1;
    }
    if (pub_path != NULL) {
        sb_key pub;
        if (!sb_key_load(TOOL, pub_path, false, &pub)) {
            goto out;
        }
        const bool same = pub.kind == key.kind && pub.pub_len == key.pub_len &&
                          memcmp(pub.pub, key.pub, key.pub_len) == 0;
        sb_key_free(&pub);
        if (!same) {
            fprintf(stderr, TOOL ": key does not match: '%s' is not the private key of '%s'\n",
                    key_path, pub_path);
            goto out;
        }
    }
    if (cose && key.kind != SB_KEY_ECDSA_P384) {
        fprintf(stderr,
                TOOL ": wrong key type: COSE signing is ES384 and needs an ECDSA P-384 "
                     "key; '%s' is RSA-3072 (use --format tdshim for RSA-PSS)\n",
                key_path);
        goto out;
    }
    tds_status st = tool_read_file(payload_path, &payload, &payload_len);
    if (st != TDS_OK) {
        fprintf(stderr, TOOL ": cannot read payload '%s': %s\n", payload_path, tool_io_error());
        goto out;
    }
    if (linux_fmt) {
        uint8_t *lp = NULL;
        if (!linux_payload(payload, payload_len, payload_path, initrd_path, cmdline, &lp)) {
            goto out;
        }
        free(payload);
        payload = lp;
        payload_len = SECBOOT_LINUX_PAYLOAD;
    }
    if (!sb_rng_init(&rng)) {
        fprintf(stderr, TOOL ": cannot seed the random generator\n");
        goto out;
    }
    have_rng = true;
    const bool signed_ok =
        cose ? sign_cose(&key, &rng, payload, payload_len, detached, svn, version, &out, &out_len)
             : sign_tdshim(&key, &rng, payload, payload_len, svn, version, &out, &out_len);
    if (!signed_ok) {
        fprintf(stderr, TOOL ": signing failed\n");
        goto out;
    }
    /* Self-check with the firmware's own verifier before anything is written. */
    secboot_policy pol;
    memset(&pol, 0, sizeof pol);
    secboot_result res;
    secboot_error err = {SECBOOT_R_NONE, 0};
    if (!sb_key_hash(&key, pol.key_hash)) {
        goto out;
    }
    const tds_bytes det = tds_bytes_make(payload, payload_len);
    st = cose ? secboot_verify_cose(tds_bytes_make(out, out_len), detached ? &det : NULL, &pol,
                                    &res, &err)
              : secboot_verify_tdshim(tds_bytes_make(out, out_len), &pol, &res, &err);
    if (st != TDS_OK) {
        fprintf(stderr, TOOL ": internal error: the result does not verify: %s (%s)\n",
                secboot_reason_str(err.reason), secboot_reason_text(err.reason));
        goto out;
    }
    st = tool_write_file(out_path, out, out_len);
    if (st != TDS_OK) {
        fprintf(stderr, TOOL ": cannot write '%s': %s\n", out_path, tool_io_error());
        goto out;
    }
    printf("%s: %s, %s, svn %" PRIu64 ", version %" PRIu64 ", payload %zu bytes, %zu bytes "
           "written\n",
           out_path,
           linux_fmt ? "COSE_Sign1 (detached, fw_cfg Linux kernel+initrd+cmdline digests)"
           : cose    ? (detached ? "COSE_Sign1 (detached)" : "COSE_Sign1")
                     : "td-shim",
           key.kind == SB_KEY_ECDSA_P384 ? "ECDSA P-384/SHA-384" : "RSA-PSS-3072/SHA-384", svn,
           version, payload_len, out_len);
    rc = 0;
out:
    if (have_rng) {
        sb_rng_free(&rng);
    }
    sb_key_free(&key);
    free(out);
    free(payload);
    return rc;
}
