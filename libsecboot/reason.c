/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Reasons: their status, short name and one-line text (one const table). */
#include "secboot_int.h"

typedef struct reason_info {
    tds_status status;
    const char *name;
    const char *text;
} reason_info;

static const reason_info k_reasons[SECBOOT_R_COUNT_] = {
    [SECBOOT_R_NONE] = {TDS_OK, "none", "no error"},
    [SECBOOT_R_BAD_ARG] = {TDS_ERR_INVALID_ARG, "bad-arg", "NULL pointer or ill-formed slice"},
    [SECBOOT_R_CFV_FV] = {TDS_ERR_MALFORMED, "cfv-fv",
                          "the CFV is not one well-formed firmware volume"},
    [SECBOOT_R_CFV_FILE_HEADER] = {TDS_ERR_TRUNCATED, "cfv-file-header",
                                   "an FFS file header runs past the end of the CFV"},
    [SECBOOT_R_CFV_FILE_SIZE] = {TDS_ERR_OUT_OF_BOUNDS, "cfv-file-size",
                                 "an FFS file's Size is below 24 or runs past the CFV"},
    [SECBOOT_R_CFV_LARGE_FILE] = {TDS_ERR_UNSUPPORTED, "cfv-large-file",
                                  "an FFS file with FFS_ATTRIB_LARGE_FILE (not supported)"},
    [SECBOOT_R_CFV_DUPLICATE] = {TDS_ERR_MALFORMED, "cfv-duplicate",
                                 "the trust-anchor or minimum-SVN file occurs twice in the CFV"},
    [SECBOOT_R_CFV_NO_KEY] = {TDS_ERR_NOT_FOUND, "cfv-no-key",
                              "the CFV holds no trust-anchor file (77a2742e-...-b7b978580021)"},
    [SECBOOT_R_CFV_FILE_TYPE] = {TDS_ERR_MALFORMED, "cfv-file-type",
                                 "a secure-boot file in the CFV is not an EFI_FV_FILETYPE_RAW"},
    [SECBOOT_R_CFV_KEY_HEADER] = {TDS_ERR_MALFORMED, "cfv-key-header",
                                  "CfvPubKeyFileHeader: wrong GUID, version, or reserved bytes"},
    [SECBOOT_R_CFV_KEY_LENGTH] = {TDS_ERR_MALFORMED, "cfv-key-length",
                                  "the trust-anchor file is not 40 + 48 bytes of data"},
    [SECBOOT_R_CFV_HASH_ALG] = {TDS_ERR_UNSUPPORTED, "cfv-hash-alg",
                                "the trust anchor's HashAlgorithm is not SHA-384 (1)"},
    [SECBOOT_R_CFV_SVN_FILE] = {TDS_ERR_MALFORMED, "cfv-svn-file",
                                "the minimum-SVN file is not 16 bytes of version 1"},
    [SECBOOT_R_HDR_TRUNCATED] = {TDS_ERR_TRUNCATED, "hdr-truncated",
                                 "the signed payload is shorter than its 48-byte header"},
    [SECBOOT_R_HDR_GUID] = {TDS_ERR_MALFORMED, "hdr-guid",
                            "the signed payload does not start with the signed-payload GUID"},
    [SECBOOT_R_HDR_VERSION] = {TDS_ERR_UNSUPPORTED, "hdr-version",
                               "the signed payload's StructVersion is not 1"},
    [SECBOOT_R_HDR_LENGTH] = {TDS_ERR_OUT_OF_BOUNDS, "hdr-length",
                              "the header's Length is below 48 or past the end"},
    [SECBOOT_R_HDR_RESERVED] = {TDS_ERR_MALFORMED, "hdr-reserved",
                                "the header's Reserved field is not 0"},
    [SECBOOT_R_HDR_ALGORITHM] = {TDS_ERR_UNSUPPORTED, "hdr-algorithm",
                                 "SigningAlgorithm is not 1 (ECDSA P-384) or 2 (RSA-PSS 3072)"},
    [SECBOOT_R_SIG_BLOCK_SIZE] = {TDS_ERR_MALFORMED, "sig-block-size",
                                  "the bytes after Length are not exactly the signature block"},
    [SECBOOT_R_RSA_KEY_SIZE] = {TDS_ERR_UNSUPPORTED, "rsa-key-size",
                                "the RSA modulus is not an odd 3072-bit number"},
    [SECBOOT_R_RSA_EXPONENT] = {TDS_ERR_UNSUPPORTED, "rsa-exponent",
                                "the RSA exponent is even, below 3 or above 32 bits"},
    [SECBOOT_R_RSA_SIG_RANGE] = {TDS_ERR_MALFORMED, "rsa-sig-range",
                                 "the RSA signature is not below the modulus"},
    [SECBOOT_R_ECDSA_KEY] = {TDS_ERR_MALFORMED, "ecdsa-key",
                             "the ECDSA public key is not a point on P-384"},
    [SECBOOT_R_ECDSA_SIG_RANGE] = {TDS_ERR_MALFORMED, "ecdsa-sig-range",
                                   "ECDSA r or s is zero or not below the group order"},
    [SECBOOT_R_KEY_UNTRUSTED] = {TDS_ERR_MISMATCH, "key-untrusted",
                                 "the signing key's SHA-384 is not the CFV trust anchor"},
    [SECBOOT_R_SIGNATURE] = {TDS_ERR_MISMATCH, "signature", "the signature does not verify"},
    [SECBOOT_R_CRYPTO] = {TDS_ERR_NO_SPACE, "crypto",
                          "the crypto library failed (out of memory or internal error)"},
    [SECBOOT_R_SVN_ROLLBACK] = {TDS_ERR_POLICY, "svn-rollback",
                                "the payload's SVN is below the CFV's minimum SVN"},
    [SECBOOT_R_CBOR_TRUNCATED] = {TDS_ERR_TRUNCATED, "cbor-truncated",
                                  "the CBOR input ends inside an item"},
    [SECBOOT_R_CBOR_INDEFINITE] = {TDS_ERR_UNSUPPORTED, "cbor-indefinite",
                                   "an indefinite-length CBOR item or a break"},
    [SECBOOT_R_CBOR_RESERVED] = {TDS_ERR_MALFORMED, "cbor-reserved",
                                 "reserved CBOR additional information (28..30)"},
    [SECBOOT_R_CBOR_SIMPLE] =
        {TDS_ERR_UNSUPPORTED, "cbor-simple",
         "a CBOR float or a simple value other than false/true/null/undefined"},
    [SECBOOT_R_CBOR_DEPTH] = {TDS_ERR_UNSUPPORTED, "cbor-depth", "CBOR nested too deeply"},
    [SECBOOT_R_CBOR_MAP_SIZE] = {TDS_ERR_UNSUPPORTED, "cbor-map-size",
                                 "a CBOR map with too many pairs"},
    [SECBOOT_R_CBOR_KEY_TYPE] = {TDS_ERR_UNSUPPORTED, "cbor-key-type",
                                 "a CBOR map key that is not an integer or a string"},
    [SECBOOT_R_CBOR_DUPLICATE] = {TDS_ERR_MALFORMED, "cbor-duplicate",
                                  "a CBOR map with two equal keys"},
    [SECBOOT_R_CBOR_TRAILING] = {TDS_ERR_MALFORMED, "cbor-trailing", "bytes after the CBOR item"},
    [SECBOOT_R_CBOR_UTF8] = {TDS_ERR_MALFORMED, "cbor-utf8",
                             "a CBOR text string that is not valid UTF-8"},
    [SECBOOT_R_COSE_STRUCTURE] = {TDS_ERR_MALFORMED, "cose-structure",
                                  "not a COSE_Sign1 [bstr, map, bstr / nil, bstr] (tag 18)"},
    [SECBOOT_R_COSE_PROTECTED] = {TDS_ERR_MALFORMED, "cose-protected",
                                  "the COSE protected header is not a bstr-wrapped map"},
    [SECBOOT_R_COSE_ALG] = {TDS_ERR_UNSUPPORTED, "cose-alg",
                            "the COSE protected header has no alg, or alg is not ES384 (-35)"},
    [SECBOOT_R_COSE_LABEL] = {TDS_ERR_UNSUPPORTED, "cose-label",
                              "a COSE header label this profile does not define"},
    [SECBOOT_R_COSE_UNPROTECTED] = {TDS_ERR_MALFORMED, "cose-unprotected",
                                    "the COSE unprotected header is not empty"},
    [SECBOOT_R_COSE_KID] = {TDS_ERR_MALFORMED, "cose-kid",
                            "the COSE kid is missing or not the 96-byte P-384 key X||Y"},
    [SECBOOT_R_COSE_SVN] = {TDS_ERR_MALFORMED, "cose-svn",
                            "the COSE SVN (-65537) is missing or not an unsigned integer"},
    [SECBOOT_R_COSE_VERSION] = {TDS_ERR_MALFORMED, "cose-version",
                                "the COSE payload version (-65538) is not an unsigned integer"},
    [SECBOOT_R_COSE_PAYLOAD_MODE] = {TDS_ERR_INVALID_ARG, "cose-payload-mode",
                                     "attached payload with detached bytes, or detached without"},
    [SECBOOT_R_COSE_SIG_LENGTH] = {TDS_ERR_MALFORMED, "cose-sig-length",
                                   "the COSE signature is not a 96-byte r||s"},
    [SECBOOT_R_UNSIGNED] = {TDS_ERR_NOT_FOUND, "unsigned",
                            "the payload is neither a td-shim signed payload nor a COSE_Sign1"},
    [SECBOOT_R_IMAGE_FLAGS] = {TDS_ERR_MALFORMED, "image-flags",
                               "the image's secure-boot record is neither zero nor valid"},
    [SECBOOT_R_REQUIRED] = {TDS_ERR_POLICY, "cfv-required",
                            "the image requires secure boot but the CFV has no trust anchor"},
    [SECBOOT_R_LINUX_SIG] = {TDS_ERR_NOT_FOUND, "linux-sig",
                             "no fw_cfg opt/tdshim/payload-sig, or empty or over 4 KiB"},
};

static const reason_info *info(secboot_reason r)
{
    if ((unsigned)r >= (unsigned)SECBOOT_R_COUNT_ || k_reasons[r].name == NULL) {
        return NULL;
    }
    return &k_reasons[r];
}

tds_status secboot_reason_status(secboot_reason r)
{
    const reason_info *i = info(r);
    return i == NULL ? TDS_ERR_INVALID_ARG : i->status;
}

const char *secboot_reason_str(secboot_reason r)
{
    const reason_info *i = info(r);
    return i == NULL ? "unknown" : i->name;
}

const char *secboot_reason_text(secboot_reason r)
{
    const reason_info *i = info(r);
    return i == NULL ? "unknown reason" : i->text;
}
