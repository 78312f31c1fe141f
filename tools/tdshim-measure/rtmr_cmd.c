/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* tdshim-measure rtmr: reference RTMRs (docs/tools/tdshim-measure.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure_image.h"
#include "rtmr_cmd.h"
#include "refvalues.h"
#include "mrtd.h"
#include "rtmr_ref.h"
#include "tdshim/linux_boot.h"
#include "tdshim/secboot.h"
#include "tool_io.h"

static void rtmr_usage(FILE *f)
{
    fprintf(f,
            "usage: tdshim-measure rtmr --hob FILE [--hob-gpa GPA] [--gpaw 48|52]\n"
            "                           [--image IMAGE [--payload-file FILE]\n"
            "                            [--param-file FILE] [--acpi-file FILE...] |\n"
            "                            [--separators] [--payload FILE [--payload-base GPA]]\n"
            "                            [--payload-param FILE | --cmdline STR] |\n"
            "                            --linux-kernel FILE [--linux-initrd FILE]\n"
            "                            [--linux-cmdline STR] --acpi-file FILE...\n"
            "                            [--cfv FILE --payload-sig FILE]]\n"
            "                           [--json] [--log-out FILE] [--cbor FILE]\n"
            "  prints the reference RTMR0..3 (96 hex digits each) for a TD HOB and, with --image,\n"
            "  the image's payload section in the shim's executable-payload order (HOB, payload,\n"
            "  separators); --payload-file gives the bytes the VMM loads into an image's\n"
            "  VMM-placed payload region (measured: the file, then zeros to the region size);\n"
            "  --payload/--separators/--payload-param give td-shim's Linux order;\n"
            "  --linux-kernel/--linux-initrd/--linux-cmdline: the shim booting a kernel from\n"
            "  QEMU fw_cfg (-kernel -initrd -append; the command line as QEMU passes it, with\n"
            "  its NUL; no initrd is an empty one), in the shim's Linux plan; the kernel is\n"
            "  measured with the loader-owned fields of its setup header zeroed\n"
            "  --acpi-file (repeatable, at least one with --linux-kernel): QEMU's ACPI data as\n"
            "  fw_cfg serves it, one ACPI DATA event (RTMR0) per file in the order given: the\n"
            "  etc/table-loader script first, then each file it ALLOCATEs in script order\n"
            "  --image with a VMM-placed region and a --payload-file that is a bzImage (0xAA55\n"
            "  at 0x1FE, \"HdrS\" at 0x202): the shim's Linux plan for a kernel from the region:\n"
            "  the command line from the image's PayloadParam data, or from --param-file (what\n"
            "  the VMM writes into a VMM-filled PayloadParam region), else the TD HOB's command\n"
            "  line GUID HOB, else empty; no initrd; with --acpi-file (fw_cfg present) QEMU's\n"
            "  ACPI data first, without it the plan without ACPI (the shim's own tables)\n"
            "  --cfv FILE with --linux-kernel: the image's CFV (tdshim-enroll --cfv-out); with a\n"
            "  trust anchor in it the shim verifies the boot (secure boot): --payload-sig is\n"
            "  the detached COSE_Sign1 the VMM gives as fw_cfg opt/tdshim/payload-sig\n"
            "  (tdshim-sign --format linux), and the plan gets the secure-boot events\n"
            "  (an --image with an enrolled CFV gets them for its payload the same way)\n"
            "  --log-out writes the expected CC event log\n"
            "  --cbor writes the reference values (MRTD with --image, RTMR0..3, SHA-384 of\n"
            "         the log, event count) as one CBOR map for a verifier\n");
}

static int usage_error(const char *why)
{
    fprintf(stderr, "tdshim-measure rtmr: %s\n", why);
    rtmr_usage(stderr);
    return 2;
}

static int read_input(const char *what, const char *path, uint8_t **buf, size_t *len)
{
    const tds_status st = tool_read_file(path, buf, len);
    if (st != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: cannot read %s '%s': %s\n", what, path,
                tool_io_error());
        return 1;
    }
    return 0;
}

/* The kernel file as the shim measures it: its setup part in liblinux's measured form (the
 * loader-owned header fields zeroed), then the rest unchanged. */
static int kernel_measured_form(const char *path, uint8_t *file, size_t len)
{
    tds_bytes setup;
    tds_bytes rest;
    lnx_error err;
    if (lnx_split_bzimage(tds_bytes_make(file, len), &setup, &rest, &err) != TDS_OK ||
        lnx_measured_form(tds_mut_bytes_make(file, setup.len), &err) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: %s is not a bzImage: %s (%s at 0x%llx)\n", path,
                lnx_reason_text(err.reason), lnx_reason_str(err.reason),
                (unsigned long long)err.offset);
        return 1;
    }
    return 0;
}

static void print_hex(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
}

typedef struct rtmr_args {
    const char *hob;
    const char *image;
    const char *payload_file; /* --image with a VMM-placed payload: what the VMM loads */
    bool payload_base_set;
    const char *payload;
    const char *param;
    const char *cmdline;
    const char *linux_kernel;
    const char *linux_initrd;
    const char *linux_cmdline;
    const char *cfv;         /* --linux-kernel under secure boot: the CFV */
    const char *payload_sig; /* and the detached signature */
    const char *param_file; /* --image with a VMM-filled PayloadParam region: what the VMM writes */
    uint8_t *owned_kernel;  /* a region kernel's measured bytes (freed by rtmr_main) */
    uint8_t *owned_cmdline; /* its command line (freed by rtmr_main) */
    const char **acpi_files; /* --acpi-file, in the order given (room for argc entries) */
    size_t acpi_n;
    const char *log_out;
    const char *cbor_out; /* --cbor: reference values for a verifier (refvalues.h) */
    bool json;
    secboot_policy sb_policy; /* the CFV's policy when secure boot is enforced */
    tds_bytes sb_cfv;         /* the CFV it was read from */
    uint8_t sb_db[SECBOOT_POLICY_DB_MAX];
    rtmr_ref_input in;
} rtmr_args;

/* 0 on success, 2 on a usage error (reported). acpi_slots has room for argc entries. */
static int parse_args(int argc, char **argv, rtmr_args *a, const char **acpi_slots)
{
    memset(a, 0, sizeof *a);
    a->acpi_files = acpi_slots;
    a->in.gpaw = 48;
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n = 0;
        if (strcmp(o, "--json") == 0) {
            a->json = true;
        } else if (strcmp(o, "--separators") == 0) {
            a->in.separators = true;
        } else if (v == NULL) {
            return usage_error("unknown option or missing value");
        } else if (strcmp(o, "--hob") == 0) {
            a->hob = v;
        } else if (strcmp(o, "--image") == 0) {
            a->image = v;
        } else if (strcmp(o, "--payload-file") == 0) {
            a->payload_file = v;
        } else if (strcmp(o, "--payload") == 0) {
            a->payload = v;
        } else if (strcmp(o, "--param-file") == 0) {
            a->param_file = v;
        } else if (strcmp(o, "--payload-param") == 0) {
            a->param = v;
        } else if (strcmp(o, "--cmdline") == 0) {
            a->cmdline = v;
        } else if (strcmp(o, "--linux-kernel") == 0) {
            a->linux_kernel = v;
        } else if (strcmp(o, "--linux-initrd") == 0) {
            a->linux_initrd = v;
        } else if (strcmp(o, "--linux-cmdline") == 0) {
            a->linux_cmdline = v;
        } else if (strcmp(o, "--cfv") == 0) {
            a->cfv = v;
        } else if (strcmp(o, "--payload-sig") == 0) {
            a->payload_sig = v;
        } else if (strcmp(o, "--acpi-file") == 0) {
            a->acpi_files[a->acpi_n++] = v; /* fewer than argc options */
        } else if (strcmp(o, "--log-out") == 0) {
            a->log_out = v;
        } else if (strcmp(o, "--cbor") == 0) {
            a->cbor_out = v;
        } else if (strcmp(o, "--hob-gpa") == 0) {
            if (tool_parse_u64(v, &n) != TDS_OK) {
                return usage_error("bad --hob-gpa");
            }
            a->in.hob_gpa_known = true;
            a->in.hob_gpa = n;
        } else if (strcmp(o, "--payload-base") == 0) {
            if (tool_parse_u64(v, &n) != TDS_OK) {
                return usage_error("bad --payload-base");
            }
            a->in.payload_base = n;
            a->payload_base_set = true;
        } else if (strcmp(o, "--gpaw") == 0) {
            if (tool_parse_u64(v, &n) != TDS_OK || (n != 48 && n != 52)) {
                return usage_error("--gpaw must be 48 or 52");
            }
            a->in.gpaw = (uint32_t)n;
        } else {
            return usage_error("unknown option");
        }
        if (strcmp(o, "--json") != 0 && strcmp(o, "--separators") != 0) {
            i++;
        }
    }
    if (a->hob == NULL) {
        return usage_error("--hob FILE is required");
    }
    if (a->param != NULL && a->cmdline != NULL) {
        return usage_error("--payload-param and --cmdline are exclusive");
    }
    if (a->image != NULL &&
        (a->payload != NULL || a->payload_base_set || a->param != NULL || a->cmdline != NULL)) {
        return usage_error("--image takes the payload from the image: no --payload, "
                           "--payload-base, --payload-param or --cmdline");
    }
    if ((a->linux_initrd != NULL || a->linux_cmdline != NULL) && a->linux_kernel == NULL) {
        return usage_error("--linux-initrd and --linux-cmdline go with --linux-kernel");
    }
    if (a->acpi_n != 0 && a->linux_kernel == NULL && a->image == NULL) {
        return usage_error("--acpi-file goes with --linux-kernel or --image (only the shim's "
                           "Linux plans measure QEMU's ACPI tables)");
    }
    if (a->param_file != NULL && (a->image == NULL || a->payload_file == NULL)) {
        return usage_error("--param-file goes with --image and --payload-file (a kernel the VMM "
                           "places, with its command line in a VMM-filled PayloadParam region)");
    }
    if (a->linux_kernel != NULL && a->acpi_n == 0) {
        return usage_error("the Linux plan measures QEMU's ACPI tables before the kernel: give "
                           "the fw_cfg etc/table-loader script and then each file it ALLOCATEs, "
                           "in script order, with --acpi-file FILE (at least one)");
    }
    if (a->linux_kernel != NULL && (a->image != NULL || a->payload != NULL || a->param != NULL ||
                                    a->cmdline != NULL || a->in.separators)) {
        return usage_error("--linux-kernel is the shim's Linux plan: no --image, --payload, "
                           "--payload-param, --cmdline or --separators");
    }
    if ((a->cfv != NULL || a->payload_sig != NULL) && a->linux_kernel == NULL) {
        return usage_error("--cfv and --payload-sig go with --linux-kernel (an --image brings its "
                           "own CFV)");
    }
    if (a->payload_file != NULL && a->image == NULL) {
        return usage_error("--payload-file goes with --image (an image whose payload the VMM "
                           "places); without an image use --payload");
    }
    return 0;
}

static void print_result(const rtmr_args *a, const rtmr_bank *bank, size_t log_len)
{
    if (a->json) {
        printf("{");
        for (unsigned i = 0; i < RTMR_COUNT; i++) {
            printf("%s\"rtmr%u\":\"", i == 0 ? "" : ",", i);
            print_hex(bank->r[i].b, RTMR_SHA384_SIZE);
            printf("\"");
        }
        printf(",\"log_bytes\":%zu}\n", log_len);
        return;
    }
    for (unsigned i = 0; i < RTMR_COUNT; i++) {
        printf("RTMR%u ", i);
        print_hex(bank->r[i].b, RTMR_SHA384_SIZE);
        printf("\n");
    }
}

static int compute(rtmr_args *a, refvalues *ref)
{
    size_t cap = 0;
    if (rtmr_ref_area_size(&a->in, &cap) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: inputs too large\n");
        return 1;
    }
    uint8_t *area = malloc(cap);
    if (area == NULL) {
        fprintf(stderr, "tdshim-measure rtmr: out of memory\n");
        return 1;
    }
    ccel_log log;
    rtmr_bank bank;
    tdhob_error herr;
    memset(&herr, 0, sizeof herr);
    int rc = 1;
    const tds_status st =
        rtmr_ref_compute(&a->in, &log, tds_mut_bytes_make(area, cap), &bank, &herr);
    if (st != TDS_OK) {
        if (herr.reason != TDHOB_R_NONE) {
            fprintf(stderr,
                    "tdshim-measure rtmr: invalid TD HOB: %s (hob at +0x%zx, field +0x%zx, type "
                    "%u, value 0x%" PRIx64 "): the shim would stop with FATAL 0x4001\n",
                    tdhob_reason_str(herr.reason), herr.hob_offset, herr.field_offset,
                    (unsigned)herr.hob_type, herr.value);
        } else {
            fprintf(stderr, "tdshim-measure rtmr: %s\n", tds_status_str(st));
        }
        goto out;
    }
    const tds_bytes lb = ccel_log_bytes(&log);
    if (a->log_out != NULL && tool_write_file(a->log_out, lb.ptr, lb.len) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: cannot write '%s': %s\n", a->log_out,
                tool_io_error());
        goto out;
    }
    ref->rtmr = bank;
    ref->ccel_events = log.event_count;
    if (rtmr_sha384(lb, &ref->ccel_sha384) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: SHA-384 of the log failed\n");
        goto out;
    }
    print_result(a, &bank, lb.len);
    rc = 0;
out:
    free(area);
    return rc;
}

static void image_error(const rtmr_args *a, tds_status st, const tdvf_error *err, const char *hint)
{
    fprintf(stderr, "tdshim-measure rtmr: image '%s': %s: %s", a->image, tds_status_str(st),
            err->what);
    if (err->section != UINT32_MAX) {
        fprintf(stderr, " (section %" PRIu32 ")", err->section);
    }
    fprintf(stderr, "%s\n", hint);
}

/*
 * A VMM-placed payload (docs/handoff.md 1): the measured bytes are the whole region as the TD
 * finds it, the --payload-file bytes the VMM loads at its start and the zeros the VMM added the
 * region with. *region is malloc'd here (freed by the caller). 0 or 1 (reported).
 */
static int vmm_region(const rtmr_args *a, const tdvf_section *sec, uint32_t index, tds_bytes file,
                      uint8_t **region)
{
    if (a->payload_file == NULL) {
        fprintf(stderr,
                "tdshim-measure rtmr: image '%s': the payload (section %" PRIu32
                ") is placed by the VMM (no bytes in the image): give the file the VMM loads at "
                "GPA 0x%" PRIx64 " with --payload-file FILE\n",
                a->image, index, sec->mem_addr);
        return 1;
    }
    if (file.len == 0) {
        fprintf(stderr, "tdshim-measure rtmr: payload file '%s' is empty\n", a->payload_file);
        return 1;
    }
    if ((uint64_t)file.len > sec->mem_size) {
        fprintf(stderr,
                "tdshim-measure rtmr: payload file '%s' (%zu bytes) is larger than the "
                "VMM-placed payload region (section %" PRIu32 ", 0x%" PRIx64
                " bytes at GPA 0x%" PRIx64 ")\n",
                a->payload_file, file.len, index, sec->mem_size, sec->mem_addr);
        return 1;
    }
    if (sec->mem_size > MEASURE_VMM_REGION_MAX) {
        fprintf(stderr,
                "tdshim-measure rtmr: image '%s': the VMM-placed payload region (0x%" PRIx64
                " bytes) is larger than this tool's limit of 0x%" PRIx64 " bytes\n",
                a->image, sec->mem_size, MEASURE_VMM_REGION_MAX);
        return 1;
    }
    const size_t size = (size_t)sec->mem_size;
    *region = malloc(size);
    if (*region == NULL) {
        fprintf(stderr, "tdshim-measure rtmr: out of memory for a 0x%zx-byte region\n", size);
        return 1;
    }
    if (measure_vmm_region(file, tds_mut_bytes_make(*region, size)) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: cannot lay out the VMM-placed region\n");
        return 1;
    }
    return 0;
}

/*
 * The command line the shim takes from a PayloadParam section's bytes (lnx_region_cmdline): up
 * to and including the first NUL within the section (and 1 MiB). 0 or 1 (reported).
 */
static int param_cmdline(rtmr_args *a, tds_bytes section, const char *what)
{
    const size_t cap = section.len < 0x100000u ? section.len : 0x100000u;
    a->owned_cmdline = malloc(cap != 0 ? cap : 1u);
    size_t len = 0;
    lnx_error err;
    if (a->owned_cmdline == NULL ||
        lnx_region_cmdline(tds_bytes_make(section.ptr, cap),
                           tds_mut_bytes_make(a->owned_cmdline, cap), &len, &err) != TDS_OK) {
        fprintf(stderr,
                "tdshim-measure rtmr: %s: no NUL-terminated command line in the PayloadParam "
                "section: the shim would stop with FATAL 0x8011\n",
                what);
        return 1;
    }
    a->in.cmdline = tds_bytes_make(a->owned_cmdline, len);
    return 0;
}

/*
 * A bzImage in a VMM-placed region (docs/linux-boot.md): the shim's Linux plan. `region` is the
 * whole region as the TD finds it. 0 or 1 (reported).
 */
static int use_region_kernel(rtmr_args *a, const tdvf_meta *meta, tds_bytes image,
                             const tdvf_section *sec, tds_bytes region)
{
    uint32_t setup = 0;
    uint64_t kernel = 0;
    lnx_error err;
    if (lnx_region_kernel(region, sec->mem_size, &setup, &kernel, &err) != TDS_OK) {
        fprintf(stderr,
                "tdshim-measure rtmr: payload file '%s': %s (%s): the shim would stop with "
                "FATAL 0x8010\n",
                a->payload_file, lnx_reason_text(err.reason), lnx_reason_str(err.reason));
        return 1;
    }
    const size_t total = (size_t)(setup + kernel); /* inside the region, checked above */
    a->owned_kernel = malloc(total);
    if (a->owned_kernel == NULL) {
        fprintf(stderr, "tdshim-measure rtmr: out of memory\n");
        return 1;
    }
    memcpy(a->owned_kernel, region.ptr, total);
    if (kernel_measured_form(a->payload_file, a->owned_kernel, total) != 0) {
        return 1;
    }
    const tdvf_section *ps = NULL;
    tdvf_payload_kind pk = TDVF_PAYLOAD_IMAGE;
    tdvf_error terr = {"", UINT32_MAX};
    const tds_status pst = tdvf_find_payload_param(meta, image.len, &ps, &pk, &terr);
    if (pst != TDS_OK && pst != TDS_ERR_NOT_FOUND) {
        image_error(a, pst, &terr, "; the shim would refuse it");
        return 1;
    }
    if (pst == TDS_ERR_NOT_FOUND) {
        if (a->param_file != NULL) {
            fprintf(stderr,
                    "tdshim-measure rtmr: image '%s' has no PayloadParam section for "
                    "--param-file\n",
                    a->image);
            return 1;
        }
        a->in.cmdline_from_hob = true;
    } else if (pk == TDVF_PAYLOAD_IMAGE) {
        if (a->param_file != NULL) {
            fprintf(stderr,
                    "tdshim-measure rtmr: image '%s' carries its PayloadParam data: no "
                    "--param-file\n",
                    a->image);
            return 1;
        }
        if (param_cmdline(a, tds_bytes_make(image.ptr + ps->data_offset, ps->raw_size), a->image) !=
            0) {
            return 1;
        }
    } else {
        if (a->param_file == NULL) {
            fprintf(stderr,
                    "tdshim-measure rtmr: image '%s': the PayloadParam section is filled by the "
                    "VMM: give what it writes at GPA 0x%" PRIx64 " with --param-file FILE\n",
                    a->image, ps->mem_addr);
            return 1;
        }
        uint8_t *pf = NULL;
        size_t pf_len = 0;
        if (read_input("PayloadParam file", a->param_file, &pf, &pf_len) != 0) {
            return 1;
        }
        if ((uint64_t)pf_len > ps->mem_size) {
            fprintf(stderr, "tdshim-measure rtmr: --param-file '%s' is larger than the region\n",
                    a->param_file);
            free(pf);
            return 1;
        }
        /* What the TD finds: the file, then the zeros the region was added with. */
        const size_t cap = ps->mem_size < 0x100000u ? (size_t)ps->mem_size : 0x100000u;
        uint8_t *sect = calloc(1, cap);
        int rc = 1;
        if (sect != NULL) {
            memcpy(sect, pf, pf_len < cap ? pf_len : cap);
            rc = param_cmdline(a, tds_bytes_make(sect, cap), a->param_file);
        }
        free(sect);
        free(pf);
        if (rc != 0) {
            return 1;
        }
    }
    a->in.has_linux = true;
    a->in.has_payload = false;
    a->in.separators = false;
    a->in.kernel = tds_bytes_make(a->owned_kernel, total);
    a->in.initrd = tds_bytes_make(NULL, 0);
    a->in.plan = a->acpi_n != 0 ? &ccel_boot_plan_linux : &ccel_boot_plan_linux_no_acpi;
    for (uint32_t i = 0; i < meta->count && !a->in.hob_gpa_known; i++) {
        if (meta->sec[i].type == TDVF_SEC_TD_HOB) {
            a->in.hob_gpa_known = true;
            a->in.hob_gpa = meta->sec[i].mem_addr;
        }
    }
    return 0;
}

/*
 * Secure boot as the shim decides it (docs/secure-boot.md 4): the image's secure-boot record in
 * the BFV's metadata page and the CFV section's bytes. *enforced says whether the shim verifies
 * payloads; with it, a->in gets the CFV for "secure_policy_db". 0 or 1 (reported: the shim would
 * refuse to boot).
 */
static int image_secure(rtmr_args *a, const tdvf_meta *meta, tds_bytes image, bool *enforced)
{
    const tdvf_section *bfv = NULL;
    const tdvf_section *cfv = NULL;
    for (uint32_t i = 0; i < meta->count; i++) {
        const tdvf_section *s = &meta->sec[i];
        if (s->type == TDVF_SEC_BFV && s->mem_addr + s->mem_size == 0x100000000ull && bfv == NULL) {
            bfv = s;
        }
        if (s->type == TDVF_SEC_CFV && cfv == NULL) {
            cfv = s;
        }
    }
    tds_bytes rec;
    tds_bytes cb;
    if (bfv == NULL || cfv == NULL ||
        tds_bytes_sub(image, (size_t)bfv->data_offset + SECBOOT_IMAGE_REC_OFFSET,
                      SECBOOT_IMAGE_REC_SIZE, &rec) != TDS_OK ||
        tds_bytes_sub(image, cfv->data_offset, cfv->raw_size, &cb) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: image '%s': no shim BFV or no CFV section\n",
                a->image);
        return 1;
    }
    uint32_t flags = 0;
    secboot_error e = {SECBOOT_R_NONE, 0};
    secboot_policy pol;
    if (secboot_image_flags(rec, &flags, &e) != TDS_OK ||
        secboot_decide(cb, (flags & SECBOOT_IMAGE_REQUIRED) != 0, enforced, &pol, &e) != TDS_OK) {
        fprintf(stderr,
                "tdshim-measure rtmr: image '%s': secure boot: %s (%s) at offset %" PRIu64
                ": the shim would refuse to boot\n",
                a->image, secboot_reason_str(e.reason), secboot_reason_text(e.reason), e.offset);
        return 1;
    }
    if (*enforced) {
        size_t n = 0;
        if (secboot_policy_db(cb, &pol, a->sb_db, &n) != TDS_OK) {
            fprintf(stderr, "tdshim-measure rtmr: image '%s': CFV policy files\n", a->image);
            return 1;
        }
        a->in.secure = true;
        a->in.policy_db = tds_bytes_make(a->sb_db, n);
        a->sb_cfv = cb;
        a->sb_policy = pol;
    }
    return 0;
}

/* Verify a payload section as the shim does; sets the authority and SVN events' inputs and
 * *inner (the authenticated payload). 0 or 1 (reported). */
static int verify_section(rtmr_args *a, tds_bytes section, const char *what, tds_bytes *inner)
{
    secboot_result r;
    secboot_error e = {SECBOOT_R_NONE, 0};
    if (secboot_verify_payload(section, &a->sb_policy, &r, &e) != TDS_OK) {
        fprintf(stderr,
                "tdshim-measure rtmr: %s: secure boot refuses it: %s (%s) at offset %" PRIu64
                ": the shim would stop on its fatal path\n",
                what, secboot_reason_str(e.reason), secboot_reason_text(e.reason), e.offset);
        return 1;
    }
    a->in.trust_anchor =
        tds_bytes_make(a->sb_cfv.ptr + a->sb_policy.key_file_offset, SECBOOT_CFV_KEY_DATA);
    a->in.svn = r.svn;
    *inner = r.payload;
    return 0;
}

/*
 * --image: the payload section's bytes (file + padding, as the shim hashes them; for a VMM-placed
 * payload the whole region, see vmm_region), its GPA and size for the event, the
 * executable-payload order with separators, and, unless --hob-gpa was given, the HOB GPA from the
 * image's TD_HOB section (what the shim uses). 0 or 1 (reported).
 */
static int use_image(rtmr_args *a, tds_bytes image, tds_bytes file, uint8_t **region)
{
    tdvf_meta meta;
    const tdvf_section *sec = NULL;
    tdvf_payload_kind kind = TDVF_PAYLOAD_IMAGE;
    tds_bytes bytes;
    tdvf_error err = {"", UINT32_MAX};
    const tds_status st = measure_image_payload(image, &meta, &sec, &kind, &bytes, &err);
    if (st != TDS_OK) {
        image_error(a, st, &err,
                    st == TDS_ERR_NOT_FOUND
                        ? "; the shim then logs only td_hob and the separators (--separators)"
                        : "; the shim would refuse it");
        return 1;
    }
    const uint32_t index = (uint32_t)(sec - meta.sec);
    bool secure = false;
    if (image_secure(a, &meta, image, &secure) != 0) {
        return 1;
    }
    if (kind == TDVF_PAYLOAD_VMM) {
        if (vmm_region(a, sec, index, file, region) != 0) {
            return 1;
        }
        bytes = tds_bytes_make(*region, (size_t)sec->mem_size);
        tds_bytes inner = bytes;
        if (secure && verify_section(a, bytes, a->payload_file, &inner) != 0) {
            return 1;
        }
        uint32_t su = 0;
        uint64_t ks = 0;
        lnx_error lerr;
        const bool kernel = inner.len >= LNX_REGION_HEAD &&
                            (lnx_region_kernel(tds_bytes_make(inner.ptr, LNX_REGION_HEAD),
                                               inner.len, &su, &ks, &lerr) == TDS_OK ||
                             (lerr.reason != LNX_R_BOOT_FLAG && lerr.reason != LNX_R_MAGIC));
        if (kernel && secure) {
            /* A signed kernel: the authenticated payload inside the region, on the region's
             * Linux plan with the secure-boot events first (as the shim). */
            tdvf_section k = *sec;
            k.mem_size = inner.len;
            if (use_region_kernel(a, &meta, image, &k, inner) != 0) {
                return 1;
            }
            a->in.plan = a->acpi_n != 0 ? &ccel_boot_plan_linux_region_secure
                                        : &ccel_boot_plan_linux_region_secure_no_acpi;
            return 0;
        }
        if (kernel) {
            return use_region_kernel(a, &meta, image, sec, bytes); /* a bzImage: Linux */
        }
    } else if (secure) {
        tds_bytes inner;
        if (verify_section(a, bytes, a->image, &inner) != 0) {
            return 1;
        }
    }
    if (kind != TDVF_PAYLOAD_VMM && a->payload_file != NULL) {
        fprintf(stderr,
                "tdshim-measure rtmr: image '%s': --payload-file is for a payload the VMM places, "
                "but this image carries its payload (section %" PRIu32 ", %s)\n",
                a->image, index, tdvf_section_type_name(sec->type));
        return 1;
    }
    if (a->acpi_n != 0 || a->param_file != NULL) {
        fprintf(stderr,
                "tdshim-measure rtmr: image '%s': the payload is an executable, not a "
                "kernel: no --acpi-file or --param-file (the executable-payload plan "
                "measures neither)\n",
                a->image);
        return 1;
    }
    a->in.has_payload = true;
    a->in.payload = bytes;
    a->in.payload_base = sec->mem_addr;
    a->in.separators = true;
    /* What the shim follows with a payload section. */
    a->in.plan = secure ? &ccel_boot_plan_exec_secure : &ccel_boot_plan_exec;
    for (uint32_t i = 0; i < meta.count && !a->in.hob_gpa_known; i++) {
        if (meta.sec[i].type == TDVF_SEC_TD_HOB) {
            a->in.hob_gpa_known = true;
            a->in.hob_gpa = meta.sec[i].mem_addr;
        }
    }
    return 0;
}

/*
 * --linux-kernel with --cfv: the shim's decision (a CFV without a trust anchor: no secure boot,
 * the plain Linux plan), and under secure boot the detached signature verified over the three
 * digests as the shim does, then the secure Linux plan. 0 or 1 (reported).
 */
static int linux_secure(rtmr_args *a, tds_bytes cfv, uint8_t **sig, size_t *sig_len)
{
    bool enforced = false;
    secboot_error e = {SECBOOT_R_NONE, 0};
    secboot_policy pol;
    if (secboot_decide(cfv, false, &enforced, &pol, &e) != TDS_OK) {
        fprintf(stderr,
                "tdshim-measure rtmr: CFV '%s': %s (%s) at offset %" PRIu64
                ": the shim would refuse to boot\n",
                a->cfv, secboot_reason_str(e.reason), secboot_reason_text(e.reason), e.offset);
        return 1;
    }
    if (!enforced) {
        return 0;
    }
    if (a->payload_sig == NULL) {
        fprintf(stderr,
                "tdshim-measure rtmr: CFV '%s' holds a trust anchor: the shim needs the "
                "detached signature (--payload-sig FILE), else it refuses (unsigned)\n",
                a->cfv);
        return 1;
    }
    if (read_input("payload signature", a->payload_sig, sig, sig_len) != 0) {
        return 1;
    }
    rtmr_digest dk;
    rtmr_digest di;
    rtmr_digest dc;
    if (rtmr_sha384(a->in.kernel, &dk) != TDS_OK || rtmr_sha384(a->in.initrd, &di) != TDS_OK ||
        rtmr_sha384(a->in.cmdline, &dc) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: SHA-384 failed\n");
        return 1;
    }
    uint8_t msg[SECBOOT_LINUX_PAYLOAD];
    secboot_linux_payload(dk.b, di.b, dc.b, msg);
    const tds_bytes det = tds_bytes_make(msg, sizeof msg);
    secboot_result r;
    if (*sig_len == 0 || *sig_len > SECBOOT_LINUX_SIG_MAX) {
        e.reason = SECBOOT_R_LINUX_SIG;
    } else if (secboot_verify_cose(tds_bytes_make(*sig, *sig_len), &det, &pol, &r, &e) == TDS_OK) {
        e.reason = SECBOOT_R_NONE;
    }
    if (e.reason != SECBOOT_R_NONE) {
        fprintf(stderr,
                "tdshim-measure rtmr: --payload-sig '%s': secure boot refuses it: %s (%s): the "
                "shim would stop on its fatal path\n",
                a->payload_sig, secboot_reason_str(e.reason), secboot_reason_text(e.reason));
        return 1;
    }
    size_t n = 0;
    if (secboot_policy_db(cfv, &pol, a->sb_db, &n) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: CFV policy files\n");
        return 1;
    }
    a->sb_cfv = cfv;
    a->sb_policy = pol;
    a->in.secure = true;
    a->in.policy_db = tds_bytes_make(a->sb_db, n);
    a->in.trust_anchor = tds_bytes_make(cfv.ptr + pol.key_file_offset, SECBOOT_CFV_KEY_DATA);
    a->in.svn = r.svn;
    a->in.plan = &ccel_boot_plan_linux_secure;
    return 0;
}

/* --cbor: the reference values, with the image's MRTD when there is an image. 0 or 1. */
static int write_cbor(const rtmr_args *a, tds_bytes image, refvalues *ref)
{
    if (a->image != NULL) {
        tdvf_meta meta;
        const tdvf_section *sec = NULL;
        tdvf_payload_kind kind = TDVF_PAYLOAD_IMAGE;
        tds_bytes bytes;
        tdvf_error err = {"", UINT32_MAX};
        tds_status st = measure_image_payload(image, &meta, &sec, &kind, &bytes, &err);
        if (st == TDS_OK) { /* use_image already refused an image without a payload */
            st = mrtd_compute(&meta, image, ref->mrtd, &err);
        }
        if (st != TDS_OK) {
            image_error(a, st, &err, "; no MRTD for --cbor");
            return 1;
        }
        ref->has_mrtd = true;
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    if (refvalues_encode(ref, &buf, &len) != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: cannot encode the reference values\n");
        return 1;
    }
    const tds_status wst = tool_write_file(a->cbor_out, buf, len);
    free(buf);
    if (wst != TDS_OK) {
        fprintf(stderr, "tdshim-measure rtmr: cannot write '%s': %s\n", a->cbor_out,
                tool_io_error());
        return 1;
    }
    return 0;
}

/* --acpi-file: read every file, in the order given, into in->acpi (*bufs and *acpi malloc'd here,
 * freed by the caller with free_acpi). 0 or 1 (reported). */
static int read_acpi(rtmr_args *a, uint8_t ***bufs, tds_bytes **acpi)
{
    if (a->acpi_n == 0) {
        return 0;
    }
    *bufs = calloc(a->acpi_n, sizeof **bufs);
    *acpi = calloc(a->acpi_n, sizeof **acpi);
    if (*bufs == NULL || *acpi == NULL) {
        fprintf(stderr, "tdshim-measure rtmr: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < a->acpi_n; i++) {
        size_t len = 0;
        if (read_input("ACPI file", a->acpi_files[i], &(*bufs)[i], &len) != 0) {
            return 1;
        }
        (*acpi)[i] = tds_bytes_make((*bufs)[i], len);
    }
    a->in.acpi = *acpi;
    a->in.acpi_count = a->acpi_n;
    return 0;
}

static void free_acpi(size_t n, uint8_t **bufs, tds_bytes *acpi)
{
    if (bufs != NULL) {
        for (size_t i = 0; i < n; i++) {
            free(bufs[i]);
        }
    }
    free(bufs);
    free(acpi);
}

int rtmr_main(int argc, char **argv)
{
    rtmr_args a;
    if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
        rtmr_usage(stdout);
        return 0;
    }
    const char **acpi_slots = calloc(argc > 0 ? (size_t)argc : 1u, sizeof *acpi_slots);
    if (acpi_slots == NULL) {
        fprintf(stderr, "tdshim-measure rtmr: out of memory\n");
        return 1;
    }
    int rc = parse_args(argc, argv, &a, acpi_slots);
    if (rc != 0) {
        free(acpi_slots);
        return rc;
    }
    uint8_t *hob = NULL;
    uint8_t *image = NULL;
    size_t image_len = 0;
    uint8_t *payload = NULL;
    uint8_t *param = NULL;
    uint8_t *file = NULL;
    uint8_t *region = NULL;
    size_t file_len = 0;
    size_t hob_len = 0;
    size_t payload_len = 0;
    size_t param_len = 0;
    rc = read_input("HOB", a.hob, &hob, &hob_len);
    if (rc == 0 && a.payload != NULL) {
        rc = read_input("payload", a.payload, &payload, &payload_len);
    }
    if (rc == 0 && a.payload_file != NULL) {
        rc = read_input("payload file", a.payload_file, &file, &file_len);
    }
    if (rc == 0 && a.image != NULL) {
        rc = read_input("image", a.image, &image, &image_len);
        if (rc == 0) {
            rc = use_image(&a, tds_bytes_make(image, image_len), tds_bytes_make(file, file_len),
                           &region);
        }
    }
    if (rc == 0 && a.param != NULL) {
        rc = read_input("payload parameter", a.param, &param, &param_len);
    }
    uint8_t *kernel = NULL;
    uint8_t *initrd = NULL;
    uint8_t *cmdline = NULL;
    size_t kernel_len = 0;
    size_t initrd_len = 0;
    size_t cmdline_len = 0;
    if (rc == 0 && a.linux_kernel != NULL) {
        rc = read_input("kernel", a.linux_kernel, &kernel, &kernel_len);
        if (rc == 0) {
            rc = kernel_measured_form(a.linux_kernel, kernel, kernel_len);
        }
        if (rc == 0 && a.linux_initrd != NULL) {
            rc = read_input("initrd", a.linux_initrd, &initrd, &initrd_len);
        }
        /* QEMU's CMDLINE_DATA: the string with its NUL (an absent -append is "" + NUL). */
        const char *c = a.linux_cmdline != NULL ? a.linux_cmdline : "";
        cmdline_len = strlen(c) + 1u;
        cmdline = malloc(cmdline_len);
        if (rc == 0 && cmdline == NULL) {
            fprintf(stderr, "tdshim-measure rtmr: out of memory\n");
            rc = 1;
        }
        if (rc == 0) {
            memcpy(cmdline, c, cmdline_len);
            a.in.has_linux = true;
            a.in.plan = &ccel_boot_plan_linux;
            a.in.kernel = tds_bytes_make(kernel, kernel_len);
            a.in.initrd = tds_bytes_make(initrd, initrd_len);
            a.in.cmdline = tds_bytes_make(cmdline, cmdline_len);
        }
    }
    uint8_t *cfv = NULL;
    uint8_t *sig = NULL;
    if (rc == 0 && a.cfv != NULL) {
        size_t cfv_len = 0;
        size_t sig_len = 0;
        rc = read_input("CFV", a.cfv, &cfv, &cfv_len);
        if (rc == 0) {
            rc = linux_secure(&a, tds_bytes_make(cfv, cfv_len), &sig, &sig_len);
        }
    }
    uint8_t **acpi_bufs = NULL;
    tds_bytes *acpi = NULL;
    if (rc == 0) {
        rc = read_acpi(&a, &acpi_bufs, &acpi);
    }
    if (rc == 0) {
        a.in.hob = tds_bytes_make(hob, hob_len);
        if (a.image == NULL) {
            a.in.has_payload = a.payload != NULL;
            a.in.payload = tds_bytes_make(payload, payload_len);
        }
        if (a.cmdline != NULL) {
            a.in.has_param = true;
            a.in.param = tds_bytes_make(a.cmdline, strlen(a.cmdline));
        } else if (a.param != NULL) {
            a.in.has_param = true;
            a.in.param = tds_bytes_make(param, param_len);
        }
        refvalues ref;
        memset(&ref, 0, sizeof ref);
        rc = compute(&a, &ref);
        if (rc == 0 && a.cbor_out != NULL) {
            rc = write_cbor(&a, tds_bytes_make(image, image_len), &ref);
        }
    }
    free(hob);
    free(image);
    free(payload);
    free(param);
    free(kernel);
    free(initrd);
    free(cmdline);
    free(file);
    free(region);
    free(cfv);
    free(sig);
    free(a.owned_kernel);
    free(a.owned_cmdline);
    free_acpi(a.acpi_n, acpi_bufs, acpi);
    free(acpi_slots);
    return rc;
}
