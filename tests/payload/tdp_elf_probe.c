/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Test-side ELF64 reading through the section headers (tdp_elf_probe.h). */
#include "tdp_elf_probe.h"

#include <string.h>

uint64_t tdp_probe_le(const uint8_t *f, size_t n, uint64_t off, unsigned bytes, bool *ok)
{
    uint64_t v = 0;
    if (off > n || bytes > n - off) {
        *ok = false;
        return 0;
    }
    for (unsigned i = bytes; i > 0; i--) {
        v = (v << 8) | f[off + i - 1];
    }
    return v;
}

typedef struct shdr {
    uint64_t at;
    uint32_t name, type, link;
    uint64_t flags, offset, size, entsize;
} shdr;

static bool section(const uint8_t *f, size_t n, uint32_t i, shdr *s)
{
    bool ok = true;
    const uint64_t shoff = tdp_probe_le(f, n, 40, 8, &ok);
    const uint64_t shnum = tdp_probe_le(f, n, 60, 2, &ok);
    if (!ok || i >= shnum) {
        return false;
    }
    const uint64_t at = shoff + (uint64_t)i * 64u;
    s->at = at;
    s->name = (uint32_t)tdp_probe_le(f, n, at, 4, &ok);
    s->type = (uint32_t)tdp_probe_le(f, n, at + 4, 4, &ok);
    s->flags = tdp_probe_le(f, n, at + 8, 8, &ok);
    s->offset = tdp_probe_le(f, n, at + 24, 8, &ok);
    s->size = tdp_probe_le(f, n, at + 32, 8, &ok);
    s->link = (uint32_t)tdp_probe_le(f, n, at + 40, 4, &ok);
    s->entsize = tdp_probe_le(f, n, at + 56, 8, &ok);
    return ok;
}

/* The section's bytes lie in the file (not SHT_NOBITS). */
static bool in_file(size_t n, const shdr *s)
{
    return s->type != 8 /* SHT_NOBITS */ && s->offset <= n && s->size <= n - s->offset;
}

bool tdp_probe_symbol(const uint8_t *f, size_t n, const char *name, uint64_t *value)
{
    shdr sym;
    shdr str;
    for (uint32_t i = 0; section(f, n, i, &sym); i++) {
        if (sym.type != 2 /* SHT_SYMTAB */ || !in_file(n, &sym) || !section(f, n, sym.link, &str) ||
            !in_file(n, &str)) {
            continue;
        }
        const size_t len = strlen(name);
        for (uint64_t p = 0; p + 24 <= sym.size; p += 24) {
            bool ok = true;
            const uint64_t e = sym.offset + p;
            const uint64_t nm = tdp_probe_le(f, n, e, 4, &ok);
            const uint64_t shndx = tdp_probe_le(f, n, e + 6, 2, &ok);
            if (!ok || shndx == 0 || nm + len >= str.size) {
                continue;
            }
            const uint8_t *s = f + str.offset + nm;
            if (memcmp(s, name, len) == 0 && s[len] == 0) {
                *value = tdp_probe_le(f, n, e + 8, 8, &ok);
                return ok;
            }
        }
    }
    return false;
}

size_t tdp_probe_loads(const uint8_t *f, size_t n, tdp_probe_load *out, size_t max)
{
    bool ok = true;
    const uint64_t phoff = tdp_probe_le(f, n, 32, 8, &ok);
    const uint64_t phnum = tdp_probe_le(f, n, 56, 2, &ok);
    size_t k = 0;
    for (uint64_t i = 0; ok && i < phnum && k < max; i++) {
        const uint64_t at = phoff + i * 56u;
        tdp_probe_load l;
        const uint64_t type = tdp_probe_le(f, n, at, 4, &ok);
        l.ph_at = at;
        l.flags = (uint32_t)tdp_probe_le(f, n, at + 4, 4, &ok);
        l.offset = tdp_probe_le(f, n, at + 8, 8, &ok);
        l.vaddr = tdp_probe_le(f, n, at + 16, 8, &ok);
        l.filesz = tdp_probe_le(f, n, at + 32, 8, &ok);
        l.memsz = tdp_probe_le(f, n, at + 40, 8, &ok);
        if (ok && type == 1 && l.memsz != 0) {
            out[k++] = l;
        }
    }
    return ok ? k : 0;
}

size_t tdp_probe_relas(const uint8_t *f, size_t n, tdp_probe_rela *out, size_t max)
{
    shdr s;
    size_t k = 0;
    for (uint32_t i = 0; section(f, n, i, &s); i++) {
        if (s.type != 4 /* SHT_RELA */ || (s.flags & 2u /* SHF_ALLOC */) == 0 || !in_file(n, &s)) {
            continue;
        }
        for (uint64_t p = 0; p + 24 <= s.size && k < max; p += 24) {
            bool ok = true;
            tdp_probe_rela r;
            r.at = s.offset + p;
            r.offset = tdp_probe_le(f, n, r.at, 8, &ok);
            r.info = tdp_probe_le(f, n, r.at + 8, 8, &ok);
            r.addend = tdp_probe_le(f, n, r.at + 16, 8, &ok);
            if (ok) {
                out[k++] = r;
            }
        }
    }
    return k;
}

bool tdp_probe_dyn(const uint8_t *f, size_t n, uint64_t tag, uint64_t *at)
{
    shdr s;
    for (uint32_t i = 0; section(f, n, i, &s); i++) {
        if (s.type != 6 /* SHT_DYNAMIC */ || !in_file(n, &s)) {
            continue;
        }
        for (uint64_t p = 0; p + 16 <= s.size; p += 16) {
            bool ok = true;
            if (tdp_probe_le(f, n, s.offset + p, 8, &ok) == tag && ok) {
                *at = s.offset + p;
                return true;
            }
        }
    }
    return false;
}
