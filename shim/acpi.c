/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* QEMU's ACPI tables through libacpi (acpi.h, docs/linux-boot.md "ACPI"). */
#include "acpi.h"

#include "fatal.h"
#include "handoff.h"
#include "log.h"
#include "measure.h"
#include "q35.h"
#include "tdshim/acpi.h"
#include "tdshim/ccel.h"
#include "tdshim/endian.h"
#include "tdshim/madt.h"
#include "tdshim/mem.h"

#define PAGE ((uint64_t)0x1000)
#define FOUR_GIB ((uint64_t)1 << 32)
#define SCRIPT_MAX (ACPI_LOADER_MAX_COMMANDS * ACPI_LOADER_ENTRY_SIZE) /* 128 KiB */
#define BLOBS_MAX 16u

typedef struct acpi_ctx {
    shim_fwcfg *fw;
    shim_e820 *map;
    bool td;
} acpi_ctx;

/* One boot, one BSP: the loader's bookkeeping lives for the OS (the regions describe the
 * tables the kernel gets). */
static acpi_loader_blob shim_acpi_blobs[BLOBS_MAX];
static acpi_region shim_acpi_regions[BLOBS_MAX + 1u];

static TDS_NORETURN void acpi_fatal(uint32_t code, const char *what, const acpi_error *err)
{
    shim_log("tdshim: acpi: %s: %s (%s), command/entry %u, address 0x%lx", what,
             acpi_reason_str(err->reason), tds_status_str(err->status), err->index, err->addr);
    shim_fatal(code, what);
}

static tds_status op_file_size(void *ctx, const char *name, uint32_t *size)
{
    const acpi_ctx *c = ctx;
    uint16_t sel = 0;
    return shim_fwcfg_find(c->fw, name, &sel, size);
}

/* Firmware memory the OS keeps (ACPI NVS, as OVMF allocates loader blobs), below 4 GiB and below
 * the highest address the script's pointers to the blob can hold; then the file's bytes, once,
 * into private memory; in a TD measured before anything reads them. */
static tds_status op_allocate(void *ctx, const acpi_loader_alloc *req, tds_mut_bytes *mem,
                              uint64_t *addr)
{
    const acpi_ctx *c = ctx;
    uint16_t sel = 0;
    uint32_t size = 0;
    TDS_TRY(shim_fwcfg_find(c->fw, req->name, &sel, &size));
    if (size != req->size) {
        return TDS_ERR_VMM; /* the directory changed between the two reads */
    }
    uint64_t below = FOUR_GIB;
    if (req->max_last < below - 1u) {
        below = req->max_last + 1u;
    }
    uint64_t pages = 0;
    TDS_TRY(tds_align_up_u64(size, PAGE, &pages));
    uint64_t a = 0;
    TDS_TRY(shim_e820_alloc(c->map, pages, PAGE, below, TDHOB_E820_NVS, &a));
    uint8_t *p = (uint8_t *)(uintptr_t)a;
    TDS_TRY(shim_fwcfg_read(c->fw, sel, p, size));
    memset(p + size, 0, (size_t)(pages - size));
    if (c->td) {
        shim_measure_acpi_data(tds_bytes_make(p, size));
    }
    *mem = tds_mut_bytes_make(p, (size_t)pages);
    *addr = a;
    return TDS_OK;
}

/* The script into a temporary buffer (given back to RAM when the tables are built). */
static tds_bytes read_script(const acpi_ctx *c, uint64_t *buf, uint64_t *buf_len)
{
    uint16_t sel = 0;
    uint32_t size = 0;
    const tds_status st = shim_fwcfg_find(c->fw, "etc/table-loader", &sel, &size);
    if (st != TDS_OK) {
        shim_log("tdshim: acpi: fw_cfg etc/table-loader: %s", tds_status_str(st));
        shim_fatal(0x8101, "acpi: no table-loader script in fw_cfg");
    }
    if (size == 0 || size > SCRIPT_MAX) {
        shim_log("tdshim: acpi: etc/table-loader is 0x%x bytes", size);
        shim_fatal(0x8101, "acpi: table-loader script empty or larger than 128 KiB");
    }
    uint64_t len = 0;
    uint64_t a = 0;
    if (tds_align_up_u64(size, PAGE, &len) != TDS_OK ||
        shim_e820_alloc(c->map, len, PAGE, FOUR_GIB, TDHOB_E820_RESERVED, &a) != TDS_OK ||
        shim_fwcfg_read(c->fw, sel, (uint8_t *)(uintptr_t)a, size) != TDS_OK) {
        shim_fatal(0x8101, "acpi: cannot read the table-loader script");
    }
    const tds_bytes script = tds_bytes_make((const void *)(uintptr_t)a, size);
    if (c->td) {
        shim_measure_acpi_data(script);
    }
    *buf = a;
    *buf_len = len;
    return script;
}

/* The tables describe the chipset the shim set up: PM1a at PMBASE (power-off), ECAM at PCIEXBAR. */
static void check_chipset(const acpi_tables *t)
{
    acpi_error err;
    acpi_fadt_info f;
    if (acpi_fadt_read(t, &f, &err) != TDS_OK) {
        acpi_fatal(0x8103, "acpi: FADT", &err);
    }
    if (acpi_fadt_check_pm_base(&f, SHIM_Q35_PMBASE) != TDS_OK) {
        shim_log("tdshim: acpi: FADT PM1a_EVT 0x%lx PM1a_CNT 0x%lx, PMBASE is 0x%x",
                 f.pm1a_evt.address, f.pm1a_cnt.address, SHIM_Q35_PMBASE);
        shim_fatal(0x8103, "acpi: the FADT's power-management registers are not at PMBASE");
    }
    acpi_mcfg_entry m;
    uint32_t n = 0;
    const tds_status st = acpi_mcfg_read(t, 0, &m, &n, &err);
    if (st != TDS_OK || n != 1 || m.base != SHIM_Q35_ECAM_BASE || m.segment != 0 ||
        m.start_bus != 0 || ((uint64_t)m.end_bus + 1u) * 0x100000u > SHIM_Q35_ECAM_SIZE) {
        shim_log("tdshim: acpi: MCFG %s: %u entries, base 0x%lx buses %u-%u; PCIEXBAR 0x%x",
                 tds_status_str(st), n, m.base, m.start_bus, m.end_bus, SHIM_Q35_ECAM_BASE);
        shim_fatal(0x8103, "acpi: the MCFG does not describe the ECAM window at PCIEXBAR");
    }
}

/* A TD's edit: QEMU's MADT with the MP Wakeup structure, and a CCEL table, in a new region. */
static void td_edit(const acpi_ctx *c, const shim_acpi_td *td, size_t nregions, acpi_tables *t)
{
    acpi_error err;
    acpi_table_ref madt;
    if (acpi_tables_find(t, "APIC", &madt, NULL) != TDS_OK) {
        shim_fatal(0x8104, "acpi: QEMU's tables have no MADT");
    }
    const uint64_t madt_len = (uint64_t)madt.length + MADT_WAKEUP_V1_SIZE;
    const uint64_t madt_off = 0;
    const uint64_t ccel_off = (madt_off + madt_len + 15u) & ~(uint64_t)15u;
    const uint64_t rsdt_off = ccel_off + CCEL_ACPI_SIZE + 8u;
    const uint64_t entries = (uint64_t)t->count + 2u;
    const uint64_t rsdt_len = ACPI_SDT_HEADER_SIZE + 4u * entries;
    const uint64_t xsdt_off = (rsdt_off + rsdt_len + 15u) & ~(uint64_t)15u;
    const uint64_t xsdt_len = ACPI_SDT_HEADER_SIZE + 8u * entries;
    uint64_t len = 0;
    uint64_t a = 0;
    if (madt.length > MADT_MAX_SIZE ||
        tds_align_up_u64(xsdt_off + xsdt_len, PAGE, &len) != TDS_OK ||
        shim_e820_alloc(c->map, len, PAGE, FOUR_GIB, TDHOB_E820_NVS, &a) != TDS_OK) {
        shim_fatal(0x8104, "acpi: no room for the TD's tables");
    }
    uint8_t *p = (uint8_t *)(uintptr_t)a;
    memset(p, 0, (size_t)len);
    const madt_wakeup wk = {
        .version = 1, .mailbox_addr = td->mailbox, .reset_vector = td->reset_vector};
    size_t out_len = 0;
    const tds_status mst =
        mbox_madt_append_wakeup(tds_mut_bytes_make(p + madt_off, (size_t)madt_len),
                                tds_bytes_make(madt.bytes.ptr, madt.length), &wk, &out_len);
    if (mst != TDS_OK) {
        shim_log("tdshim: acpi: MADT + wakeup: %s", tds_status_str(mst));
        shim_fatal(0x8104, "acpi: QEMU's MADT cannot take the wakeup structure");
    }
    shim_handoff_ccel(p + ccel_off);
    /* Re-open with the new region in the space, then point the root tables at the new ones. */
    shim_acpi_regions[nregions] = (acpi_region){a, tds_mut_bytes_make(p, (size_t)len)};
    const acpi_space s = {shim_acpi_regions, nregions + 1u};
    const uint64_t rsdp = t->rsdp_addr;
    if (acpi_tables_open(&s, rsdp, t, &err) != TDS_OK) {
        acpi_fatal(0x8104, "acpi: tables", &err);
    }
    const uint64_t add[1] = {a + ccel_off};
    const acpi_edit e = {.madt = a + madt_off,
                         .add = add,
                         .n_add = 1,
                         .rsdt_room = t->rsdt_addr != 0 ? a + rsdt_off : 0,
                         .rsdt_room_len = t->rsdt_addr != 0 ? (uint32_t)rsdt_len : 0,
                         .xsdt_room = t->xsdt_addr != 0 ? a + xsdt_off : 0,
                         .xsdt_room_len = t->xsdt_addr != 0 ? (uint32_t)xsdt_len : 0};
    if (acpi_tables_edit(t, &e, &err) != TDS_OK) {
        acpi_fatal(0x8104, "acpi: the TD's edit (MADT with wakeup, CCEL)", &err);
    }
}

uint64_t shim_acpi_load(shim_fwcfg *fw, shim_e820 *map, const shim_acpi_td *td)
{
    acpi_ctx c = {fw, map, td != NULL};
    uint64_t sbuf = 0;
    uint64_t slen = 0;
    const tds_bytes script = read_script(&c, &sbuf, &slen);
    const acpi_loader_ops ops = {
        .ctx = &c, .file_size = op_file_size, .allocate = op_allocate, .write_pointer = NULL};
    acpi_loader_result res;
    acpi_error err;
    if (acpi_loader_run(script, &ops, ACPI_LOADER_SKIP_UNKNOWN, shim_acpi_blobs, BLOBS_MAX, &res,
                        &err) != TDS_OK) {
        acpi_fatal(0x8102, "acpi: table-loader script refused", &err);
    }
    if (shim_e820_set(map, sbuf, slen, TDHOB_E820_RAM) != TDS_OK) {
        shim_fatal(0x8102, "acpi: memory map full");
    }
    for (size_t i = 0; i < res.blobs; i++) {
        shim_acpi_regions[i] = acpi_loader_blob_region(&shim_acpi_blobs[i]);
    }
    const acpi_loader_blob *rb = NULL;
    if (acpi_loader_find(shim_acpi_blobs, res.blobs, "etc/acpi/rsdp", &rb) != TDS_OK) {
        shim_fatal(0x8103, "acpi: the script loads no etc/acpi/rsdp");
    }
    const acpi_space s = {shim_acpi_regions, res.blobs};
    acpi_tables t;
    if (acpi_tables_open(&s, rb->addr, &t, &err) != TDS_OK) {
        acpi_fatal(0x8103, "acpi: QEMU's tables", &err);
    }
    check_chipset(&t);
    if (td != NULL) {
        td_edit(&c, td, res.blobs, &t);
    }
    shim_log("tdshim: acpi: %u commands (%u pointers, %u checksums), %lu files, rsdp 0x%lx rev %u, "
             "%u tables%s",
             res.commands, res.pointers, res.checksums, (uint64_t)res.blobs, t.rsdp_addr,
             t.rsdp_revision, t.count, td != NULL ? " (MADT with MP wakeup, CCEL added)" : "");
    for (uint32_t i = 0; i < t.count; i++) {
        acpi_table_ref r;
        if (acpi_tables_entry(&t, i, &r) == TDS_OK) {
            shim_log("tdshim: acpi: table %c%c%c%c at 0x%lx, 0x%x bytes", r.signature[0],
                     r.signature[1], r.signature[2], r.signature[3], r.addr, r.length);
        }
    }
    return t.rsdp_addr;
}

/*
 * The HPET table (IA-PC HPET specification 1.0a, 3.2.4; 56 bytes) for the q35 chipset's HPET at
 * its fixed address: the reference the kernel calibrates the TSC against when nothing else gives
 * its frequency (docs/linux-boot.md "ACPI without fw_cfg": without it the kernel stops before it
 * starts the APs).
 */
static void sdt_checksum(uint8_t *t, uint32_t len);
#define HPET_TABLE_SIZE 56u
#define HPET_BASE 0xFED00000u
static void build_hpet(uint8_t *t)
{
    memset(t, 0, HPET_TABLE_SIZE);
    memcpy(t, "HPET", 4);
    tds_store_le32(t + ACPI_SDT_OFF_LENGTH, HPET_TABLE_SIZE);
    t[ACPI_SDT_OFF_REVISION] = 1;
    memcpy(t + ACPI_SDT_OFF_OEM_ID, "TDSHIM", 6);
    memcpy(t + 16, "TDSHHPET", 8);
    tds_store_le32(t + 24, 1);
    memcpy(t + 28, "TDSH", 4);
    tds_store_le32(t + 32, 1);
    /* Event Timer Block ID: vendor 0x8086, legacy replacement capable, 64-bit counter, 3
     * comparators (index 2), revision 1: the q35 HPET as QEMU models it. */
    tds_store_le32(t + 36, 0x8086A201u);
    t[40] = ACPI_GAS_MEMORY; /* Base Address: GAS, system memory */
    tds_store_le64(t + 44, HPET_BASE);
    sdt_checksum(t, HPET_TABLE_SIZE);
}

static void sdt_checksum(uint8_t *t, uint32_t len)
{
    uint8_t sum = 0;
    t[ACPI_SDT_OFF_CHECKSUM] = 0;
    for (uint32_t i = 0; i < len; i++) {
        sum = (uint8_t)(sum + t[i]);
    }
    t[ACPI_SDT_OFF_CHECKSUM] = (uint8_t)(0u - sum);
}

/*
 * The q35 I/O APIC (ACPI 6.5 5.2.12.3, 12 bytes: ID 0, address 0xFEC00000, GSI base 0) and the ISA
 * override of IRQ 0 to GSI 2 (5.2.12.5, 10 bytes, conforming polarity and trigger), as QEMU's MADT
 * has them, appended to the shim's MADT: the timer interrupt the kernel checks its LAPIC timer
 * against arrives through it (docs/linux-boot.md "ACPI without fw_cfg").
 */
#define MADT_IOAPIC_EXTRA 22u
static void add_ioapic(uint8_t *madt, size_t len)
{
    uint8_t *e = madt + len;
    memset(e, 0, MADT_IOAPIC_EXTRA);
    e[0] = 1; /* I/O APIC */
    e[1] = 12;
    tds_store_le32(e + 4, 0xFEC00000u);
    e[12] = 2; /* Interrupt Source Override */
    e[13] = 10;
    e[16] = 2; /* IRQ 0 (byte 15) -> GSI 2 */
    const uint32_t total = (uint32_t)len + MADT_IOAPIC_EXTRA;
    tds_store_le32(madt + ACPI_SDT_OFF_LENGTH, total);
    sdt_checksum(madt, total);
}

/*
 * A VMM without fw_cfg gives no ACPI tables: the minimum a TD kernel needs, from nothing the VMM
 * wrote: the MADT with the MP wakeup structure (every vCPU, its APIC ID as the AP reported it),
 * the CCEL table, an XSDT listing both and a revision-2 RSDP, in one ACPI NVS allocation below
 * 4 GiB, checked by opening them as the kernel will (docs/linux-boot.md "ACPI without fw_cfg").
 */
uint64_t shim_acpi_build_td(shim_e820 *map, const shim_handoff_in *h)
{
    const tds_bytes madt = shim_handoff_madt(h);
    const uint64_t rsdp_off = 0;
    const uint64_t xsdt_off = 0x40;
    const uint64_t hpet_off = 0xC0;
    const uint64_t madt_off = 0x100;
    const uint64_t madt_len = madt.len + MADT_IOAPIC_EXTRA;
    const uint64_t ccel_off = (madt_off + madt_len + 15u) & ~(uint64_t)15u;
    uint64_t len = 0;
    uint64_t a = 0;
    if (tds_align_up_u64(ccel_off + CCEL_ACPI_SIZE, PAGE, &len) != TDS_OK ||
        shim_e820_alloc(map, len, PAGE, FOUR_GIB, TDHOB_E820_NVS, &a) != TDS_OK) {
        shim_fatal(0x8105, "acpi: no room below 4 GiB for the TD's own tables");
    }
    uint8_t *p = (uint8_t *)(uintptr_t)a;
    memset(p, 0, (size_t)len);
    memcpy(p + madt_off, madt.ptr, madt.len);
    add_ioapic(p + madt_off, madt.len);
    shim_handoff_ccel(p + ccel_off);
    build_hpet(p + hpet_off);
    shim_acpi_regions[0] = (acpi_region){a, tds_mut_bytes_make(p, (size_t)len)};
    const acpi_space s = {shim_acpi_regions, 1};
    const uint64_t tables[3] = {a + madt_off, a + ccel_off, a + hpet_off};
    const acpi_ids ids = {.oem_id = {'T', 'D', 'S', 'H', 'I', 'M'},
                          .oem_table_id = {'T', 'D', 'S', 'H', 'X', 'S', 'D', 'T'},
                          .oem_revision = 1,
                          .creator_id = {'T', 'D', 'S', 'H'},
                          .creator_revision = 1};
    acpi_error err;
    if (acpi_build_root(&s, tables, TDS_ARRAY_LEN(tables), &ids, a + rsdp_off, a + xsdt_off,
                        &err) != TDS_OK) {
        acpi_fatal(0x8105, "acpi: the TD's own root tables", &err);
    }
    shim_log("tdshim: acpi: no fw_cfg: own tables at 0x%lx: rsdp rev 2, xsdt, MADT with MP wakeup "
             "and the I/O APIC (0x%lx bytes, %u cpus), CCEL, HPET",
             a, madt_len, h->cpus);
    return a + rsdp_off;
}
