/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* tdshim-hob: print or generate TD HOB files. Manual: docs/tools/tdshim-hob.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "tool_io.h"

bool hob_parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-' || *s == '+') {
        return false;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || end == s) {
        return false;
    }
    unsigned shift = 0;
    if (*end != '\0') {
        switch (*end) {
        case 'k':
        case 'K': shift = 10; break;
        case 'm':
        case 'M': shift = 20; break;
        case 'g':
        case 'G': shift = 30; break;
        case 't':
        case 'T': shift = 40; break;
        default: return false;
        }
        end++;
        if (*end == 'i' && end[1] == 'B') {
            end += 2;
        } else if (*end == 'B') {
            end++;
        }
        if (*end != '\0') {
            return false;
        }
    }
    if (shift != 0 && v > (UINT64_MAX >> shift)) {
        return false;
    }
    *out = (uint64_t)v << shift;
    return true;
}

bool hob_parse_range(const char *s, uint64_t *start, uint64_t *size)
{
    const char *colon = strchr(s, ':');
    if (colon == NULL || colon == s) {
        return false;
    }
    char head[64];
    size_t n = (size_t)(colon - s);
    if (n >= sizeof head) {
        return false;
    }
    memcpy(head, s, n);
    head[n] = '\0';
    return hob_parse_u64(head, start) && hob_parse_u64(colon + 1, size);
}

static void usage(FILE *f)
{
    fprintf(f, "usage:\n"
               "  " TOOL_NAME " dump FILE [--json] [--gpa GPA] [--gpaw 48|52]\n"
               "                  [--convention auto|current|legacy]\n"
               "  " TOOL_NAME " gen --mem SIZE [--layout qemu|legacy] [--below-4g SIZE]\n"
               "                  [--base GPA] [--hob-size SIZE] [--accepted START:SIZE...]\n"
               "                  [--reserved START:SIZE...] [--mmio START:SIZE...]\n"
               "                  [--gpaw 48|52] [--cmdline STRING] -o FILE\n"
               "    --cmdline: a Linux command line GUID HOB (9186f69a-eae9-48ae-82f2-\n"
               "    4722a0cf5673) for a kernel the VMM placed in the payload region\n"
               "see docs/tools/tdshim-hob.md\n");
}

int main(int argc, char **argv)
{
    tool_check_stdout_at_exit("tdshim-hob", EXIT_USAGE);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "dump") == 0) {
        return tool_dump(argc - 2, argv + 2);
    }
    if (strcmp(argv[1], "gen") == 0) {
        return tool_gen(argc - 2, argv + 2);
    }
    if (strcmp(argv[1], "--version") == 0) {
        tool_print_version(TOOL_NAME);
        return 0;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, TOOL_NAME ": unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
