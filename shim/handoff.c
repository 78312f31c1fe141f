/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The hand-off (handoff.h; the contract is docs/handoff.md, section numbers below refer to it).
 */
#include "handoff.h"

#include "fatal.h"

TDS_NORETURN void shim_payload_returned(void)
{
    shim_fatal(0x7F00, "payload returned");
}

#include "ap.h"
#include "arch/cpu.h"
#include "e820.h"
#include "hob.h"
#include "linux.h"
#include "tdshim/loader.h"
#include "log.h"
#include "measure.h"
#include "paging.h"
#include "payload_map.h"
#include "secboot.h"
#include "shim_accept.h"
#include "tdshim/ccel.h"
#include "tdshim/checked.h"
#include "tdshim/madt.h"
#include "tdshim/mailbox_os.h"
#include "tdshim/mem.h"
#include "tdshim/tdhob.h"
#include "tdshim/tdhob_wire.h"

#define TWO_MIB 0x200000ull
#define PAGE 0x1000ull

/* §4: what the shim keeps for the payload, in its own RAM (TempMem): the ACPI area (E820 3),
 * the OS mailbox and the AP-loop blob page (E820 4, next to the event log's area). */
static uint8_t shim_acpi_area[SHIM_ACPI_AREA_SIZE] TDS_ALIGNED(4096);
static mbox_os_mailbox shim_os_mailbox;
static uint8_t shim_os_blob[4096] TDS_ALIGNED(4096);

/* Working storage (BSP only, used once). */
static shim_e820 shim_handoff_e820;
static uint8_t
    shim_madt[MADT_HEADER_SIZE + SHIM_MAX_VCPUS * MADT_X2APIC_SIZE + MADT_WAKEUP_V1_SIZE];
static uint32_t shim_apic_ids[SHIM_MAX_VCPUS];
static ldr_result shim_payload;

#define ADDR(p) ((uint64_t)(uintptr_t)(p))

static void fatal_status(uint32_t code, const char *what, tds_status st)
{
    shim_log("tdshim: handoff: %s: %s", what, tds_status_str(st));
    shim_fatal(code, what);
}

/* E820 type of a HOB memory kind; 0 = not in the map (MMIO). */
static uint32_t e820_type(tdhob_mem_kind kind, bool accepted_by_shim)
{
    switch (kind) {
    case TDHOB_MEM_ACCEPTED: return TDHOB_E820_RAM;
    case TDHOB_MEM_UNACCEPTED: return accepted_by_shim ? TDHOB_E820_RAM : TDHOB_E820_UNACCEPTED;
    case TDHOB_MEM_RESERVED: return TDHOB_E820_RESERVED;
    case TDHOB_MEM_MMIO: break;
    }
    return 0;
}

/*
 * §4 step 1: the TD HOB's memory map as E820, RAM the shim accepted as type 1 and RAM the
 * policy left as type 8; then what the shim still uses after the jump reserved: its RAM image
 * (code, data, page tables, IDT/GDT/TSS, stacks) and the AP stack slots of the present APs (their
 * IST1 exception stacks). The rest of TempMem is accepted RAM the payload may use.
 */
static void e820_from_hob(shim_e820 *m, const shim_handoff_in *in, const tdhob_view *hob)
{
    tdhob_mem_range map[SHIM_E820_MAX];
    size_t n = 0;
    tds_status st = tdhob_memory_map(hob, map, TDS_ARRAY_LEN(map), &n);
    if (st != TDS_OK) {
        fatal_status(0x7001, "e820: TD HOB memory map", st);
    }
    shim_accept_left_range left[SHIM_ACCEPT_MAX_RANGES];
    size_t nleft = 0;
    const bool accepted = shim_accept_left(left, TDS_ARRAY_LEN(left), &nleft) == TDS_OK;
    shim_e820_init(m);
    for (size_t i = 0; i < n && st == TDS_OK; i++) {
        const uint32_t t = e820_type(map[i].kind, accepted);
        st = t == 0 ? TDS_OK : shim_e820_set(m, map[i].base, map[i].length, t);
    }
    for (size_t i = 0; i < nleft && st == TDS_OK; i++) {
        st = shim_e820_set(m, left[i].base, left[i].len, TDHOB_E820_UNACCEPTED);
    }
    const uint64_t ram0 = CPU_SYMBOL_ADDR(__shim_ram_start);
    const uint64_t ram1 = CPU_SYMBOL_ADDR(__shim_ram_end);
    if (st == TDS_OK) {
        st = shim_e820_set(m, ram0, ram1 - ram0, TDHOB_E820_RESERVED);
    }
    if (st == TDS_OK && in->cpus > 1) {
        st = shim_e820_set(m, SHIM_AP_AREA, (uint64_t)(in->cpus - 1u) * SHIM_AP_SLOT_SIZE,
                           TDHOB_E820_RESERVED);
    }
    if (st != TDS_OK) {
        fatal_status(0x7002, "e820: more than 128 entries", st);
    }
}

/* §4 step 2: the pages inside the shim's RAM that the OS must find and keep. */
static void e820_carve(shim_e820 *m)
{
    tds_status st = shim_e820_set(m, shim_measure_area(), SHIM_LOG_AREA_SIZE, TDHOB_E820_NVS);
    if (st == TDS_OK) {
        st = shim_e820_set(m, ADDR(&shim_os_mailbox), sizeof shim_os_mailbox, TDHOB_E820_NVS);
    }
    if (st == TDS_OK) {
        st = shim_e820_set(m, ADDR(shim_os_blob), sizeof shim_os_blob, TDHOB_E820_NVS);
    }
    if (st == TDS_OK) {
        st = shim_e820_set(m, ADDR(shim_acpi_area), sizeof shim_acpi_area, TDHOB_E820_ACPI);
    }
    if (st != TDS_OK) {
        fatal_status(0x7002, "e820: more than 128 entries", st);
    }
}

void shim_handoff_memory_map(shim_e820 *m, const shim_handoff_in *in)
{
    const tdhob_view *td = shim_hob_checked();
    if (td == NULL) {
        shim_fatal(0x7001, "hand-off: no validated TD HOB to build the memory map from");
    }
    e820_from_hob(m, in, td);
    e820_carve(m);
}

/* Is [base, base+len) inside RAM the TD HOB reports as already added (accepted) by the VMM? */
static bool hob_added_ram(const tdhob_view *hob, uint64_t base, uint64_t len)
{
    tdhob_mem_range map[SHIM_E820_MAX];
    size_t n = 0;
    if (tdhob_memory_map(hob, map, TDS_ARRAY_LEN(map), &n) != TDS_OK) {
        return false;
    }
    uint64_t at = base;
    const uint64_t end = base + len; /* the caller checked that it does not wrap */
    for (size_t i = 0; i < n && at < end; i++) {
        const uint64_t r_end = map[i].base + map[i].length;
        if (r_end <= at) {
            continue;
        }
        if (map[i].base > at || map[i].kind != TDHOB_MEM_ACCEPTED) {
            return false;
        }
        at = r_end;
    }
    return at >= end;
}

bool shim_handoff_hob_added_ram(uint64_t base, uint64_t len)
{
    const tdhob_view *td = shim_hob_checked();
    uint64_t end = 0;
    return td != NULL && tds_range_end(base, len, &end) == TDS_OK && hob_added_ram(td, base, len);
}

/*
 * §1: the payload's bytes, read in place. Image payloads are private memory the VMM added before
 * the TD started (and in MRTD when they are a BFV). A VMM-placed region must first be RAM the TD
 * HOB reports as added by the VMM (private, accepted), else the VMM could name memory it can still
 * change after the measurement; it is reserved in the E820 before the load region is chosen.
 */
static tds_bytes payload_bytes(const tdvf_section *s, tdvf_payload_kind kind, const tdhob_view *hob,
                               shim_e820 *m)
{
    uint64_t end;
    if (s->mem_size == 0 || tds_range_end(s->mem_addr, s->mem_size, &end) != TDS_OK ||
        end > (1ull << 32)) {
        shim_fatal(0x7003, "payload section outside the first 4 GiB");
    }
    if (kind == TDVF_PAYLOAD_VMM) {
        if (!hob_added_ram(hob, s->mem_addr, s->mem_size)) {
            shim_log("tdshim: handoff: VMM-placed payload region 0x%lx-0x%lx is not RAM the TD "
                     "HOB reports as added",
                     s->mem_addr, end);
            shim_fatal(0x700E, "payload region (VMM-placed) is not accepted private RAM");
        }
        const tds_status st = shim_e820_set(m, s->mem_addr, s->mem_size, TDHOB_E820_RESERVED);
        if (st != TDS_OK) {
            fatal_status(0x7002, "e820: more than 128 entries", st);
        }
    }
    return tds_bytes_make((const void *)(uintptr_t)s->mem_addr, (size_t)s->mem_size);
}

/* §2: load into [SHIM_PAYLOAD_BASE, ...) of accepted RAM, then give each segment its pages. */
static uint64_t load_payload(const shim_e820 *m, tds_bytes image)
{
    const uint64_t ram_end = shim_e820_run_end(m, SHIM_PAYLOAD_BASE, TDHOB_E820_RAM);
    if (ram_end == 0) {
        shim_fatal(0x7004, "payload region: 0x1000000 is not accepted RAM");
    }
    const uint64_t dest_len = ram_end - SHIM_PAYLOAD_BASE < SHIM_PAYLOAD_MAX
                                  ? ram_end - SHIM_PAYLOAD_BASE
                                  : SHIM_PAYLOAD_MAX;
    ldr_error err = {LDR_R_NONE, 0};
    const tds_status st =
        ldr_load(image, tds_mut_bytes_make((void *)(uintptr_t)SHIM_PAYLOAD_BASE, (size_t)dest_len),
                 SHIM_PAYLOAD_BASE, &shim_payload, &err);
    if (st != TDS_OK) {
        shim_log("tdshim: handoff: payload rejected: %s at file offset 0x%lx (%s)",
                 ldr_reason_str(err.reason), err.offset, tds_status_str(st));
        shim_fatal(0x7005, "payload: not a loadable ELF64 / PE32+ image");
    }
    uint64_t region = 0;
    if (tds_align_up_u64(shim_payload.load_size, TWO_MIB, &region) != TDS_OK || region > dest_len) {
        shim_fatal(0x7006, "payload region: the loaded image does not fit 2 MiB pages of RAM");
    }
    /* §2: each segment's pages with its own permissions, never writable and executable; the
     * rest of the region stays as all RAM is mapped (read-write, not executable). */
    shim_page_run runs[LDR_MAX_SEGMENTS];
    size_t nruns = 0;
    size_t bad = 0;
    const tds_status pst =
        shim_payload_page_runs(shim_payload.segments, shim_payload.segment_count, SHIM_PAYLOAD_BASE,
                               region, runs, TDS_ARRAY_LEN(runs), &nruns, &bad);
    if (pst != TDS_OK) {
        shim_log("tdshim: handoff: payload segment %lu: %s", (uint64_t)bad,
                 pst == TDS_ERR_UNSUPPORTED ? "writable and executable"
                 : pst == TDS_ERR_MISMATCH  ? "shares a page with a segment of other permissions"
                                            : tds_status_str(pst));
        shim_fatal(0x7010, "payload: segment permissions refused (W^X, one set per page)");
    }
    for (size_t i = 0; i < nruns; i++) {
        const tds_status mst =
            shim_paging_map(runs[i].start, runs[i].start, runs[i].len, runs[i].flags);
        if (mst != TDS_OK) {
            fatal_status(0x7007, "payload region: page tables", mst);
        }
        shim_log("tdshim: handoff: payload pages 0x%lx-0x%lx %s", runs[i].start,
                 runs[i].start + runs[i].len,
                 (runs[i].flags & PT_RW) != 0   ? "rw-"
                 : (runs[i].flags & PT_NX) == 0 ? "r-x"
                                                : "r--");
    }
    shim_log("tdshim: handoff: payload %s entry=0x%lx region=0x%lx-0x%lx load_size=0x%lx "
             "relocs=%u segments=%u",
             shim_payload.type == LDR_IMAGE_ELF64 ? "elf64" : "pe32+", shim_payload.entry,
             SHIM_PAYLOAD_BASE, SHIM_PAYLOAD_BASE + region, shim_payload.load_size,
             shim_payload.reloc_count, shim_payload.segment_count);
    return region;
}

/* §6: the MADT (one entry per vCPU, BSP first) with the MP wakeup structure version 1. */
tds_bytes shim_handoff_madt(const shim_handoff_in *in)
{
    if (in->cpus == 0 || in->cpus > SHIM_MAX_VCPUS) {
        shim_fatal(0x7008, "madt: vCPU count out of range");
    }
    shim_apic_ids[0] = in->bsp_apic_id;
    for (uint32_t ap = 1; ap < in->cpus; ap++) {
        if (in->fw == NULL || mbox_fw_apic_id(in->fw, ap, &shim_apic_ids[ap]) != TDS_OK) {
            shim_fatal(0x7008, "madt: an AP has no APIC ID");
        }
    }
    const madt_ids ids = mbox_madt_default_ids();
    const madt_wakeup wk = {.version = 1,
                            .mailbox_addr = ADDR(&shim_os_mailbox),
                            .reset_vector = ADDR(shim_os_blob) + MBOX_BLOB_OFF_RESET_ENTRY};
    size_t len = 0;
    const tds_status st = mbox_madt_build_default(tds_mut_bytes_make(shim_madt, sizeof shim_madt),
                                                  &ids, shim_apic_ids, in->cpus, 0, &wk, &len);
    if (st != TDS_OK) {
        fatal_status(0x7009, "madt: build", st);
    }
    return tds_bytes_make(shim_madt, len);
}

/* §5: the payload HOB, built twice: the first pass gives its length for the PHIT's free-memory
 * bottom (EfiFreeMemoryBottom = the first byte after the list). */
static tds_bytes build_hob(const shim_handoff_in *in, const shim_e820 *m, const tdhob_view *td,
                           uint64_t region, tds_bytes madt, tds_bytes ccel, size_t used)
{
    const uint64_t gpa = ADDR(shim_acpi_area);
    const tdhob_phit_params phit = {.boot_mode = TDHOB_BOOT_WITH_FULL_CONFIGURATION,
                                    .memory_top = gpa + sizeof shim_acpi_area,
                                    .memory_bottom = gpa,
                                    .free_memory_top = gpa + sizeof shim_acpi_area,
                                    .free_memory_bottom = gpa + used};
    tdhob_builder b;
    tds_status st = tdhob_builder_init(
        &b, tds_mut_bytes_make(shim_acpi_area, sizeof shim_acpi_area), gpa, in->gpaw, &phit);
    if (st == TDS_OK) {
        st = tdhob_add_cpu(&b, (uint8_t)in->gpaw, 16);
    }
    /* Resource descriptors: one per E820 entry (§5 item 3), then the VMM's MMIO ranges. */
    for (size_t i = 0; i < m->n && st == TDS_OK; i++) {
        const tdhob_e820_entry *e = &m->e[i];
        tdhob_resource r;
        memset(&r, 0, sizeof r);
        r.type = e->type == TDHOB_E820_RAM          ? TDHOB_RES_SYSTEM_MEMORY
                 : e->type == TDHOB_E820_UNACCEPTED ? TDHOB_RES_MEMORY_UNACCEPTED
                                                    : TDHOB_RES_MEMORY_RESERVED;
        r.attribute = TDHOB_ATTR_QEMU_RAM;
        r.start = e->addr;
        r.length = e->size;
        st = tdhob_add_resource(&b, &r);
    }
    tdhob_mem_range map[SHIM_E820_MAX];
    size_t n = 0;
    if (st == TDS_OK) {
        st = tdhob_memory_map(td, map, TDS_ARRAY_LEN(map), &n);
    }
    for (size_t i = 0; i < n && st == TDS_OK; i++) {
        if (map[i].kind == TDHOB_MEM_MMIO) {
            tdhob_resource r;
            memset(&r, 0, sizeof r);
            r.type = TDHOB_RES_MEMORY_MAPPED_IO;
            r.attribute = TDHOB_ATTR_MMIO;
            r.start = map[i].base;
            r.length = map[i].length;
            st = tdhob_add_resource(&b, &r);
        }
    }
    if (st == TDS_OK) {
        st = tdhob_add_fv(&b, SHIM_PAYLOAD_BASE, region);
    }
    if (st == TDS_OK) {
        const tdhob_payload_info info = {.image_type = TDHOB_PAYLOAD_EXECUTABLE,
                                         .entry_point = shim_payload.entry};
        st = tdhob_add_payload_info(&b, &info);
    }
    if (st == TDS_OK) {
        st = tdhob_add_acpi_table(&b, madt);
    }
    if (st == TDS_OK) {
        st = tdhob_add_acpi_table(&b, ccel);
    }
    if (st == TDS_OK) {
        st = tdhob_add_e820(&b, m->e, m->n);
    }
    tds_bytes out = tds_bytes_make(shim_acpi_area, 0);
    /* tdhob_finish validates the list: one sort entry per resource descriptor, and the list
     * holds one per E820 entry plus the VMM's MMIO ranges (both at most SHIM_E820_MAX). */
    static tdhob_scratch_entry scratch[2u * SHIM_E820_MAX];
    const tds_status fst = tdhob_finish(&b, scratch, TDS_ARRAY_LEN(scratch), &out);
    if (fst != TDS_OK) {
        fatal_status(0x700A, "payload hob: build", st != TDS_OK ? st : fst);
    }
    return out;
}

/* §6: the CCEL table for the log area. */
void shim_handoff_ccel(uint8_t out[CCEL_ACPI_SIZE])
{
    ccel_acpi t;
    memset(&t, 0, sizeof t);
    memcpy(t.oem_id, "TDSHIM", sizeof t.oem_id);
    memcpy(t.oem_table_id, "TDSHCCEL", sizeof t.oem_table_id);
    t.oem_revision = 1;
    t.creator_id = 0x48534454u; /* "TDSH" */
    t.creator_revision = 1;
    t.cc_type = CCEL_CC_TYPE_TDX;
    t.cc_subtype = 0;
    t.laml = SHIM_LOG_AREA_SIZE;
    t.lasa = shim_measure_area();
    const tds_status st = ccel_acpi_build(&t, tds_mut_bytes_make(out, CCEL_ACPI_SIZE));
    if (st != TDS_OK) {
        fatal_status(0x700B, "ccel table: build", st);
    }
}

/* §7: every AP leaves the firmware mailbox for the OS mailbox loop (libmailbox's blob). */
void shim_handoff_move_aps(const shim_handoff_in *in)
{
    const uint64_t cr3 = cpu_read_cr3();
    mbox_os_init(&shim_os_mailbox);
    tds_status st = mbox_os_blob_install(tds_mut_bytes_make(shim_os_blob, sizeof shim_os_blob),
                                         mbox_os_blob_bytes(), ADDR(&shim_os_mailbox), cr3);
    if (st != TDS_OK) {
        fatal_status(0x700C, "os mailbox: blob install", st);
    }
    /* The blob page: read-only and executable from now on (the shim's data is NX). */
    st = shim_paging_protect(ADDR(shim_os_blob), sizeof shim_os_blob, PT_P);
    if (st != TDS_OK) {
        fatal_status(0x700C, "os mailbox: blob page permissions", st);
    }
    if (in->fw == NULL || in->cpus < 2) {
        shim_log("tdshim: handoff: os mailbox at 0x%lx, no APs", ADDR(&shim_os_mailbox));
        return;
    }
    /* Reloading CR3 flushes each AP's TLB: the blob and payload pages changed permissions. */
    const mbox_fw_command flush = mbox_fw_cmd_set_cr3(cr3);
    st = mbox_fw_broadcast(in->fw, &flush);
    if (st == TDS_OK) {
        const mbox_fw_command ex =
            mbox_fw_cmd_exit(ADDR(shim_os_blob) + MBOX_BLOB_OFF_ENTRY, ADDR(&shim_os_mailbox));
        st = mbox_fw_broadcast(in->fw, &ex);
    }
    if (st != TDS_OK) {
        fatal_status(0x700D, "os mailbox: an AP did not leave the firmware mailbox", st);
    }
    shim_log("tdshim: handoff: os mailbox at 0x%lx, %u APs moved to it (blob 0x%lx, reset "
             "vector 0x%lx)",
             ADDR(&shim_os_mailbox), in->cpus - 1u, ADDR(shim_os_blob),
             ADDR(shim_os_blob) + MBOX_BLOB_OFF_RESET_ENTRY);
}

static void log_e820(const shim_e820 *m)
{
    for (size_t i = 0; i < m->n; i++) {
        shim_log("tdshim: handoff: e820 0x%lx-0x%lx type %u", m->e[i].addr,
                 m->e[i].addr + m->e[i].size, m->e[i].type);
    }
    const uint64_t kept = shim_e820_bytes(m, TDHOB_E820_RESERVED) +
                          shim_e820_bytes(m, TDHOB_E820_NVS) + shim_e820_bytes(m, TDHOB_E820_ACPI);
    shim_log("tdshim: handoff: e820 entries=%lu ram=0x%lx unaccepted=0x%lx reserved=0x%lx "
             "acpi=0x%lx nvs=0x%lx (kept 0x%lx)",
             (uint64_t)m->n, shim_e820_bytes(m, TDHOB_E820_RAM),
             shim_e820_bytes(m, TDHOB_E820_UNACCEPTED), shim_e820_bytes(m, TDHOB_E820_RESERVED),
             shim_e820_bytes(m, TDHOB_E820_ACPI), shim_e820_bytes(m, TDHOB_E820_NVS), kept);
}

void shim_handoff(const shim_handoff_in *in)
{
    const tdvf_section *sec = NULL;
    tdvf_payload_kind kind = TDVF_PAYLOAD_IMAGE;
    tdvf_error err = {"", UINT32_MAX};
    const tds_status fst = tdvf_find_payload(in->meta, in->image_size, &sec, &kind, &err);
    if (fst == TDS_ERR_NOT_FOUND) {
        shim_log("tdshim: handoff: no payload section in the image");
        return;
    }
    if (fst != TDS_OK) {
        shim_log("tdshim: handoff: payload section: %s (section %u)", err.what, err.section);
        shim_fatal(0x7003, "payload section invalid");
    }
    const tdhob_view *td = shim_hob_checked();
    if (td == NULL) {
        shim_fatal(0x7001, "payload: no validated TD HOB to build the hand-off from");
    }
    shim_log("tdshim: handoff: payload section %u %s (%s) gpa=0x%lx size=0x%lx attr=0x%x",
             (uint32_t)(sec - in->meta->sec), tdvf_section_type_name(sec->type),
             tdvf_payload_kind_name(kind), sec->mem_addr, sec->mem_size, sec->attributes);
    shim_e820 *m = &shim_handoff_e820;
    e820_from_hob(m, in, td);

    /* §3: measure the payload before anything uses it, then close the firmware's log. */
    const tds_bytes image = payload_bytes(sec, kind, td, m);
    tds_bytes exec = image;
    if (shim_sb_enforced()) {
        /* Secure boot (secboot.h): the section must hold a signed payload that verifies against
         * the CFV copy; only the authenticated payload inside it is used. A signed bzImage in a
         * region boots as Linux from that payload (docs/linux-boot.md). */
        exec = shim_sb_verify_payload(image, kind == TDVF_PAYLOAD_VMM ? "payload region"
                                                                      : "image payload");
        if (kind == TDVF_PAYLOAD_VMM && shim_linux_bytes_are_kernel(exec)) {
            shim_linux_boot_region_signed(in, sec, exec);
        }
    } else if (kind == TDVF_PAYLOAD_VMM && shim_linux_region_is_kernel(sec)) {
        /* A VMM-placed region that holds a bzImage boots it as Linux (docs/linux-boot.md). */
        shim_linux_boot_region(in, sec);
    }
    shim_measure_payload(image, sec->mem_addr, sec->mem_size);
    const uint64_t region = load_payload(m, exec);
    shim_measure_separators();

    e820_carve(m);
    const tds_status rst = shim_e820_set(m, SHIM_PAYLOAD_BASE, region, TDHOB_E820_RESERVED);
    if (rst != TDS_OK) {
        fatal_status(0x7002, "e820: more than 128 entries", rst);
    }
    log_e820(m);
    const tds_bytes madt = shim_handoff_madt(in);
    uint8_t ccel[CCEL_ACPI_SIZE];
    shim_handoff_ccel(ccel);
    const tds_bytes ccel_t = tds_bytes_make(ccel, sizeof ccel);
    tds_bytes hob = build_hob(in, m, td, region, madt, ccel_t, 0);
    hob = build_hob(in, m, td, region, madt, ccel_t, (hob.len + 7u) & ~(size_t)7u);
    shim_log("tdshim: handoff: hob=0x%lx len=0x%lx madt len=0x%lx cpus=%u ccel lasa=0x%lx "
             "laml=0x%x events=%u",
             ADDR(hob.ptr), (uint64_t)hob.len, (uint64_t)madt.len, in->cpus, shim_measure_area(),
             SHIM_LOG_AREA_SIZE, shim_measure_events());

    shim_handoff_move_aps(in);

    ldr_entry_abi abi;
    if (ldr_entry_abi_for(shim_payload.type, &abi) != TDS_OK) {
        shim_fatal(0x7005, "payload: no entry ABI for this image type");
    }
    const uint32_t ms = abi.hob_reg == LDR_REG_RCX ? 1u : 0u;
    shim_log("tdshim: handoff: jump to 0x%lx (%s: hob in %s, base in %s)", shim_payload.entry,
             ms != 0 ? "ms x64" : "sysv", ms != 0 ? "rcx" : "rdi", ms != 0 ? "rdx" : "rsi");
    shim_measure_require_complete();
    shim_enter_payload(shim_payload.entry, ADDR(hob.ptr), SHIM_PAYLOAD_BASE,
                       CPU_SYMBOL_ADDR(shim_stack_top), ms);
}

uint64_t shim_handoff_os_mailbox(void)
{
    return ADDR(&shim_os_mailbox);
}

uint64_t shim_handoff_os_reset_vector(void)
{
    return ADDR(shim_os_blob) + MBOX_BLOB_OFF_RESET_ENTRY;
}
