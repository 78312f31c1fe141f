/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * tdshim-enroll: write the CFV of a TDVF image (or a CFV file): the secure-boot trust anchor
 * (td-shim's CfvPubKeyFileHeader + SHA-384 of a public key), this project's minimum-SVN file, and
 * extra RAW files by GUID. Manual: docs/tools/tdshim-enroll.md
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_build.h"
#include "sb_keys.h"
#include "tdshim/secboot.h"
#include "tdshim/tdvf.h"
#include "tool_io.h"

#define TOOL "tdshim-enroll"
#define MAX_EXTRA 16u
#define FFS_STATE_VALID 0xF8u /* ~(HEADER_CONSTRUCTION | HEADER_VALID | DATA_VALID), polarity 1 */
#define FFS_FIXED_CHECKSUM 0xAAu
#define FFS_MAX_SIZE 0xFFFFFFu

static void usage(FILE *f)
{
    fprintf(f, "usage: tdshim-enroll --pubkey KEY [--min-svn N] [--file GUID=FILE]...\n"
               "                     (--image IMAGE -o OUT | --cfv-out FILE [--cfv-size N])\n"
               "                     [--check SIGNED [--detached PAYLOAD]]\n"
               "  --pubkey FILE      the trusted key (public or private, PEM or DER):\n"
               "                     ECDSA P-384 or RSA-3072; the CFV gets SHA-384 of its bytes\n"
               "  --min-svn N        the lowest payload SVN the firmware accepts (default: no\n"
               "                     minimum-SVN file, which the firmware reads as 0)\n"
               "  --file GUID=FILE   one more RAW file in the CFV (repeatable, up to 16)\n"
               "  --image FILE       the TDVF image whose CFV section is rewritten\n"
               "  -o, --output FILE  where the enrolled image goes (may be the same file)\n"
               "  --cfv-out FILE     write only the CFV, a firmware volume for tdshim-image --cfv\n"
               "  --cfv-size N       its size, a 4 KiB multiple (default 64K)\n"
               "  --check FILE       verify this signed payload (td-shim or COSE) against the new\n"
               "                     CFV with the firmware's verifier\n"
               "  --detached FILE    the payload of a detached COSE message given to --check\n");
}

typedef struct extra_file {
    tds_guid name;
    const char *path;
    uint8_t *data;
    size_t len;
} extra_file;

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" to wire bytes. */
static bool parse_guid(const char *s, tds_guid *out)
{
    uint8_t v[16];
    size_t n = 0;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') {
                return false;
            }
            continue;
        }
        const int hi = hexdigit(s[i]);
        const int lo = hi < 0 ? -1 : hexdigit(s[i + 1]);
        if (lo < 0) {
            return false;
        }
        v[n++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    if (s[36] != '\0' && s[36] != '=') {
        return false;
    }
    /* Text order is d1 (4 bytes) d2 (2) d3 (2) then 8 bytes; the first three are little-endian. */
    const uint8_t wire[16] = {v[3], v[2], v[1],  v[0],  v[5],  v[4],  v[7],  v[6],
                              v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
    memcpy(out->b, wire, 16);
    return true;
}

/* Append one RAW FFS file at *at (8-byte aligned) in the CFV. */
static bool put_file(tds_mut_bytes cfv, size_t *at, const tds_guid *name, const uint8_t *data,
                     size_t len, const char *what)
{
    size_t start = 0;
    size_t size = 0;
    size_t end = 0;
    if (tds_align_up_size(*at, SECBOOT_FFS_ALIGN, &start) != TDS_OK ||
        tds_add_size(len, SECBOOT_FFS_HEADER, &size) != TDS_OK || size > FFS_MAX_SIZE ||
        tds_add_size(start, size, &end) != TDS_OK || end > cfv.len) {
        fprintf(stderr,
                TOOL ": file too large: %s (%zu bytes) does not fit in the %zu-byte CFV (or is "
                     "over the 16 MiB FFS file limit)\n",
                what, len, cfv.len);
        return false;
    }
    uint8_t *h = cfv.ptr + start;
    memcpy(h, name->b, 16);
    h[16] = 0; /* header checksum, below */
    h[17] = 0;
    h[18] = SECBOOT_FFS_TYPE_RAW;
    h[19] = 0; /* attributes: no FFS_ATTRIB_CHECKSUM, so the file checksum is 0xAA */
    h[20] = (uint8_t)size;
    h[21] = (uint8_t)(size >> 8);
    h[22] = (uint8_t)(size >> 16);
    h[23] = 0;
    uint8_t sum = 0;
    for (size_t i = 0; i < SECBOOT_FFS_HEADER; i++) {
        sum = (uint8_t)(sum + h[i]);
    }
    h[16] = (uint8_t)(0u - sum); /* the header sums to 0 with File and State taken as 0 */
    h[17] = FFS_FIXED_CHECKSUM;
    h[23] = FFS_STATE_VALID;
    if (len != 0) {
        memcpy(h + SECBOOT_FFS_HEADER, data, len);
    }
    *at = end;
    return true;
}

static bool build_cfv(tds_mut_bytes cfv, const uint8_t anchor[SECBOOT_SHA384_LEN], bool have_svn,
                      uint64_t min_svn, const extra_file *extra, size_t n_extra)
{
    if (image_write_empty_fv(cfv) != TDS_OK) {
        fprintf(stderr, TOOL ": the CFV size %zu is not a non-zero 4 KiB multiple\n", cfv.len);
        return false;
    }
    size_t at = TDVF_FV_MIN_HEADER;
    uint8_t key[SECBOOT_CFV_KEY_DATA];
    memset(key, 0, sizeof key);
    memcpy(key, secboot_guid_cfv_key_header.b, 16);
    tds_store_le32(key + 16, SECBOOT_CFV_KEY_VERSION);
    tds_store_le32(key + 20, SECBOOT_CFV_KEY_DATA);
    tds_store_le64(key + 24, SECBOOT_CFV_HASH_SHA384);
    memcpy(key + SECBOOT_CFV_KEY_HEADER, anchor, SECBOOT_SHA384_LEN);
    if (!put_file(cfv, &at, &secboot_guid_cfv_key_file, key, sizeof key, "the trust anchor")) {
        return false;
    }
    if (have_svn) {
        uint8_t svn[SECBOOT_CFV_SVN_DATA];
        tds_store_le32(svn, SECBOOT_CFV_SVN_VERSION);
        tds_store_le32(svn + 4, SECBOOT_CFV_SVN_DATA);
        tds_store_le64(svn + 8, min_svn);
        if (!put_file(cfv, &at, &secboot_guid_cfv_min_svn_file, svn, sizeof svn,
                      "the minimum SVN")) {
            return false;
        }
    }
    for (size_t i = 0; i < n_extra; i++) {
        if (!put_file(cfv, &at, &extra[i].name, extra[i].data, extra[i].len, extra[i].path)) {
            return false;
        }
    }
    return true;
}

static void print_hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
}

/* Verify `signed_path` against the CFV with libsecboot, as the firmware will. */
static bool check_signed(tds_bytes cfv, const char *signed_path, const char *detached_path)
{
    secboot_policy pol;
    secboot_error err = {SECBOOT_R_NONE, 0};
    if (secboot_cfv_parse(cfv, &pol, &err) != TDS_OK) {
        fprintf(stderr, TOOL ": internal error: the new CFV does not parse: %s\n",
                secboot_reason_text(err.reason));
        return false;
    }
    uint8_t *sp = NULL;
    size_t sp_len = 0;
    uint8_t *dp = NULL;
    size_t dp_len = 0;
    bool ok = false;
    tds_status st = tool_read_file(signed_path, &sp, &sp_len);
    if (st != TDS_OK) {
        fprintf(stderr, TOOL ": cannot read '%s': %s\n", signed_path, tool_io_error());
        return false;
    }
    if (detached_path != NULL) {
        st = tool_read_file(detached_path, &dp, &dp_len);
        if (st != TDS_OK) {
            fprintf(stderr, TOOL ": cannot read '%s': %s\n", detached_path, tool_io_error());
            free(sp);
            return false;
        }
    }
    const bool tdshim_fmt =
        sp_len >= 16 && memcmp(sp, secboot_guid_payload.b, sizeof secboot_guid_payload.b) == 0;
    secboot_result res;
    const tds_bytes det = tds_bytes_make(dp, dp_len);
    st = tdshim_fmt ? secboot_verify_tdshim(tds_bytes_make(sp, sp_len), &pol, &res, &err)
                    : secboot_verify_cose(tds_bytes_make(sp, sp_len),
                                          detached_path != NULL ? &det : NULL, &pol, &res, &err);
    if (st != TDS_OK) {
        fprintf(stderr,
                TOOL ": '%s' does not verify against this CFV: %s (%s) at offset %" PRIu64 "\n",
                signed_path, secboot_reason_str(err.reason), secboot_reason_text(err.reason),
                err.offset);
    } else {
        printf("check: '%s' verifies (%s, svn %" PRIu64 ", version %" PRIu64
               ", payload %zu bytes)\n",
               signed_path, tdshim_fmt ? "td-shim" : "COSE_Sign1", res.svn, res.version,
               res.payload.len);
        ok = true;
    }
    free(dp);
    free(sp);
    return ok;
}

/* The one CFV section of an image. */
static bool find_cfv(tds_bytes image, const char *path, size_t *off, size_t *len)
{
    tdvf_meta meta;
    tdvf_error err = {"", UINT32_MAX};
    const tds_status st = tdvf_open(image, TDVF_OPEN_LOCATE_BOTH, &meta, &err);
    if (st != TDS_OK) {
        fprintf(stderr, TOOL ": '%s' is not a TDVF image: %s: %s\n", path, tds_status_str(st),
                err.what);
        return false;
    }
    const tdvf_section *cfv = NULL;
    for (uint32_t i = 0; i < meta.count; i++) {
        if (meta.sec[i].type == TDVF_SEC_CFV) {
            if (cfv != NULL) {
                fprintf(stderr, TOOL ": '%s' has more than one CFV section\n", path);
                return false;
            }
            cfv = &meta.sec[i];
        }
    }
    if (cfv == NULL || cfv->raw_size == 0) {
        fprintf(stderr, TOOL ": '%s' has no CFV section with data\n", path);
        return false;
    }
    *off = cfv->data_offset;
    *len = cfv->raw_size;
    return true;
}

int main(int argc, char **argv)
{
    tool_check_stdout_at_exit(TOOL, 1);
    enum {
        OPT_PUBKEY = 256,
        OPT_MIN_SVN,
        OPT_FILE,
        OPT_IMAGE,
        OPT_CFV_OUT,
        OPT_CFV_SIZE,
        OPT_CHECK,
        OPT_DETACHED
    };
    static const struct option opts[] = {
        {"pubkey", required_argument, NULL, OPT_PUBKEY},
        {"min-svn", required_argument, NULL, OPT_MIN_SVN},
        {"file", required_argument, NULL, OPT_FILE},
        {"image", required_argument, NULL, OPT_IMAGE},
        {"output", required_argument, NULL, 'o'},
        {"cfv-out", required_argument, NULL, OPT_CFV_OUT},
        {"cfv-size", required_argument, NULL, OPT_CFV_SIZE},
        {"check", required_argument, NULL, OPT_CHECK},
        {"detached", required_argument, NULL, OPT_DETACHED},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *pub_path = NULL;
    const char *image_path = NULL;
    const char *out_path = NULL;
    const char *cfv_out = NULL;
    const char *check_path = NULL;
    const char *detached_path = NULL;
    bool have_svn = false;
    uint64_t min_svn = 0;
    uint64_t cfv_size = IMAGE_DEFAULT_CFV_SIZE;
    extra_file extra[MAX_EXTRA];
    size_t n_extra = 0;
    int c;
    memset(extra, 0, sizeof extra);
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_PUBKEY: pub_path = optarg; break;
        case OPT_IMAGE: image_path = optarg; break;
        case 'o': out_path = optarg; break;
        case OPT_CFV_OUT: cfv_out = optarg; break;
        case OPT_CHECK: check_path = optarg; break;
        case OPT_DETACHED: detached_path = optarg; break;
        case OPT_MIN_SVN:
            if (tool_parse_u64(optarg, &min_svn) != TDS_OK) {
                fprintf(stderr, TOOL ": bad --min-svn '%s'\n", optarg);
                return 2;
            }
            have_svn = true;
            break;
        case OPT_CFV_SIZE:
            if (tool_parse_u64(optarg, &cfv_size) != TDS_OK || cfv_size > IMAGE_MAX_SIZE) {
                fprintf(stderr, TOOL ": bad --cfv-size '%s'\n", optarg);
                return 2;
            }
            break;
        case OPT_FILE: {
            const char *eq = strchr(optarg, '=');
            if (n_extra == MAX_EXTRA || eq == NULL || eq - optarg != 36 ||
                !parse_guid(optarg, &extra[n_extra].name) || eq[1] == '\0') {
                fprintf(stderr, TOOL ": bad --file '%s' (GUID=FILE, at most %u)\n", optarg,
                        MAX_EXTRA);
                return 2;
            }
            if (tds_guid_equal(&extra[n_extra].name, &secboot_guid_cfv_key_file) ||
                tds_guid_equal(&extra[n_extra].name, &secboot_guid_cfv_min_svn_file)) {
                fprintf(stderr,
                        TOOL ": --file %s: that GUID is the trust anchor's or the "
                             "minimum SVN's; use --pubkey / --min-svn\n",
                        optarg);
                return 2;
            }
            extra[n_extra++].path = eq + 1;
            break;
        }
        case 'h': usage(stdout); return 0;
        case 'V': tool_print_version(TOOL); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (pub_path == NULL || optind != argc || (image_path == NULL) == (cfv_out == NULL) ||
        (image_path != NULL && out_path == NULL) || (detached_path != NULL && check_path == NULL)) {
        fprintf(stderr, TOOL ": need --pubkey and either --image with -o, or --cfv-out\n");
        usage(stderr);
        return 2;
    }
    int rc = 1;
    uint8_t *image = NULL;
    size_t image_len = 0;
    uint8_t *cfv_buf = NULL;
    sb_key key;
    if (!sb_key_load(TOOL, pub_path, false, &key)) {
        return 1;
    }
    uint8_t anchor[SECBOOT_SHA384_LEN];
    if (!sb_key_hash(&key, anchor)) {
        goto out;
    }
    for (size_t i = 0; i < n_extra; i++) {
        const tds_status st = tool_read_file(extra[i].path, &extra[i].data, &extra[i].len);
        if (st != TDS_OK) {
            fprintf(stderr, TOOL ": cannot read '%s': %s\n", extra[i].path, tool_io_error());
            goto out;
        }
    }
    tds_mut_bytes cfv;
    if (image_path != NULL) {
        const tds_status st = tool_read_file(image_path, &image, &image_len);
        if (st != TDS_OK) {
            fprintf(stderr, TOOL ": cannot read image '%s': %s\n", image_path, tool_io_error());
            goto out;
        }
        size_t off = 0;
        size_t len = 0;
        if (!find_cfv(tds_bytes_make(image, image_len), image_path, &off, &len)) {
            goto out;
        }
        cfv = tds_mut_bytes_make(image + off, len);
    } else {
        cfv_buf = malloc((size_t)cfv_size == 0 ? 1 : (size_t)cfv_size);
        if (cfv_buf == NULL) {
            fprintf(stderr, TOOL ": out of memory\n");
            goto out;
        }
        cfv = tds_mut_bytes_make(cfv_buf, (size_t)cfv_size);
    }
    if (!build_cfv(cfv, anchor, have_svn, min_svn, extra, n_extra)) {
        goto out;
    }
    /* Self-checks: the firmware's CFV reader, and for an image the image checker. */
    secboot_policy pol;
    secboot_error serr = {SECBOOT_R_NONE, 0};
    if (secboot_cfv_parse(tds_bytes_const(cfv), &pol, &serr) != TDS_OK ||
        memcmp(pol.key_hash, anchor, sizeof anchor) != 0 || pol.min_svn != min_svn) {
        fprintf(stderr, TOOL ": internal error: the CFV written does not read back (%s)\n",
                secboot_reason_text(serr.reason));
        goto out;
    }
    if (image != NULL) {
        size_t off = 0;
        size_t len = 0;
        if (!find_cfv(tds_bytes_make(image, image_len), out_path, &off, &len)) {
            goto out;
        }
    }
    if (check_path != NULL && !check_signed(tds_bytes_const(cfv), check_path, detached_path)) {
        goto out;
    }
    const char *dest = image != NULL ? out_path : cfv_out;
    const tds_status st = image != NULL ? tool_write_file(out_path, image, image_len)
                                        : tool_write_file(cfv_out, cfv.ptr, cfv.len);
    if (st != TDS_OK) {
        fprintf(stderr, TOOL ": cannot write '%s': %s\n", dest, tool_io_error());
        goto out;
    }
    printf("%s: CFV %zu bytes, trust anchor (%s) SHA-384 ", dest, cfv.len,
           key.kind == SB_KEY_ECDSA_P384 ? "ECDSA P-384" : "RSA-3072");
    print_hex(anchor, sizeof anchor);
    if (have_svn) {
        printf(", minimum SVN %" PRIu64, min_svn);
    } else {
        printf(", no minimum SVN (0)");
    }
    printf(", %zu extra file(s)\n", n_extra);
    rc = 0;
out:
    for (size_t i = 0; i < n_extra; i++) {
        free(extra[i].data);
    }
    free(cfv_buf);
    free(image);
    sb_key_free(&key);
    return rc;
}
