/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Secure boot of payloads (docs/libsecboot.md): the configuration firmware volume (CFV) holding
 * the trust anchor and a minimum SVN, td-shim's signed-payload format (ECDSA P-384 or
 * RSA-PSS-3072 over SHA-384), COSE_Sign1 (RFC 9052) with ES384 read by a small bounded CBOR reader,
 * and the SVN floor.
 *
 * Builds hosted and freestanding. Every input byte (the CFV, the signed payload, the COSE message)
 * is untrusted: every read goes through tds_cursor, every length is bounded by what is there, and
 * out-parameters are written only when the call returns TDS_OK. The library holds no state and
 * allocates nothing itself; the signature checks run on mbedTLS (3.6 in firmware, the host's
 * libmbedtls hosted), whose big numbers take their memory from the platform calloc/free (the
 * firmware's hooks, cmake/mbedtls/).
 */
#ifndef TDSHIM_SECBOOT_H
#define TDSHIM_SECBOOT_H

/*
 * Thread safety: no state of its own (the crypto works on the stack; the freestanding build's
 * mbedTLS calls the firmware's tdshim_mbedtls_calloc/free, which must then be thread-safe for
 * concurrent verifications). Every function reads its inputs and writes only the caller's outputs.
 */

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SECBOOT_SHA384_LEN 48u

/* ---- errors ------------------------------------------------------------------------------ */

/*
 * Precise reasons. Each maps to one tds_status (secboot_reason_status). secboot_error.offset is
 * the byte offset in the input that was being read when the rule failed (the CFV, the signed
 * payload or the COSE message), 0 when the rule concerns the whole input.
 */
typedef enum secboot_reason {
    SECBOOT_R_NONE = 0,
    SECBOOT_R_BAD_ARG, /* NULL pointer or ill-formed slice (INVALID_ARG) */
    /* CFV (offset in the CFV). */
    SECBOOT_R_CFV_FV,          /* not one well-formed firmware volume (tdvf_fv_check) */
    SECBOOT_R_CFV_FILE_HEADER, /* an FFS file header runs past the volume (TRUNCATED) */
    SECBOOT_R_CFV_FILE_SIZE,   /* FFS Size < 24 or past the volume (OUT_OF_BOUNDS) */
    SECBOOT_R_CFV_LARGE_FILE,  /* FFS_ATTRIB_LARGE_FILE: not supported (UNSUPPORTED) */
    SECBOOT_R_CFV_DUPLICATE,   /* the key or SVN file appears twice (MALFORMED) */
    SECBOOT_R_CFV_NO_KEY,      /* no trust-anchor file (NOT_FOUND) */
    SECBOOT_R_CFV_FILE_TYPE,   /* a secure-boot file that is not EFI_FV_FILETYPE_RAW */
    SECBOOT_R_CFV_KEY_HEADER,  /* CfvPubKeyFileHeader: GUID, version, reserved (MALFORMED) */
    SECBOOT_R_CFV_KEY_LENGTH,  /* its Length or the file's data size is not 40 + 48 */
    SECBOOT_R_CFV_HASH_ALG,    /* HashAlgorithm is not SHA-384 (1) (UNSUPPORTED) */
    SECBOOT_R_CFV_SVN_FILE,    /* the minimum-SVN file: size, version or length (MALFORMED) */
    /* td-shim signed payload (offset in the signed payload). */
    SECBOOT_R_HDR_TRUNCATED,  /* shorter than the 48-byte header (TRUNCATED) */
    SECBOOT_R_HDR_GUID,       /* not the signed-payload GUID (MALFORMED) */
    SECBOOT_R_HDR_VERSION,    /* StructVersion != 1 (UNSUPPORTED) */
    SECBOOT_R_HDR_LENGTH,     /* Length < 48 or past the end (OUT_OF_BOUNDS) */
    SECBOOT_R_HDR_RESERVED,   /* Reserved != 0 (MALFORMED) */
    SECBOOT_R_HDR_ALGORITHM,  /* SigningAlgorithm not 1 (ECDSA) or 2 (RSA-PSS) (UNSUPPORTED) */
    SECBOOT_R_SIG_BLOCK_SIZE, /* bytes after Length are not exactly the signature block */
    /* Keys and signatures (offset of the field). */
    SECBOOT_R_RSA_KEY_SIZE,    /* N is not a 3072-bit modulus (top bit clear, or even) */
    SECBOOT_R_RSA_EXPONENT,    /* E is even, < 3 or longer than 32 bits (UNSUPPORTED) */
    SECBOOT_R_RSA_SIG_RANGE,   /* signature representative >= N (MALFORMED) */
    SECBOOT_R_ECDSA_KEY,       /* X||Y is not a point on P-384 (MALFORMED) */
    SECBOOT_R_ECDSA_SIG_RANGE, /* r or s is zero or not below the group order (MALFORMED) */
    SECBOOT_R_KEY_UNTRUSTED,   /* SHA-384 of the key bytes is not the CFV anchor (MISMATCH) */
    SECBOOT_R_SIGNATURE,       /* the signature does not verify (MISMATCH) */
    SECBOOT_R_CRYPTO,          /* mbedTLS failed for want of memory or similar (NO_SPACE) */
    SECBOOT_R_SVN_ROLLBACK,    /* authentic, but its SVN is below the CFV floor (POLICY) */
    /* CBOR (offset of the item's head). */
    SECBOOT_R_CBOR_TRUNCATED,  /* input ends inside an item (TRUNCATED) */
    SECBOOT_R_CBOR_INDEFINITE, /* an indefinite length or a break (UNSUPPORTED) */
    SECBOOT_R_CBOR_RESERVED,   /* additional information 28..30 (MALFORMED) */
    SECBOOT_R_CBOR_SIMPLE,     /* a float or a simple value other than 20..23 (UNSUPPORTED) */
    SECBOOT_R_CBOR_DEPTH,      /* nested deeper than SECBOOT_CBOR_MAX_DEPTH (UNSUPPORTED) */
    SECBOOT_R_CBOR_MAP_SIZE,   /* a map with more than SECBOOT_CBOR_MAX_MAP pairs (UNSUPPORTED) */
    SECBOOT_R_CBOR_KEY_TYPE,   /* a map key that is not an integer or a string (UNSUPPORTED) */
    SECBOOT_R_CBOR_DUPLICATE,  /* two equal keys in one map (MALFORMED) */
    SECBOOT_R_CBOR_TRAILING,   /* bytes after the one top-level item (MALFORMED) */
    SECBOOT_R_CBOR_UTF8,       /* a text string that is not UTF-8 (RFC 3629) (MALFORMED) */
    /* COSE_Sign1 (offset of the item). */
    SECBOOT_R_COSE_STRUCTURE,    /* not [bstr, map, bstr / nil, bstr], or a tag other than 18 */
    SECBOOT_R_COSE_PROTECTED,    /* the protected header is not a bstr-wrapped map (MALFORMED) */
    SECBOOT_R_COSE_ALG,          /* no alg (1) or alg != ES384 (-35) (UNSUPPORTED) */
    SECBOOT_R_COSE_LABEL,        /* a header label this profile does not define (incl. crit) */
    SECBOOT_R_COSE_UNPROTECTED,  /* the unprotected header is not empty (MALFORMED) */
    SECBOOT_R_COSE_KID,          /* no kid (4), or not a 96-byte bstr X||Y (MALFORMED) */
    SECBOOT_R_COSE_SVN,          /* no SVN (-65537), or not an unsigned integer (MALFORMED) */
    SECBOOT_R_COSE_VERSION,      /* payload version (-65538) not an unsigned integer */
    SECBOOT_R_COSE_PAYLOAD_MODE, /* attached payload given detached bytes, or nil without them */
    SECBOOT_R_COSE_SIG_LENGTH,   /* the signature is not a 96-byte bstr r||s (MALFORMED) */
    /* The boot policy (section 5; offset in the input named). */
    SECBOOT_R_UNSIGNED,    /* neither a td-shim signed payload nor a COSE_Sign1 (NOT_FOUND) */
    SECBOOT_R_IMAGE_FLAGS, /* the image's secure-boot record is not all zero nor valid */
    SECBOOT_R_REQUIRED,    /* the image requires secure boot, the CFV has no trust anchor */
    SECBOOT_R_LINUX_SIG,   /* the fw_cfg Linux signature is missing, empty or too large */
    SECBOOT_R_COUNT_
} secboot_reason;

typedef struct secboot_error {
    secboot_reason reason;
    uint64_t offset; /* see secboot_reason */
} secboot_error;

/* The tds_status that goes with a reason (TDS_OK for SECBOOT_R_NONE). */
tds_status secboot_reason_status(secboot_reason r);
/* Stable short name ("svn-rollback", "cbor-indefinite", ...). Never NULL. */
const char *secboot_reason_str(secboot_reason r);
/* One-line explanation for a fatal message. Never NULL. */
const char *secboot_reason_text(secboot_reason r);

/* ---- 1. the CFV: trust anchor and minimum SVN ------------------------------------------------ */

/* td-shim's trust-anchor file in the CFV: an EFI_FV_FILETYPE_RAW FFS file with this name. */
extern const tds_guid secboot_guid_cfv_key_file; /* 77a2742e-9340-4ac9-8f85-b7b978580021 */
/* The CfvPubKeyFileHeader's own GUID (its first 16 bytes). */
extern const tds_guid secboot_guid_cfv_key_header; /* be8f65a3-a83b-415c-a1fb-f78e105e824e */
/* This project's minimum-SVN file (not in td-shim): a RAW FFS file with this name. */
extern const tds_guid secboot_guid_cfv_min_svn_file; /* 9dc914e9-dc11-4a29-8820-d081a51a828b */

#define SECBOOT_FFS_HEADER 24u       /* EFI_FFS_FILE_HEADER */
#define SECBOOT_FFS_ALIGN 8u         /* files start 8-byte aligned in the volume */
#define SECBOOT_FFS_TYPE_RAW 0x01u   /* EFI_FV_FILETYPE_RAW */
#define SECBOOT_FFS_ATTR_LARGE 0x01u /* FFS_ATTRIB_LARGE_FILE */
#define SECBOOT_CFV_KEY_HEADER 40u   /* CfvPubKeyFileHeader as td-shim's code lays it out */
#define SECBOOT_CFV_KEY_VERSION 1u
#define SECBOOT_CFV_HASH_SHA384 1u                                         /* HashAlgorithm (u64) */
#define SECBOOT_CFV_KEY_DATA (SECBOOT_CFV_KEY_HEADER + SECBOOT_SHA384_LEN) /* 88 */
#define SECBOOT_CFV_SVN_VERSION 1u
#define SECBOOT_CFV_SVN_DATA 16u /* u32 Version, u32 Length (16), u64 MinSvn */

/* What the CFV says: the SHA-384 of the one trusted public key and the lowest acceptable SVN. */
typedef struct secboot_policy {
    uint8_t key_hash[SECBOOT_SHA384_LEN];
    uint64_t min_svn;         /* 0 when the CFV has no minimum-SVN file (a td-shim CFV) */
    bool has_min_svn;         /* the minimum-SVN file was present */
    uint64_t key_file_offset; /* offset in the CFV of the trust-anchor file's data (88 bytes) */
    uint64_t svn_file_offset; /* offset of the minimum-SVN file's data (16 bytes), if present */
} secboot_policy;

/*
 * Read the CFV `cfv` (the whole firmware volume). Order: the volume header (tdvf_fv_check's
 * rules); then every FFS file from HeaderLength (or the end of the extended header) to the end of
 * the volume, each 8-byte aligned: a header of 24 bytes inside the volume, no large-file
 * attribute, 24 <= Size <= what is left; the walk ends at the end of the volume or at free space
 * (a header of all-erased bytes). Files other than the two secure-boot files are skipped. The
 * trust-anchor file must occur exactly once, the minimum-SVN file at most once, both RAW.
 * Trust-anchor data: exactly 88 bytes, the header GUID, Version 1, Length 88, HashAlgorithm 1
 * (SHA-384), Reserved and Pad 0, then the 48-byte digest. Minimum-SVN data: exactly 16 bytes,
 * Version 1, Length 16, then the u64 floor. FFS checksums and State are not judged (the CFV's
 * integrity comes from its measurement, not from the checksums).
 */
TDS_MUST_USE tds_status secboot_cfv_parse(tds_bytes cfv, secboot_policy *out, secboot_error *err);

/* ---- 2. td-shim's signed payload ------------------------------------------------------------- */

/* FCF2D558-9DF5-4F4D-B0D7-3E4B798AB066: the first 16 bytes of a signed payload. */
extern const tds_guid secboot_guid_payload;

#define SECBOOT_HDR_LEN 48u
#define SECBOOT_HDR_VERSION 1u
/* SigningAlgorithm: td-shim's code values (its doc/secure_boot.md lists them the other way). */
#define SECBOOT_ALG_ECDSA_P384_SHA384 1u
#define SECBOOT_ALG_RSAPSS_3072_SHA384 2u
#define SECBOOT_ECDSA_COORD 48u
#define SECBOOT_ECDSA_KEY 96u    /* X || Y */
#define SECBOOT_ECDSA_BLOCK 192u /* X || Y || R || S */
#define SECBOOT_RSA_MOD 384u
#define SECBOOT_RSA_EXP 8u     /* E, big-endian, zero-padded to 8 bytes */
#define SECBOOT_RSA_KEY 392u   /* N || E */
#define SECBOOT_RSA_BLOCK 776u /* N || E || S */
#define SECBOOT_PSS_SALT 48u   /* PSS salt length = the SHA-384 digest length */

typedef struct secboot_payload_header {
    uint32_t struct_version;
    uint32_t length; /* header + payload */
    uint64_t payload_version;
    uint64_t payload_svn;
    uint32_t algorithm;
} secboot_payload_header;

/*
 * Decode the header of the signed payload `signed_payload` (Header || Payload || SignatureBlock,
 * exactly) and check its shape, in this order: at least 48 bytes; the GUID; StructVersion 1;
 * Reserved 0; 48 <= Length <= the size; SigningAlgorithm 1 or 2; the bytes after Length exactly
 * that algorithm's signature block (192 or 776). No cryptography.
 */
TDS_MUST_USE tds_status secboot_header_parse(tds_bytes signed_payload, secboot_payload_header *out,
                                             secboot_error *err);

/* What a successful verification establishes. */
typedef enum secboot_format { SECBOOT_FORMAT_TDSHIM = 1, SECBOOT_FORMAT_COSE = 2 } secboot_format;

typedef struct secboot_result {
    secboot_format format;
    uint32_t algorithm; /* SECBOOT_ALG_* (COSE: ECDSA) */
    uint64_t svn;
    uint64_t version;  /* payload version (0 when a COSE message carries none) */
    tds_bytes payload; /* the authenticated payload bytes (inside the caller's input) */
    uint8_t key_hash[SECBOOT_SHA384_LEN]; /* = policy->key_hash */
} secboot_result;

/*
 * Verify a td-shim signed payload against `policy`. Order: secboot_header_parse; the key's
 * encoding (RSA: N's top bit set and N odd, E odd, 3 <= E < 2^32; ECDSA: X||Y a point on P-384);
 * the signature's range (RSA: S < N; ECDSA: 0 < r, s < n); the trust check (SHA-384 of the key
 * bytes, N||E or X||Y, equals policy->key_hash); the signature over Header||Payload (SHA-384; RSA:
 * RSASSA-PSS with MGF1-SHA-384 and a 48-byte salt, RFC 8017 8.1; ECDSA: FIPS 186-5); then the SVN
 * floor (PayloadSVN >= policy->min_svn, checked only once the SVN is authentic).
 */
TDS_MUST_USE tds_status secboot_verify_tdshim(tds_bytes signed_payload,
                                              const secboot_policy *policy, secboot_result *out,
                                              secboot_error *err);

/* ---- 3. the bounded CBOR reader (RFC 8949) --------------------------------------------------- */

#define SECBOOT_CBOR_MAX_DEPTH 8u /* the top item is at depth 1 */
#define SECBOOT_CBOR_MAX_MAP 32u  /* pairs in one map */

enum secboot_cbor_major {
    SECBOOT_CBOR_UINT = 0,
    SECBOOT_CBOR_NEGINT = 1, /* value -1 - arg */
    SECBOOT_CBOR_BSTR = 2,
    SECBOOT_CBOR_TSTR = 3,
    SECBOOT_CBOR_ARRAY = 4,
    SECBOOT_CBOR_MAP = 5,
    SECBOOT_CBOR_TAG = 6,
    SECBOOT_CBOR_SIMPLE = 7 /* only 20 false, 21 true, 22 null, 23 undefined */
};

/* One decoded head. */
typedef struct secboot_cbor_item {
    uint8_t major; /* secboot_cbor_major */
    uint64_t arg;  /* UINT/NEGINT: the argument; strings: byte count; ARRAY: items; MAP: pairs;
                      TAG: the tag number; SIMPLE: 20..23 */
    tds_bytes str; /* BSTR/TSTR: the bytes (inside the input); otherwise empty */
    size_t offset; /* offset of the head in the reader's input */
} secboot_cbor_item;

typedef struct secboot_cbor_reader {
    tds_cursor cur;
} secboot_cbor_reader;

static inline secboot_cbor_reader secboot_cbor_reader_make(tds_bytes in)
{
    secboot_cbor_reader r = {tds_cursor_make(in)};
    return r;
}

/*
 * Read one head (and a string's bytes) and advance. Refuses: truncation, additional information
 * 28..30, indefinite lengths and breaks (31), floats and simple values other than 20..23, a text
 * string that is not UTF-8, and a string length or an array/map count that cannot fit in what is
 * left of the input. Does not track nesting: see secboot_cbor_check.
 */
TDS_MUST_USE tds_status secboot_cbor_next(secboot_cbor_reader *r, secboot_cbor_item *out,
                                          secboot_error *err);

/*
 * Is `doc` exactly one CBOR data item in this profile? secboot_cbor_next's rules for every head,
 * nesting at most SECBOOT_CBOR_MAX_DEPTH, maps of at most SECBOOT_CBOR_MAX_MAP pairs whose keys
 * are integers or strings and pairwise different by value, and no bytes after the item. Text
 * strings must be valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF); secboot_cbor_next checks that too.
 */
TDS_MUST_USE tds_status secboot_cbor_check(tds_bytes doc, secboot_error *err);

/* ---- 4. COSE_Sign1 with ES384 ---------------------------------------------------------------- */

#define SECBOOT_COSE_TAG_SIGN1 18u
#define SECBOOT_COSE_ALG_ES384 (-35)
#define SECBOOT_COSE_LABEL_ALG 1
#define SECBOOT_COSE_LABEL_KID 4
/* Private-use labels (RFC 9052 3.1: below -65536) of this profile, in the protected header. */
#define SECBOOT_COSE_LABEL_SVN (-65537)
#define SECBOOT_COSE_LABEL_VERSION (-65538)
#define SECBOOT_COSE_SIG 96u /* r || s, RFC 9053 2.1 */

/* A COSE_Sign1 message, decoded (slices into the message). */
typedef struct secboot_cose {
    tds_bytes protected_bstr; /* the protected header's bytes (the bstr's content) */
    tds_bytes kid;            /* the public key X || Y (96 bytes) */
    uint64_t svn;
    uint64_t version;
    bool has_version;
    bool detached;     /* payload nil */
    tds_bytes payload; /* attached payload (empty when detached) */
    tds_bytes signature;
} secboot_cose;

/*
 * Decode `msg`, a COSE_Sign1 message in this profile (docs/libsecboot.md): secboot_cbor_check on
 * the whole message first; then an optional tag 18; an array of 4; the protected header a bstr
 * holding one CBOR map (itself secboot_cbor_check'ed) with alg (1) = -35, kid (4) a 96-byte bstr,
 * SVN (-65537) an unsigned integer, optionally the payload version (-65538) an unsigned integer,
 * and no other label; the unprotected header an empty map; the payload a bstr or nil; the
 * signature a 96-byte bstr. No cryptography.
 */
TDS_MUST_USE tds_status secboot_cose_parse(tds_bytes msg, secboot_cose *out, secboot_error *err);

/*
 * Verify a COSE_Sign1 message against `policy`. `detached` is NULL for a message with an attached
 * payload, or the payload for a message whose payload is nil. Order: secboot_cose_parse; the
 * payload mode; the key (a point on P-384); r and s in range; the trust check (SHA-384 of kid ==
 * policy->key_hash); the ES384 signature over the Sig_structure ["Signature1", protected, h'',
 * payload] (RFC 9052 4.4); then the SVN floor.
 */
TDS_MUST_USE tds_status secboot_verify_cose(tds_bytes msg, const tds_bytes *detached,
                                            const secboot_policy *policy, secboot_result *out,
                                            secboot_error *err);

/* ---- 5. the boot policy: what the shim enforces, shared with tdshim-measure ---------------- */

/*
 * The image's secure-boot record: 32 bytes at SECBOOT_IMAGE_REC_OFFSET of the BFV's first page
 * (the metadata page, in MRTD: the BFV is PAGE.ADDed with MR.EXTEND), written by
 * `tdshim-image --require-secure-boot`. All zero (every image without the option): no flags.
 * Else: GUID cfc5d638-98fe-4493-9341-343ed9982797, u32 Version 1, u32 Flags (only
 * SECBOOT_IMAGE_REQUIRED defined), 8 bytes zero.
 */
extern const tds_guid secboot_guid_image_rec;
#define SECBOOT_IMAGE_REC_OFFSET 0xFE0u
#define SECBOOT_IMAGE_REC_SIZE 32u
#define SECBOOT_IMAGE_REC_VERSION 1u
#define SECBOOT_IMAGE_REQUIRED                                                                     \
    0x1u /* secure boot required: a CFV without a trust anchor is fatal */

/* Decode the record `rec` (exactly 32 bytes) into *flags. Refuses (SECBOOT_R_IMAGE_FLAGS,
 * MALFORMED) any record that is neither all zero nor the exact form above. */
TDS_MUST_USE tds_status secboot_image_flags(tds_bytes rec, uint32_t *flags, secboot_error *err);

/*
 * Is secure boot enforced, given the CFV and the image's flags? `cfv` is the CFV as the firmware
 * reads it. Rules: the CFV parses with a trust anchor: enforced, *policy written. The CFV has no
 * trust-anchor file (SECBOOT_R_CFV_NO_KEY): not enforced (*enforced false), unless `required`,
 * then SECBOOT_R_REQUIRED (POLICY). Any other CFV error: that error (a damaged secure-boot file
 * never turns enforcement off).
 */
TDS_MUST_USE tds_status secboot_decide(tds_bytes cfv, bool required, bool *enforced,
                                       secboot_policy *policy, secboot_error *err);

/*
 * The data of the "secure_policy_db" event (docs/secure-boot.md 5): the trust-anchor file's 88
 * data bytes as in `cfv` (td-shim's event), then, when the CFV has one, the minimum-SVN file's 16
 * data bytes (this project's floor, so that it is measured too). `policy` must come from
 * secboot_cfv_parse (or secboot_decide) of the same `cfv`. *len = 88 or 104.
 */
#define SECBOOT_POLICY_DB_MAX (SECBOOT_CFV_KEY_DATA + SECBOOT_CFV_SVN_DATA)
TDS_MUST_USE tds_status secboot_policy_db(tds_bytes cfv, const secboot_policy *policy,
                                          uint8_t out[SECBOOT_POLICY_DB_MAX], size_t *len);

/*
 * Verify a payload section `in` (a signed object, then only zero bytes: the image's padding or the
 * rest of a VMM-placed region) against `policy`. One starting with the signed-payload GUID is
 * td-shim's format: its extent is Length + the block of its SigningAlgorithm (hdr-truncated,
 * hdr-algorithm, hdr-length), then secboot_verify_tdshim on exactly that. One starting with a CBOR
 * tag 18 head (0xD2) or an array-of-4 head (0x84) is a COSE_Sign1 with its payload attached: its
 * extent is its first CBOR item (secboot_cbor_next's rules), then secboot_verify_cose. A non-zero
 * byte after the object: sig-block-size (td-shim) or cbor-trailing (COSE) at its offset. Anything
 * else is SECBOOT_R_UNSIGNED (NOT_FOUND) at offset 0. result->payload is inside `in`.
 */
TDS_MUST_USE tds_status secboot_verify_payload(tds_bytes in, const secboot_policy *policy,
                                               secboot_result *out, secboot_error *err);

/*
 * The detached payload a fw_cfg Linux boot is signed over: the 16 bytes of
 * SECBOOT_LINUX_MAGIC ("TDSHIM-LINUX-V1" and a NUL), then SHA-384 of the kernel file in the
 * measured form (liblinux lnx_measured_form: the loader-owned setup-header fields zeroed), of the
 * initrd (of no bytes when there is none) and of the command line with its NUL: the three digests
 * the shim extends into RTMR1. 160 bytes.
 */
#define SECBOOT_LINUX_MAGIC "TDSHIM-LINUX-V1"
#define SECBOOT_LINUX_PAYLOAD (16u + 3u * SECBOOT_SHA384_LEN)
/* The fw_cfg file that carries the detached COSE_Sign1 message, and its size limit. */
#define SECBOOT_LINUX_SIG_FILE "opt/tdshim/payload-sig"
#define SECBOOT_LINUX_SIG_MAX 4096u

void secboot_linux_payload(const uint8_t kernel[SECBOOT_SHA384_LEN],
                           const uint8_t initrd[SECBOOT_SHA384_LEN],
                           const uint8_t cmdline[SECBOOT_SHA384_LEN],
                           uint8_t out[SECBOOT_LINUX_PAYLOAD]);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_SECBOOT_H */
