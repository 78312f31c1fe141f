/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libacpi test kit (see acpi_test_util.h). */
#include "acpi_test_util.h"

#include <string.h>

/* ---- little-endian helpers (the test's own, not the library's) ------------------------------ */

void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t get_le64(const uint8_t *p)
{
    return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

void put_str(uint8_t *p, const char *s)
{
    for (size_t i = 0; s[i] != '\0'; i++) {
        p[i] = (uint8_t)s[i];
    }
}

void fix_sum(uint8_t *p, size_t len, size_t at)
{
    unsigned sum = 0;
    p[at] = 0;
    for (size_t i = 0; i < len; i++) {
        sum += p[i];
    }
    p[at] = (uint8_t)(256u - (sum & 0xffu));
}

void put_sdt(uint8_t *p, const char *sig, uint32_t len, uint8_t rev)
{
    memcpy(p, sig, 4);
    put_le32(p + 4, len);
    p[8] = rev;
    p[9] = 0;
    memcpy(p + 10, "BOCHS ", 6);
    memcpy(p + 16, "BXPC    ", 8);
    put_le32(p + 24, 1);
    memcpy(p + 28, "BXPC", 4);
    put_le32(p + 32, 1);
}

bool tables_eq(const acpi_tables *a, const acpi_tables *b)
{
    return a->space.regions == b->space.regions && a->space.count == b->space.count &&
           a->rsdp_addr == b->rsdp_addr && a->rsdp_revision == b->rsdp_revision &&
           a->rsdp_length == b->rsdp_length && a->rsdt_addr == b->rsdt_addr &&
           a->xsdt_addr == b->xsdt_addr && a->count == b->count && a->fadt_addr == b->fadt_addr &&
           a->dsdt_addr == b->dsdt_addr && a->facs_addr == b->facs_addr;
}

/* ---- script writer -------------------------------------------------------------------------- */

void sc_init(script *s)
{
    memset(s, 0, sizeof *s);
}

uint8_t *sc_next(script *s)
{
    uint8_t *e = s->b + (size_t)s->n * ACPI_LOADER_ENTRY_SIZE;
    memset(e, 0, ACPI_LOADER_ENTRY_SIZE);
    s->n++;
    return e;
}

static void put_name(uint8_t *p, const char *name)
{
    size_t n = strlen(name);
    memcpy(p, name, n < 56 ? n : 56);
}

void sc_alloc(script *s, const char *file, uint32_t align, uint8_t zone)
{
    uint8_t *e = sc_next(s);
    put_le32(e, 1);
    put_name(e + 4, file);
    put_le32(e + 60, align);
    e[64] = zone;
}

void sc_ptr(script *s, const char *dst, const char *src, uint32_t off, uint8_t size)
{
    uint8_t *e = sc_next(s);
    put_le32(e, 2);
    put_name(e + 4, dst);
    put_name(e + 60, src);
    put_le32(e + 116, off);
    e[120] = size;
}

void sc_cksum(script *s, const char *file, uint32_t result, uint32_t start, uint32_t len)
{
    uint8_t *e = sc_next(s);
    put_le32(e, 3);
    put_name(e + 4, file);
    put_le32(e + 60, result);
    put_le32(e + 64, start);
    put_le32(e + 68, len);
}

void sc_wptr(script *s, const char *dst, const char *src, uint32_t dst_off, uint32_t src_off,
             uint8_t size)
{
    uint8_t *e = sc_next(s);
    put_le32(e, 4);
    put_name(e + 4, dst);
    put_name(e + 60, src);
    put_le32(e + 116, dst_off);
    put_le32(e + 120, src_off);
    e[124] = size;
}

void sc_pad(script *s, uint32_t entries)
{
    while (s->n < entries) {
        (void)sc_next(s);
    }
}

size_t sc_len(const script *s)
{
    return (size_t)s->n * ACPI_LOADER_ENTRY_SIZE;
}

/* ---- fake fw_cfg ------------------------------------------------------------------------------
 */

static uint8_t g_high[FW_HIGH_LEN] __attribute__((aligned(4096)));
static uint8_t g_fseg[FW_FSEG_LEN] __attribute__((aligned(4096)));
static uint8_t g_shadow_high[FW_HIGH_LEN];
static uint8_t g_shadow_fseg[FW_FSEG_LEN];

void fw_init(fake_fw *fw)
{
    memset(fw, 0, sizeof *fw);
    fw->high = g_high;
    fw->fseg = g_fseg;
    fw->shadow_high = g_shadow_high;
    fw->shadow_fseg = g_shadow_fseg;
    fw->high_addr = FW_HIGH_ADDR;
    fw->fail_at = -1;
    memset(g_high, FW_FILL, sizeof g_high);
    memset(g_fseg, FW_FILL, sizeof g_fseg);
    memset(g_shadow_high, FW_FILL, sizeof g_shadow_high);
    memset(g_shadow_fseg, FW_FILL, sizeof g_shadow_fseg);
}

void fw_add(fake_fw *fw, const char *name, const uint8_t *data, uint32_t size)
{
    fw_file *f = &fw->files[fw->nfiles++];
    memset(f->name, 0, sizeof f->name);
    memcpy(f->name, name, strlen(name));
    f->data = data;
    f->size = size;
}

static const fw_file *fw_find(const fake_fw *fw, const char *name)
{
    for (size_t i = 0; i < fw->nfiles; i++) {
        if (strcmp(fw->files[i].name, name) == 0) {
            return &fw->files[i];
        }
    }
    return NULL;
}

static tds_status op_size(void *ctx, const char *name, uint32_t *size)
{
    const fw_file *f = fw_find(ctx, name);
    if (f == NULL) {
        return TDS_ERR_NOT_FOUND;
    }
    *size = f->size;
    return TDS_OK;
}

static tds_status op_alloc(void *ctx, const acpi_loader_alloc *req, tds_mut_bytes *mem,
                           uint64_t *addr)
{
    fake_fw *fw = ctx;
    uint32_t call = fw->allocs++;
    if (call < FW_MAX_FILES) {
        fw->reqs[call] = *req;
    }
    if (fw->fail_at >= 0 && (uint32_t)fw->fail_at == call) {
        return TDS_ERR_NO_SPACE;
    }
    const fw_file *f = fw_find(fw, req->name);
    if (f == NULL || f->size != req->size) {
        return TDS_ERR_INVALID_ARG;
    }
    bool fseg = req->zone == ACPI_LOADER_ZONE_FSEG;
    uint8_t *arena = fseg ? fw->fseg : fw->high;
    uint8_t *shadow = fseg ? fw->shadow_fseg : fw->shadow_high;
    size_t cap = fseg ? FW_FSEG_LEN : FW_HIGH_LEN;
    size_t *used = fseg ? &fw->fseg_used : &fw->high_used;
    uint64_t base = fseg ? FW_FSEG_ADDR : fw->high_addr;
    size_t off = (*used + req->align - 1) & ~((size_t)req->align - 1);
    if (off > cap || req->size > cap - off) {
        return TDS_ERR_NO_SPACE;
    }
    memcpy(arena + off, f->data, f->size);
    memcpy(shadow + off, f->data, f->size);
    *used = off + f->size;
    uint8_t *p = arena + off;
    if (call == 0) {
        fw->first_mem = p;
    }
    if (fw->same_mem && call > 0) {
        p = fw->first_mem;
    }
    *mem = tds_mut_bytes_make(p, fw->short_mem ? (size_t)f->size - 1 : f->size);
    *addr = (fw->force_addr != 0 ? fw->force_addr : base + off) + fw->addr_add;
    return TDS_OK;
}

static tds_status op_wp(void *ctx, const char *file, uint32_t offset, uint8_t size, uint64_t value)
{
    fake_fw *fw = ctx;
    if (fw->wp_status != TDS_OK) {
        return fw->wp_status;
    }
    if (fw->n_wp < 8) {
        fw_wp *w = &fw->wps[fw->n_wp];
        memset(w->file, 0, sizeof w->file);
        memcpy(w->file, file, strlen(file));
        w->offset = offset;
        w->size = size;
        w->value = value;
    }
    fw->n_wp++;
    return TDS_OK;
}

acpi_loader_ops fw_ops(fake_fw *fw, bool with_write_pointer)
{
    acpi_loader_ops ops = {fw, op_size, op_alloc, with_write_pointer ? op_wp : NULL};
    return ops;
}

bool fw_unchanged(const fake_fw *fw)
{
    return memcmp(fw->high, fw->shadow_high, FW_HIGH_LEN) == 0 &&
           memcmp(fw->fseg, fw->shadow_fseg, FW_FSEG_LEN) == 0;
}

uint8_t *fw_ptr(const fake_fw *fw, uint64_t addr)
{
    if (addr >= fw->high_addr && addr - fw->high_addr < FW_HIGH_LEN) {
        return fw->high + (addr - fw->high_addr);
    }
    if (addr >= FW_FSEG_ADDR && addr - FW_FSEG_ADDR < FW_FSEG_LEN) {
        return fw->fseg + (addr - FW_FSEG_ADDR);
    }
    return NULL;
}

/* ---- q35-like input -------------------------------------------------------------------------- */

static void add_ptr(q35_input *in, bool rsdp_dst, uint32_t off, uint8_t size)
{
    q35_patch *p = &in->patches[in->n_patches++];
    memset(p, 0, sizeof *p);
    p->rsdp_dst = rsdp_dst;
    p->pointer = true;
    p->a = off;
    p->b = size;
    sc_ptr(&in->sc, rsdp_dst ? Q35_RSDP : Q35_TABLES, Q35_TABLES, off, size);
}

static void add_cksum(q35_input *in, bool rsdp, uint32_t result, uint32_t start, uint32_t len)
{
    q35_patch *p = &in->patches[in->n_patches++];
    memset(p, 0, sizeof *p);
    p->rsdp_dst = rsdp;
    p->a = result;
    p->b = start;
    p->c = len;
    sc_cksum(&in->sc, rsdp ? Q35_RSDP : Q35_TABLES, result, start, len);
}

/* The table's checksum command, as acpi_table_end() adds it. */
static void end_table(q35_input *in, uint32_t off)
{
    add_cksum(in, false, off + 9, off, get_le32(in->tables + off + 4));
}

/* A Generic Address Structure. */
static void put_gas(uint8_t *p, uint8_t space, uint8_t width, uint64_t addr)
{
    p[0] = space;
    p[1] = width;
    p[2] = 0;
    p[3] = 0;
    put_le64(p + 4, addr);
}

void q35_build(q35_input *in)
{
    memset(in, 0, sizeof *in);
    sc_init(&in->sc);
    uint8_t *t = in->tables;
    /* QEMU emits the ALLOCATEs first: bios_linker_loader_alloc() prepends them. */
    sc_alloc(&in->sc, Q35_RSDP, 16, ACPI_LOADER_ZONE_FSEG);
    sc_alloc(&in->sc, Q35_TABLES, 64, ACPI_LOADER_ZONE_HIGH);

    /* FACS (ACPI 6.5 5.2.10): 64 bytes, no checksum, first so it is 64-byte aligned. */
    in->facs = 0;
    put_str(t, "FACS");
    put_le32(t + 4, 64);

    /* DSDT: header + Name(_S5, Package(4){0, 0, 0, 0}). */
    in->dsdt = 64;
    static const uint8_t s5[] = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0};
    put_sdt(t + in->dsdt, "DSDT", 36 + sizeof s5, 1);
    memcpy(t + in->dsdt + 36, s5, sizeof s5);
    end_table(in, in->dsdt);

    /* FACP, revision 3 (244 bytes), with the values QEMU 7.2 gives a q35 with PMBASE 0x600. */
    in->facp = in->dsdt + 48;
    uint8_t *f = t + in->facp;
    put_sdt(f, "FACP", 244, 3);
    put_le32(f + 36, in->facs); /* FIRMWARE_CTRL: an offset in the blob, relocated */
    put_le32(f + 40, in->dsdt); /* DSDT */
    put_le16(f + 46, 9);        /* SCI_INT */
    put_le32(f + 48, 0xb2);     /* SMI_CMD */
    f[52] = 2;                  /* ACPI_ENABLE */
    f[53] = 3;                  /* ACPI_DISABLE */
    put_le32(f + 56, Q35_PMBASE);
    put_le32(f + 64, Q35_PMBASE + 4);
    put_le32(f + 76, Q35_PMBASE + 8);
    put_le32(f + 80, Q35_PMBASE + 0x20);
    f[88] = 4;
    f[89] = 2;
    f[91] = 4;
    f[92] = 0x10;
    put_le16(f + 96, 0xfff);
    put_le16(f + 98, 0xfff);
    put_le16(f + 109, 0x232);
    put_le32(f + 112, 0x84a5); /* flags, RESET_REG_SUP among them */
    put_gas(f + 116, ACPI_GAS_IO, 8, 0xcf9);
    f[128] = 0x0f;
    put_le64(f + 140, in->dsdt); /* X_DSDT */
    put_gas(f + 148, ACPI_GAS_IO, 32, Q35_PMBASE);
    put_gas(f + 172, ACPI_GAS_IO, 16, Q35_PMBASE + 4);
    put_gas(f + 208, ACPI_GAS_IO, 32, Q35_PMBASE + 8);
    put_gas(f + 220, ACPI_GAS_IO, 128, Q35_PMBASE + 0x20);
    add_ptr(in, false, in->facp + 36, 4);
    add_ptr(in, false, in->facp + 40, 4);
    add_ptr(in, false, in->facp + 140, 8);
    end_table(in, in->facp);

    /* APIC: 4 CPUs, an I/O APIC, the ISA overrides and a LAPIC NMI (as build_madt). */
    in->apic = in->facp + 244;
    uint8_t *a = t + in->apic;
    static const uint8_t madt_body[] = {
        0x00, 0x00, 0xe0, 0xfe, 0x01, 0x00, 0x00, 0x00,                         /* LAPIC, flags */
        0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x01, 0x01, /* CPU 0, 1 */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x02, 0x02, 0x01, 0x00, 0x00, 0x00, /* CPU 2 */
        0x00, 0x08, 0x03, 0x03, 0x01, 0x00, 0x00, 0x00,                         /* CPU 3 */
        0x01, 0x0c, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xfe, 0x00, 0x00, 0x00, 0x00, /* IOAPIC */
        0x02, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,             /* ISO 0->2 */
        0x02, 0x0a, 0x00, 0x05, 0x05, 0x00, 0x00, 0x00, 0x0d, 0x00,             /* ISO 5 */
        0x02, 0x0a, 0x00, 0x09, 0x09, 0x00, 0x00, 0x00, 0x0d, 0x00,             /* ISO 9 */
        0x02, 0x0a, 0x00, 0x0a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x00,             /* ISO 10 */
        0x02, 0x0a, 0x00, 0x0b, 0x0b, 0x00, 0x00, 0x00, 0x0d, 0x00,             /* ISO 11 */
        0x04, 0x06, 0xff, 0x00, 0x00, 0x01,                                     /* LAPIC NMI */
    };
    put_sdt(a, "APIC", (uint32_t)(36 + sizeof madt_body), 1);
    memcpy(a + 36, madt_body, sizeof madt_body);
    end_table(in, in->apic);

    /* MCFG: one allocation, segment 0, buses 0..255 at PCIEXBAR. */
    in->mcfg = in->apic + get_le32(a + 4);
    uint8_t *m = t + in->mcfg;
    put_sdt(m, "MCFG", 60, 1);
    put_le64(m + 44, Q35_MCFG_BASE);
    m[55] = 0xff;
    end_table(in, in->mcfg);

    /* WAET: emulated device flags. */
    in->waet = in->mcfg + 60;
    put_sdt(t + in->waet, "WAET", 40, 1);
    put_le32(t + in->waet + 36, 2);
    end_table(in, in->waet);

    /* RSDT: FACP, APIC, MCFG, WAET (each a 4-byte pointer into the blob). */
    in->rsdt = in->waet + 40;
    uint8_t *r = t + in->rsdt;
    const uint32_t entries[] = {in->facp, in->apic, in->mcfg, in->waet};
    put_sdt(r, "RSDT", 36 + 4 * 4, 1);
    for (uint32_t i = 0; i < 4; i++) {
        put_le32(r + 36 + (size_t)4 * i, entries[i]);
        add_ptr(in, false, in->rsdt + 36 + 4 * i, 4);
    }
    end_table(in, in->rsdt);
    in->end = in->rsdt + 52;

    /* RSDP revision 0: "RSD PTR ", checksum, "BOCHS ", 0, RsdtAddress (build_rsdp). */
    memcpy(in->rsdp, "RSD PTR ", 8);
    memcpy(in->rsdp + 9, "BOCHS ", 6);
    put_le32(in->rsdp + 16, in->rsdt);
    add_ptr(in, true, 16, 4);
    add_cksum(in, true, 8, 0, 20);

    /* QEMU pads the script to 4 KiB with zero entries. */
    sc_pad(&in->sc, 32);
}

void q35_expected(const q35_input *in, uint64_t tables_addr, uint64_t rsdp_addr,
                  uint8_t *tables_out, uint8_t *rsdp_out)
{
    (void)rsdp_addr; /* nothing points into the RSDP blob */
    memcpy(tables_out, in->tables, Q35_TABLES_SIZE);
    memcpy(rsdp_out, in->rsdp, ACPI_RSDP_V1_SIZE);
    for (uint32_t i = 0; i < in->n_patches; i++) {
        const q35_patch *p = &in->patches[i];
        uint8_t *blob = p->rsdp_dst ? rsdp_out : tables_out;
        if (p->pointer) {
            uint64_t v = 0;
            for (uint32_t k = 0; k < p->b; k++) {
                v |= (uint64_t)blob[p->a + k] << (8 * k);
            }
            v += tables_addr;
            for (uint32_t k = 0; k < p->b; k++) {
                blob[p->a + k] = (uint8_t)(v >> (8 * k));
            }
        } else {
            /* The checksum byte is 0 before (QEMU's rule): it becomes minus the range's sum. */
            unsigned sum = 0;
            for (uint32_t k = 0; k < p->c; k++) {
                sum += blob[p->b + k];
            }
            blob[p->a] = (uint8_t)(0x100u - (sum & 0xffu));
        }
    }
}

void q35_files(const q35_input *in, fake_fw *fw)
{
    fw_add(fw, Q35_RSDP, in->rsdp, ACPI_RSDP_V1_SIZE);
    fw_add(fw, Q35_TABLES, in->tables, Q35_TABLES_SIZE);
}
