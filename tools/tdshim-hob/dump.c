/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* tdshim-hob dump: validate a HOB file with libtdhob and print it as text or JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/tdhob.h"
#include "tool.h"
#include "tool_io.h"

#define MAX_FILE ((size_t)16 << 20)
#define MAX_RANGES 4096u

static const char *type_name(uint16_t t)
{
    switch (t) {
    case TDHOB_TYPE_HANDOFF: return "phit";
    case TDHOB_TYPE_MEMORY_ALLOCATION: return "memory_allocation";
    case TDHOB_TYPE_RESOURCE_DESCRIPTOR: return "resource";
    case TDHOB_TYPE_GUID_EXTENSION: return "guid";
    case TDHOB_TYPE_FV: return "fv";
    case TDHOB_TYPE_FV2: return "fv2";
    case TDHOB_TYPE_FV3: return "fv3";
    case TDHOB_TYPE_CPU: return "cpu";
    case TDHOB_TYPE_END_OF_HOB_LIST: return "end";
    default: return "unknown";
    }
}

static const char *res_name(uint32_t t)
{
    static const char *const names[] = {"system_memory",   "mmio",      "io",
                                        "firmware_device", "mmio_port", "reserved",
                                        "io_reserved",     "unaccepted"};
    return t < 8u ? names[t] : "invalid";
}

static const char *conv_name(tdhob_convention c)
{
    return c == TDHOB_CONV_CURRENT ? "current" : c == TDHOB_CONV_LEGACY ? "legacy" : "auto";
}

static void guid_str(const tds_guid *g, char out[37])
{
    const uint8_t *b = g->b;
    (void)snprintf(out, 37, "%08" PRIx32 "-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                   tds_load_le32(b), tds_load_le16(b + 4), tds_load_le16(b + 6), b[8], b[9], b[10],
                   b[11], b[12], b[13], b[14], b[15]);
}

static const char *guid_label(const tds_guid *g)
{
    if (tds_guid_equal(g, &tdhob_guid_acpi_table)) {
        return "acpi_table";
    }
    if (tds_guid_equal(g, &tdhob_guid_e820_table)) {
        return "e820_table";
    }
    if (tds_guid_equal(g, &tdhob_guid_payload_info)) {
        return "payload_info";
    }
    if (tds_guid_equal(g, &tdhob_guid_linux_cmdline)) {
        return "linux_cmdline";
    }
    return "other";
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
    if (tool_read_file_max(path, MAX_FILE, buf, len) != TDS_OK) {
        fprintf(stderr, TOOL_NAME ": cannot read '%s': %s\n", path, tool_io_error());
        return -1;
    }
    return 0;
}

static void print_text_item(const tdhob_item *it)
{
    char g[37];
    printf("%-18s @0x%04zx len %3u", type_name(it->type), it->offset, (unsigned)it->length);
    switch (it->type) {
    case TDHOB_TYPE_HANDOFF: {
        const tdhob_phit *p = &it->u.phit;
        printf(" version %" PRIu32 " boot_mode 0x%" PRIx32 " memory [0x%" PRIx64 ", 0x%" PRIx64
               ") free [0x%" PRIx64 ", 0x%" PRIx64 ") end_of_hob_list 0x%" PRIx64,
               p->version, p->boot_mode, p->memory_bottom, p->memory_top, p->free_memory_bottom,
               p->free_memory_top, p->end_of_hob_list);
        break;
    }
    case TDHOB_TYPE_RESOURCE_DESCRIPTOR: {
        const tdhob_resource *r = &it->u.resource;
        printf(" type %" PRIu32 " (%s) attr 0x%" PRIx32 " [0x%" PRIx64 ", 0x%" PRIx64
               ") size 0x%" PRIx64,
               r->type, res_name(r->type), r->attribute, r->start, r->start + r->length, r->length);
        break;
    }
    case TDHOB_TYPE_MEMORY_ALLOCATION: {
        const tdhob_memalloc *m = &it->u.memalloc;
        guid_str(&m->name, g);
        printf(" name %s [0x%" PRIx64 ", 0x%" PRIx64 ") memory_type %" PRIu32, g, m->base,
               m->base + m->length, m->memory_type);
        break;
    }
    case TDHOB_TYPE_GUID_EXTENSION:
        guid_str(&it->u.guid.name, g);
        printf(" name %s (%s) data %zu bytes", g, guid_label(&it->u.guid.name),
               it->u.guid.data.len);
        break;
    case TDHOB_TYPE_FV:
    case TDHOB_TYPE_FV2:
    case TDHOB_TYPE_FV3:
        printf(" [0x%" PRIx64 ", 0x%" PRIx64 ")", it->u.fv.base, it->u.fv.base + it->u.fv.length);
        break;
    case TDHOB_TYPE_CPU:
        printf(" memory_space_bits %u io_space_bits %u", it->u.cpu.memory_space_bits,
               it->u.cpu.io_space_bits);
        break;
    default: break;
    }
    printf("\n");
}

static void print_json_item(const tdhob_item *it, bool first)
{
    char g[37];
    printf("%s\n    {\"offset\": %zu, \"length\": %u, \"type\": \"%s\"", first ? "" : ",",
           it->offset, (unsigned)it->length, type_name(it->type));
    switch (it->type) {
    case TDHOB_TYPE_HANDOFF: {
        const tdhob_phit *p = &it->u.phit;
        printf(", \"version\": %" PRIu32 ", \"boot_mode\": %" PRIu32
               ", \"memory_top\": \"0x%" PRIx64 "\", \"memory_bottom\": \"0x%" PRIx64
               "\", \"free_memory_top\": \"0x%" PRIx64 "\", \"free_memory_bottom\": \"0x%" PRIx64
               "\", \"end_of_hob_list\": \"0x%" PRIx64 "\"",
               p->version, p->boot_mode, p->memory_top, p->memory_bottom, p->free_memory_top,
               p->free_memory_bottom, p->end_of_hob_list);
        break;
    }
    case TDHOB_TYPE_RESOURCE_DESCRIPTOR: {
        const tdhob_resource *r = &it->u.resource;
        guid_str(&r->owner, g);
        printf(", \"resource_type\": %" PRIu32 ", \"resource_name\": \"%s\", \"attribute\": "
               "\"0x%" PRIx32 "\", \"start\": \"0x%" PRIx64 "\", \"size\": \"0x%" PRIx64
               "\", \"owner\": \"%s\"",
               r->type, res_name(r->type), r->attribute, r->start, r->length, g);
        break;
    }
    case TDHOB_TYPE_MEMORY_ALLOCATION: {
        const tdhob_memalloc *m = &it->u.memalloc;
        guid_str(&m->name, g);
        printf(", \"name\": \"%s\", \"base\": \"0x%" PRIx64 "\", \"size\": \"0x%" PRIx64
               "\", \"memory_type\": %" PRIu32,
               g, m->base, m->length, m->memory_type);
        break;
    }
    case TDHOB_TYPE_GUID_EXTENSION:
        guid_str(&it->u.guid.name, g);
        printf(", \"name\": \"%s\", \"label\": \"%s\", \"data_length\": %zu", g,
               guid_label(&it->u.guid.name), it->u.guid.data.len);
        break;
    case TDHOB_TYPE_FV:
    case TDHOB_TYPE_FV2:
    case TDHOB_TYPE_FV3:
        printf(", \"base\": \"0x%" PRIx64 "\", \"size\": \"0x%" PRIx64 "\"", it->u.fv.base,
               it->u.fv.length);
        break;
    case TDHOB_TYPE_CPU:
        printf(", \"memory_space_bits\": %u, \"io_space_bits\": %u", it->u.cpu.memory_space_bits,
               it->u.cpu.io_space_bits);
        break;
    default: break;
    }
    printf("}");
}

static int print_view(const tdhob_view *v, bool json)
{
    static tdhob_mem_range map[MAX_RANGES];
    static tdhob_e820_entry e820[MAX_RANGES];
    size_t nmap = 0;
    size_t ne820 = 0;
    if (tdhob_memory_map(v, map, MAX_RANGES, &nmap) != TDS_OK ||
        tdhob_e820(v, TDHOB_E820_UNACCEPTED, e820, MAX_RANGES, &ne820) != TDS_OK) {
        fprintf(stderr, TOOL_NAME ": more than %u memory ranges\n", MAX_RANGES);
        return EXIT_INVALID;
    }
    tdhob_ram_summary rs;
    if (tdhob_ram_summary_get(v, &rs) != TDS_OK) {
        return EXIT_INVALID;
    }
    tdhob_iter it = tdhob_iter_begin();
    tdhob_item item;
    if (json) {
        printf("{\n  \"valid\": true,\n  \"length\": %zu,\n  \"gpa\": \"0x%" PRIx64
               "\",\n  \"gpaw\": %" PRIu32 ",\n  \"convention\": \"%s\",\n  \"hobs\": [",
               tdhob_length(v), tdhob_gpa(v), tdhob_gpaw(v), conv_name(tdhob_get_convention(v)));
        bool first = true;
        while (tdhob_next(v, &it, &item) == TDS_OK) {
            print_json_item(&item, first);
            first = false;
        }
        printf("\n  ],\n  \"memory_map\": [");
        for (size_t i = 0; i < nmap; i++) {
            printf("%s\n    {\"base\": \"0x%" PRIx64 "\", \"size\": \"0x%" PRIx64
                   "\", \"kind\": \"%s\"}",
                   i ? "," : "", map[i].base, map[i].length, tdhob_mem_kind_str(map[i].kind));
        }
        printf("\n  ],\n  \"e820\": [");
        for (size_t i = 0; i < ne820; i++) {
            printf("%s\n    {\"addr\": \"0x%" PRIx64 "\", \"size\": \"0x%" PRIx64
                   "\", \"type\": %" PRIu32 "}",
                   i ? "," : "", e820[i].addr, e820[i].size, e820[i].type);
        }
        printf("\n  ],\n  \"accepted_bytes\": \"0x%" PRIx64
               "\",\n  \"unaccepted_bytes\": \"0x%" PRIx64 "\",\n  \"ram_top\": \"0x%" PRIx64
               "\"\n}\n",
               rs.accepted_bytes, rs.unaccepted_bytes, rs.ram_top);
        return 0;
    }
    printf("TD HOB: %zu bytes at GPA 0x%" PRIx64 ", GPAW %" PRIu32 ", convention %s\n",
           tdhob_length(v), tdhob_gpa(v), tdhob_gpaw(v), conv_name(tdhob_get_convention(v)));
    while (tdhob_next(v, &it, &item) == TDS_OK) {
        print_text_item(&item);
    }
    printf("memory map (%zu ranges):\n", nmap);
    for (size_t i = 0; i < nmap; i++) {
        printf("  [0x%016" PRIx64 ", 0x%016" PRIx64 ") %-10s size 0x%" PRIx64 "\n", map[i].base,
               map[i].base + map[i].length, tdhob_mem_kind_str(map[i].kind), map[i].length);
    }
    printf("e820 (%zu entries, unaccepted = type 8):\n", ne820);
    for (size_t i = 0; i < ne820; i++) {
        printf("  0x%016" PRIx64 " size 0x%016" PRIx64 " type %" PRIu32 "\n", e820[i].addr,
               e820[i].size, e820[i].type);
    }
    printf("accepted 0x%" PRIx64 " bytes, unaccepted 0x%" PRIx64 " bytes, ram top 0x%" PRIx64 "\n",
           rs.accepted_bytes, rs.unaccepted_bytes, rs.ram_top);
    return 0;
}

int tool_dump(int argc, char **argv)
{
    const char *path = NULL;
    bool json = false;
    tdhob_config cfg = {0, true, 48, TDHOB_CONV_AUTO, NULL, 0};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--gpa") == 0 && i + 1 < argc) {
            if (!hob_parse_u64(argv[++i], &cfg.hob_gpa)) {
                fprintf(stderr, TOOL_NAME ": bad --gpa '%s'\n", argv[i]);
                return EXIT_USAGE;
            }
            cfg.gpa_from_phit = false;
        } else if (strcmp(a, "--gpaw") == 0 && i + 1 < argc) {
            uint64_t w;
            if (!hob_parse_u64(argv[++i], &w) || (w != 48 && w != 52)) {
                fprintf(stderr, TOOL_NAME ": --gpaw must be 48 or 52\n");
                return EXIT_USAGE;
            }
            cfg.gpaw = (uint32_t)w;
        } else if (strcmp(a, "--convention") == 0 && i + 1 < argc) {
            const char *c = argv[++i];
            if (strcmp(c, "auto") == 0) {
                cfg.convention = TDHOB_CONV_AUTO;
            } else if (strcmp(c, "current") == 0) {
                cfg.convention = TDHOB_CONV_CURRENT;
            } else if (strcmp(c, "legacy") == 0) {
                cfg.convention = TDHOB_CONV_LEGACY;
            } else {
                fprintf(stderr, TOOL_NAME ": bad --convention '%s'\n", c);
                return EXIT_USAGE;
            }
        } else if (a[0] == '-' || path != NULL) {
            fprintf(stderr, TOOL_NAME " dump: unexpected argument '%s'\n", a);
            return EXIT_USAGE;
        } else {
            path = a;
        }
    }
    if (path == NULL) {
        fprintf(stderr, TOOL_NAME " dump: missing FILE\n");
        return EXIT_USAGE;
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    if (read_file(path, &buf, &len) != 0) {
        return EXIT_USAGE;
    }
    /* The sort scratch the view borrows: enough for any list in the file. */
    cfg.scratch_cap = TDHOB_SCRATCH_ENTRIES(len);
    cfg.scratch = calloc(cfg.scratch_cap + 1u, sizeof *cfg.scratch);
    if (cfg.scratch == NULL) {
        fprintf(stderr, TOOL_NAME ": out of memory\n");
        free(buf);
        return EXIT_USAGE;
    }
    tdhob_view v;
    tdhob_error err;
    tds_status s = tdhob_validate(tds_bytes_make(buf, len), &cfg, &v, &err);
    int rc;
    if (s != TDS_OK) {
        if (json) {
            printf("{\n  \"valid\": false,\n  \"status\": \"%s\",\n  \"reason\": \"%s\",\n"
                   "  \"hob_offset\": %zu,\n  \"field_offset\": %zu,\n  \"hob_type\": %u,\n"
                   "  \"value\": \"0x%" PRIx64 "\"\n}\n",
                   tds_status_str(s), tdhob_reason_str(err.reason), err.hob_offset,
                   err.field_offset, (unsigned)err.hob_type, err.value);
        }
        fprintf(stderr,
                TOOL_NAME ": %s: invalid TD HOB: %s (%s) at offset 0x%zx (HOB at 0x%zx, type "
                          "0x%04x, value 0x%" PRIx64 ")\n",
                path, tdhob_reason_str(err.reason), tds_status_str(s), err.field_offset,
                err.hob_offset, (unsigned)err.hob_type, err.value);
        rc = EXIT_INVALID;
    } else {
        rc = print_view(&v, json);
    }
    free(cfg.scratch);
    free(buf);
    return rc;
}
