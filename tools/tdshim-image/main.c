/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* tdshim-image: build a TDVF image from a shim firmware blob. Manual: docs/tools/tdshim-image.md */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_build.h"
#include "tool_io.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: tdshim-image --firmware FW.bin -o IMAGE [options]\n"
               "  --firmware FILE     shim firmware blob (the BFV; page 0 and tail reserved)\n"
               "  -o, --output FILE   image to write\n"
               "  --cfv FILE          CFV content: a firmware volume of exactly the CFV size\n"
               "                      (default: an empty firmware volume)\n"
               "  --cfv-size N        CFV size, 4 KiB multiple (default 64K, or the size of\n"
               "                      the --cfv file)\n"
               "  --td-hob ADDR,SIZE  TD_HOB section (default 0x800000,0x20000)\n"
               "  --tempmem ADDR,SIZE TempMem section; repeatable (default 0x100000,0x700000)\n"
               "  --payload FILE      payload (ELF/PE) placed between the CFV and the BFV,\n"
               "                      zero-padded to 4 KiB, described by one more section\n"
               "  --payload-section T bfv (default: type 0, MR.EXTEND, in MRTD, QEMU >= 10.1)\n"
               "                      or payload (type 5, attributes 0: td-shim metadata VMMs)\n"
               "  --payload-region GPA,SIZE\n"
               "                      a payload the VMM places: a type-5 section without data\n"
               "                      for guest memory the VMM loads before the TD starts\n"
               "                      (exclusive with --payload)\n"
               "  --param-region GPA,SIZE\n"
               "                      a PayloadParam section (type 6) the VMM fills before the\n"
               "                      TD starts: a Linux kernel's NUL-terminated command line\n"
               "  --param-cmdline STR a PayloadParam section with STR and its NUL in the image\n"
               "                      (after the payload, zero-padded to 4 KiB, attributes 0)\n"
               "  --param-mr-extend   give that section MR.EXTEND: the command line is in MRTD\n"
               "                      (a PayloadParam needs --payload or --payload-region)\n"
               "  --require-secure-boot\n"
               "                      mark the image (in MRTD) as requiring secure boot: the\n"
               "                      shim then refuses to boot when the CFV holds no trust\n"
               "                      anchor (docs/secure-boot.md)\n"
               "  -q, --quiet         do not print the layout table\n"
               "  -h, --help          this text; --version: the tool's version\n"
               "Numbers: decimal or 0x hex, optional K/M/G suffix.\n");
}

static void print_layout(const tdvf_meta *m, size_t image_size, size_t payload_file_len)
{
    const tdvf_section *payload = NULL;
    tdvf_payload_kind kind = TDVF_PAYLOAD_IMAGE;
    tdvf_error err;
    if (tdvf_find_payload(m, image_size, &payload, &kind, &err) != TDS_OK) {
        payload = NULL;
    }
    const uint64_t base = 0x100000000ull - image_size;
    printf("TDVF image: %zu bytes (0x%zx) at GPA 0x%08" PRIx64 "-0xffffffff\n", image_size,
           image_size, base);
    printf("descriptor: file offset 0x%08" PRIx32 " (GPA 0x%08" PRIx64 "), %" PRIu32
           " sections, length %" PRIu32 "\n",
           m->desc_offset, base + m->desc_offset, m->count, m->length);
    printf("%-3s %-8s %-10s %-10s %-18s %-10s %-4s %-8s %s\n", "#", "type", "file_off", "raw_size",
           "gpa", "mem_size", "attr", "role", "vmm action");
    for (uint32_t i = 0; i < m->count; i++) {
        const tdvf_section *s = &m->sec[i];
        const char *action =
            (s->attributes & TDVF_ATTR_MR_EXTEND) != 0
                ? "PAGE.ADD + MR.EXTEND (MRTD)"
                : ((s->attributes & TDVF_ATTR_PAGE_AUG) != 0 ? "PAGE.AUG" : "PAGE.ADD");
        if (s == payload && kind == TDVF_PAYLOAD_VMM) {
            action = "PAGE.ADD of the payload the VMM loads";
        }
        if (s->type == TDVF_SEC_PAYLOAD_PARAM && s->raw_size == 0) {
            action = "PAGE.ADD of the parameter the VMM writes";
        }
        const char *role = s == payload                        ? "payload"
                           : s->type == TDVF_SEC_PAYLOAD_PARAM ? "param"
                           : s->type == TDVF_SEC_BFV && s->mem_addr + s->mem_size == 0x100000000ull
                               ? "shim"
                               : "-";
        printf("%-3" PRIu32 " %-8s 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%016" PRIx64 " 0x%08" PRIx64
               " 0x%-2" PRIx32 " %-8s %s\n",
               i, tdvf_section_type_name(s->type), s->data_offset, s->raw_size, s->mem_addr,
               s->mem_size, s->attributes, role, action);
    }
    /* The VMM's measured work (TDX module ABI: TDH.MEM.PAGE.ADD per 4 KiB page, TDH.MR.EXTEND per
     * 256-byte chunk); mem_size is a 4 KiB multiple (tdvf_open checked it). */
    uint64_t added = 0;
    uint64_t extended = 0;
    for (uint32_t i = 0; i < m->count; i++) {
        const tdvf_section *s = &m->sec[i];
        if ((s->attributes & TDVF_ATTR_PAGE_AUG) == 0) {
            added += s->mem_size / TDVF_PAGE;
        }
        if ((s->attributes & TDVF_ATTR_MR_EXTEND) != 0) {
            extended += s->mem_size;
        }
    }
    printf("measured: %" PRIu64 " bytes in MRTD (%" PRIu64 " TDH.MR.EXTEND of 256 bytes), %" PRIu64
           " TDH.MEM.PAGE.ADD of 4 KiB\n",
           extended, extended / 256u, added);
    if (payload != NULL && kind == TDVF_PAYLOAD_VMM) {
        printf("payload: section %td (%s, VMM-placed), GPA 0x%08" PRIx64 "-0x%08" PRIx64
               ", 0x%" PRIx64 " bytes of guest memory the VMM loads before the TD starts, "
               "no bytes in the image; the whole region is measured into RTMR1 (by the shim)\n",
               payload - m->sec, tdvf_section_type_name(payload->type), payload->mem_addr,
               payload->mem_addr + payload->mem_size - 1, payload->mem_size);
    } else if (payload != NULL) {
        printf("payload: section %td (%s), file offset 0x%08" PRIx32 ", GPA 0x%08" PRIx64
               ", %zu bytes of file + %zu bytes of zero padding; measured into %s\n",
               payload - m->sec, tdvf_section_type_name(payload->type), payload->data_offset,
               payload->mem_addr, payload_file_len, (size_t)payload->raw_size - payload_file_len,
               (payload->attributes & TDVF_ATTR_MR_EXTEND) != 0 ? "MRTD and RTMR1 (by the shim)"
                                                                : "RTMR1 (by the shim)");
    } else {
        printf("payload: none\n");
    }
    printf("tail: footer table at end-0x%x (metadata offset entry = 0x%08zx from end), "
           "td-shim pointer at end-0x%x = 0x%08" PRIx32 ", 'VTF' at end-0x%x\n",
           TDVF_TAIL_FOOTER_GUID, image_size - m->desc_offset, TDVF_TAIL_TDSHIM_PTR, m->desc_offset,
           TDVF_TAIL_VTF_SIG);
}

/*
 * --cfv content must already be the whole CFV: a firmware volume of exactly the CFV section's
 * size (docs/image-layout.md). image_build refuses anything else too; here it is said with the
 * file's name and the size wanted.
 */
static tds_status check_cfv(const image_config *cfg, const char *path)
{
    size_t want = 0;
    tdvf_error err = {"", UINT32_MAX};
    if (image_cfv_size(cfg, &want) != TDS_OK || cfg->cfv.len != want) {
        fprintf(stderr,
                "tdshim-image: CFV '%s' is %zu bytes, but the CFV section is %zu bytes "
                "(--cfv-size): give a firmware volume of exactly that size\n",
                path, cfg->cfv.len, want);
        return TDS_ERR_MISMATCH;
    }
    const tds_status st = tdvf_fv_check(cfg->cfv, &err);
    if (st != TDS_OK) {
        fprintf(stderr, "tdshim-image: CFV '%s' is not a valid firmware volume: %s: %s\n", path,
                tds_status_str(st), err.what);
    }
    return st;
}

int main(int argc, char **argv)
{
    tool_check_stdout_at_exit("tdshim-image", 1);
    enum {
        OPT_FW = 256,
        OPT_CFV,
        OPT_CFV_SIZE,
        OPT_HOB,
        OPT_TEMP,
        OPT_PAYLOAD,
        OPT_PAYLOAD_SEC,
        OPT_PAYLOAD_REGION,
        OPT_PARAM_REGION,
        OPT_PARAM_CMDLINE,
        OPT_PARAM_MR_EXTEND,
        OPT_REQUIRE_SB
    };
    static const struct option opts[] = {
        {"firmware", required_argument, NULL, OPT_FW},
        {"output", required_argument, NULL, 'o'},
        {"cfv", required_argument, NULL, OPT_CFV},
        {"cfv-size", required_argument, NULL, OPT_CFV_SIZE},
        {"td-hob", required_argument, NULL, OPT_HOB},
        {"tempmem", required_argument, NULL, OPT_TEMP},
        {"payload", required_argument, NULL, OPT_PAYLOAD},
        {"payload-section", required_argument, NULL, OPT_PAYLOAD_SEC},
        {"payload-region", required_argument, NULL, OPT_PAYLOAD_REGION},
        {"param-region", required_argument, NULL, OPT_PARAM_REGION},
        {"param-cmdline", required_argument, NULL, OPT_PARAM_CMDLINE},
        {"param-mr-extend", no_argument, NULL, OPT_PARAM_MR_EXTEND},
        {"require-secure-boot", no_argument, NULL, OPT_REQUIRE_SB},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *fw_path = NULL;
    const char *out_path = NULL;
    const char *cfv_path = NULL;
    const char *payload_path = NULL;
    uint32_t payload_type = TDVF_SEC_BFV;
    bool have_payload_section = false;
    bool have_region = false;
    uint64_t region_addr = 0;
    uint64_t region_size = 0;
    bool have_param_region = false;
    uint64_t param_addr = 0;
    uint64_t param_size = 0;
    const char *param_cmdline = NULL;
    bool param_mr_extend = false;
    bool require_sb = false;
    uint64_t cfv_size = IMAGE_DEFAULT_CFV_SIZE;
    bool have_cfv_size = false;
    bool quiet = false;
    bool have_hob = false;
    image_ram_section temps[IMAGE_MAX_RAM_SECTIONS];
    uint32_t ntemps = 0;
    image_ram_section hob = {TDVF_SEC_TD_HOB, IMAGE_DEFAULT_TD_HOB_ADDR, IMAGE_DEFAULT_TD_HOB_SIZE};
    int c;
    int opt_index = -1;
    uint32_t seen = 0; /* single-value options already given (bit = index in opts) */
    while ((c = getopt_long(argc, argv, "o:qh", opts, &opt_index)) != -1) {
        /* A repeated single-value option is an error, not "the last one wins". */
        int idx = opt_index;
        if (idx < 0) {
            for (int k = 0; opts[k].name != NULL; k++) {
                if (opts[k].val == c) {
                    idx = k;
                }
            }
        }
        opt_index = -1;
        if (idx >= 0 && c != OPT_TEMP && c != 'h' && c != 'V') {
            if ((seen & (1u << idx)) != 0) {
                fprintf(stderr, "tdshim-image: --%s given twice\n", opts[idx].name);
                return 2;
            }
            seen |= 1u << idx;
        }
        switch (c) {
        case 'V': tool_print_version("tdshim-image"); return 0;
        case OPT_FW: fw_path = optarg; break;
        case 'o': out_path = optarg; break;
        case OPT_CFV: cfv_path = optarg; break;
        case 'q': quiet = true; break;
        case OPT_PAYLOAD: payload_path = optarg; break;
        case OPT_PAYLOAD_SEC:
            if (strcmp(optarg, "bfv") == 0) {
                payload_type = TDVF_SEC_BFV;
            } else if (strcmp(optarg, "payload") == 0) {
                payload_type = TDVF_SEC_PAYLOAD;
            } else {
                fprintf(stderr, "tdshim-image: --payload-section must be 'bfv' or 'payload'\n");
                return 2;
            }
            have_payload_section = true;
            break;
        case OPT_PAYLOAD_REGION:
            if (have_region || tool_parse_range(optarg, &region_addr, &region_size) != TDS_OK) {
                fprintf(stderr, "tdshim-image: bad or repeated --payload-region '%s'\n", optarg);
                return 2;
            }
            have_region = true;
            break;
        case OPT_PARAM_REGION:
            if (have_param_region || tool_parse_range(optarg, &param_addr, &param_size) != TDS_OK) {
                fprintf(stderr, "tdshim-image: bad or repeated --param-region '%s'\n", optarg);
                return 2;
            }
            have_param_region = true;
            break;
        case OPT_PARAM_CMDLINE: param_cmdline = optarg; break;
        case OPT_PARAM_MR_EXTEND: param_mr_extend = true; break;
        case OPT_REQUIRE_SB: require_sb = true; break;
        case 'h': usage(stdout); return 0;
        case OPT_CFV_SIZE:
            if (tool_parse_u64(optarg, &cfv_size) != TDS_OK) {
                fprintf(stderr, "tdshim-image: bad --cfv-size '%s'\n", optarg);
                return 2;
            }
            have_cfv_size = true;
            break;
        case OPT_HOB:
            if (have_hob || tool_parse_range(optarg, &hob.addr, &hob.size) != TDS_OK) {
                fprintf(stderr, "tdshim-image: bad or repeated --td-hob '%s'\n", optarg);
                return 2;
            }
            have_hob = true;
            break;
        case OPT_TEMP:
            if (ntemps >= IMAGE_MAX_RAM_SECTIONS - 1 ||
                tool_parse_range(optarg, &temps[ntemps].addr, &temps[ntemps].size) != TDS_OK) {
                fprintf(stderr, "tdshim-image: bad --tempmem '%s' (or too many)\n", optarg);
                return 2;
            }
            temps[ntemps].type = TDVF_SEC_TEMP_MEM;
            ntemps++;
            break;
        default: usage(stderr); return 2;
        }
    }
    if (fw_path == NULL || out_path == NULL || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (have_region && (payload_path != NULL || have_payload_section)) {
        fprintf(stderr, "tdshim-image: --payload-region (a payload the VMM places) is exclusive "
                        "with --payload and --payload-section (a payload in the image)\n");
        return 2;
    }
    if (have_payload_section && payload_path == NULL) {
        fprintf(stderr, "tdshim-image: --payload-section says where --payload goes; no --payload "
                        "given\n");
        return 2;
    }

    if (have_param_region && param_cmdline != NULL) {
        fprintf(stderr, "tdshim-image: --param-region (filled by the VMM) and --param-cmdline (in "
                        "the image) are exclusive\n");
        return 2;
    }
    if (param_mr_extend && param_cmdline == NULL) {
        fprintf(stderr, "tdshim-image: --param-mr-extend goes with --param-cmdline\n");
        return 2;
    }
    if ((have_param_region || param_cmdline != NULL) && payload_path == NULL && !have_region) {
        fprintf(stderr, "tdshim-image: a PayloadParam section needs a payload (--payload or "
                        "--payload-region)\n");
        return 2;
    }
    uint8_t *fw = NULL;
    size_t fw_len = 0;
    uint8_t *cfv = NULL;
    size_t cfv_len = 0;
    uint8_t *payload = NULL;
    size_t payload_len = 0;
    uint8_t *img = NULL;
    int rc = 1;
    tds_status st = tool_read_file(fw_path, &fw, &fw_len);
    if (st != TDS_OK) {
        fprintf(stderr, "tdshim-image: cannot read firmware '%s': %s\n", fw_path, tool_io_error());
        goto out;
    }
    if (cfv_path != NULL) {
        st = tool_read_file(cfv_path, &cfv, &cfv_len);
        if (st != TDS_OK) {
            fprintf(stderr, "tdshim-image: cannot read CFV '%s': %s\n", cfv_path, tool_io_error());
            goto out;
        }
    }
    if (payload_path != NULL) {
        st = tool_read_file(payload_path, &payload, &payload_len);
        if (st != TDS_OK) {
            fprintf(stderr, "tdshim-image: cannot read payload '%s': %s\n", payload_path,
                    tool_io_error());
            goto out;
        }
        if (payload_len == 0) {
            fprintf(stderr, "tdshim-image: payload '%s' is empty\n", payload_path);
            goto out;
        }
    }
    image_config cfg;
    image_config_default(&cfg, tds_bytes_make(fw, fw_len));
    cfg.has_payload = payload_path != NULL;
    cfg.payload = tds_bytes_make(payload, payload_len);
    cfg.payload_type = payload_type;
    cfg.has_payload_region = have_region;
    cfg.region_addr = region_addr;
    cfg.region_size = region_size;
    cfg.has_param_region = have_param_region;
    cfg.param_addr = param_addr;
    cfg.param_size = param_size;
    cfg.has_param_data = param_cmdline != NULL;
    cfg.param = param_cmdline != NULL ? tds_bytes_make(param_cmdline, strlen(param_cmdline) + 1u)
                                      : tds_bytes_make(NULL, 0);
    cfg.param_mr_extend = param_mr_extend;
    cfg.require_secure_boot = require_sb;
    cfg.cfv = tds_bytes_make(cfv, cfv_len);
    cfg.cfv_size = cfv_path != NULL && !have_cfv_size ? cfv_len : cfv_size;
    cfg.ram[0] = hob;
    if (ntemps != 0) {
        memcpy(&cfg.ram[1], temps, ntemps * sizeof temps[0]);
        cfg.ram_count = 1 + ntemps;
    }
    size_t total;
    if (image_total_size(&cfg, &total) != TDS_OK) {
        if (payload_path != NULL) {
            fprintf(stderr,
                    "tdshim-image: payload '%s' (%zu bytes) too large: CFV + payload + firmware "
                    "would exceed the %u-byte image limit\n",
                    payload_path, payload_len, IMAGE_MAX_SIZE);
        } else {
            fprintf(stderr, "tdshim-image: image would exceed %u bytes\n", IMAGE_MAX_SIZE);
        }
        goto out;
    }
    if (cfv_path != NULL && check_cfv(&cfg, cfv_path) != TDS_OK) {
        goto out;
    }
    img = calloc(1, total);
    if (img == NULL) {
        fprintf(stderr, "tdshim-image: out of memory\n");
        goto out;
    }
    tdvf_meta meta;
    tdvf_error err = {"", UINT32_MAX};
    st = image_build(&cfg, tds_mut_bytes_make(img, total), &meta, &err);
    if (st != TDS_OK) {
        if (err.section != UINT32_MAX) {
            fprintf(stderr, "tdshim-image: %s: %s (section %" PRIu32 ")\n", tds_status_str(st),
                    err.what, err.section);
        } else {
            fprintf(stderr, "tdshim-image: %s: %s\n", tds_status_str(st), err.what);
        }
        goto out;
    }
    st = tool_write_file(out_path, img, total);
    if (st != TDS_OK) {
        fprintf(stderr, "tdshim-image: cannot write '%s': %s\n", out_path, tool_io_error());
        goto out;
    }
    if (!quiet) {
        print_layout(&meta, total, payload_len);
    }
    rc = 0;
out:
    free(img);
    free(payload);
    free(cfv);
    free(fw);
    return rc;
}
