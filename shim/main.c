/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The BSP's C entry (docs/shim.md "Boot flow"). */
#include "ap.h"
#include "boot.h"
#include "cputables.h"
#include "fatal.h"
#include "handoff.h"
#include "hob.h"
#include "idt.h"
#include "linux.h"
#include "log.h"
#include "measure.h"
#include "paging.h"
#include "secboot.h"
#include "shim_accept.h"
#include "simd.h"
#include "tdshim/tdcall.h"
#include "tdshim/tdvf.h"

/* Early identity page tables for 0-4 GiB, built by reset.nasm before paging is on. */
uint64_t shim_pml4[512] TDS_ALIGNED(4096) __attribute__((section(".bss.pagetables")));
uint64_t shim_pdpt[512] TDS_ALIGNED(4096) __attribute__((section(".bss.pagetables")));
uint64_t shim_pd[4 * 512] TDS_ALIGNED(4096) __attribute__((section(".bss.pagetables")));

#define FOUR_GIB ((uint64_t)1 << 32)
/* The largest image the shim accepts its metadata to describe (td-shim's default image size). */
#define SHIM_IMAGE_MAX 0x1000000u

/* Runtime page tables (paging.c), replacing the early ones once in C. */
static shim_pt_page shim_pt_pool[PT_PAGES_NEEDED] TDS_ALIGNED(4096);

#define SYM(s) ((uint64_t)CPU_SYMBOL_ADDR(s))

static void install_paging(void)
{
    const uint64_t data = PT_P | PT_RW | PT_NX;
    shim_pt_layout l;
    memset(&l, 0, sizeof l);
    l.default_flags = data;
    l.rom_base = SYM(shim_bfv_start) & ~0x1FFFFFull;
    l.rom_flags = PT_P | PT_NX; /* the BFV: read-only, never executed in long mode */
    l.window = SYM(shim_text_start) & ~0x1FFFFFull;
    _Static_assert(SHIM_ABI_WINDOW_END % 0x200000u == 0 &&
                       SHIM_ABI_WINDOW_END / 0x200000u <= PT_WINDOW_MAX,
                   "the 4 KiB-mapped window is whole 2 MiB blocks, at most PT_WINDOW_MAX");
    if (l.window >= SHIM_ABI_WINDOW_END) {
        shim_fatal(0x1010, "runtime page tables: the shim's code is outside the window");
    }
    l.window_count = (uint32_t)((SHIM_ABI_WINDOW_END - l.window) / 0x200000u);
    l.window_default_flags = data;
    const shim_pt_region r[] = {
        {SYM(shim_text_start), SYM(shim_text_end), PT_P},             /* code: RX, read-only */
        {SYM(shim_rodata_start), SYM(shim_rodata_end), PT_P | PT_NX}, /* read-only data */
        {SYM(shim_data_start), SYM(__bss_end), data},                 /* data, bss */
        {SYM(shim_noinit_start), SYM(shim_stack_guard), data},        /* entry registers */
        {SYM(shim_stack_guard), SYM(shim_stack_bottom), 0},           /* guard: not present */
        {SYM(shim_stack_bottom), SYM(shim_stack_top), data},          /* boot stack */
    };
    memcpy(l.region, r, sizeof r);
    l.region_count = TDS_ARRAY_LEN(r);
    uint64_t root;
    if (shim_pt_build(shim_pt_pool, PT_PAGES_NEEDED, &l, &root) != TDS_OK) {
        shim_fatal(0x1010, "runtime page tables: bad layout");
    }
    cpu_write_cr3(root);
    /* The early mailbox (boot.h): the one BFV page the BSP writes, to release the APs. */
    if (shim_paging_protect(SHIM_ABI_EARLY_MBOX, 0x1000, PT_P | PT_RW | PT_NX) != TDS_OK) {
        shim_fatal(0x1010, "runtime page tables: early mailbox page");
    }
    shim_log("tdshim: paging: text rx 0x%lx-0x%lx, rodata r 0x%lx, data/bss rw-nx 0x%lx-0x%lx, "
             "guard 0x%lx, rom r-nx 0x%lx",
             SYM(shim_text_start), SYM(shim_text_end), SYM(shim_rodata_start), SYM(shim_data_start),
             SYM(__bss_end), SYM(shim_stack_guard), l.rom_base);
}

/* The shim's own image as its metadata describes it (read once, checked, then trusted). */
typedef struct shim_image {
    tdvf_meta meta;
    uint64_t size;
    tdvf_section hob;
} shim_image;
static shim_image shim_own_image;

/* Our own BFV (trusted: measured into MRTD). Its metadata tells where the TD HOB is. */
static const shim_image *read_own_metadata(const shim_boot_regs *regs)
{
    /*
     * Find the descriptor both ways a VMM does and require them to agree; that also gives the
     * image size (the BFV is only the top of it). Then the whole image [4 GiB - size, 4 GiB) is
     * held to the checker the tools use on image files (tdvf_open, tdvf_check_image): td-shim's
     * section rules, the layout rules and a CFV that is a firmware volume, which it is not when
     * the VMM loaded a file cut at the front (the locators at the end still agree then).
     */
    const uint64_t bfv = CPU_SYMBOL_ADDR(shim_bfv_start);
    const tds_bytes window = tds_bytes_make((const void *)(uintptr_t)bfv, FOUR_GIB - bfv);
    tdvf_meta *const mp = &shim_own_image.meta;
    tdvf_error err = {"", UINT32_MAX};
    uint64_t image_size = 0;
    const tds_status st = tdvf_image_size_from_top(window, SHIM_IMAGE_MAX, &image_size, &err);
    if (st == TDS_ERR_NOT_FOUND || st == TDS_ERR_INVALID_ARG) {
        shim_fatal(0x1001, "own TDVF metadata not found through the footer table");
    }
    if (st == TDS_ERR_MISMATCH) {
        shim_fatal(0x1004, "own metadata: footer table and td-shim pointer disagree");
    }
    if (st != TDS_OK) {
        shim_fatal(0x1004, "own metadata: td-shim pointer or metadata GUID wrong");
    }
    const tds_bytes image =
        tds_bytes_make((const void *)(uintptr_t)(FOUR_GIB - image_size), (size_t)image_size);
    if (tdvf_open(image, TDVF_OPEN_LOCATE_BOTH, mp, &err) != TDS_OK) {
        shim_fatal(0x1002, err.what);
    }
    shim_log("tdshim: metadata at 0x%lx, %u sections, image 0x%lx bytes",
             FOUR_GIB - image_size + mp->desc_offset, mp->count, image_size);
    shim_own_image.size = image_size;
    const tdvf_section *hob = NULL;
    for (uint32_t i = 0; i < mp->count; i++) {
        const tdvf_section *s = &mp->sec[i];
        shim_log("tdshim: section %u %s gpa=0x%lx size=0x%lx attr=0x%x", i,
                 tdvf_section_type_name(s->type), s->mem_addr, s->mem_size, s->attributes);
        if (s->type == TDVF_SEC_TD_HOB && hob == NULL) {
            hob = s;
        }
    }
    if (hob != NULL) {
        /* The VMM's RCX is only reported: the metadata address is the trusted one. */
        shim_log("tdshim: td_hob=0x%lx size=0x%lx (vmm rcx=0x%x)", hob->mem_addr, hob->mem_size,
                 regs->hob);
        shim_own_image.hob = *hob;
        return &shim_own_image;
    }
    shim_fatal(0x1003, "no TD_HOB section in own metadata");
}

static bool is_tdx(void)
{
    uint32_t r[4];
    cpu_cpuid(0, 0, r);
    if (r[0] < 0x21) {
        return false;
    }
    cpu_cpuid(0x21, 0, r);
    /* "IntelTDX    " in EBX, EDX, ECX (Linux arch/x86/coco/tdx/tdx.c, TDX_IDENT). */
    return r[1] == 0x65746e49u && r[3] == 0x5844546cu && r[2] == 0x20202020u;
}

/* The BSP's x2APIC ID (CPUID 0xB EDX, as the APs report theirs to the mailbox). */
static uint32_t bsp_apic_id(void)
{
    uint32_t r[4];
    cpu_cpuid(0xB, 0, r);
    return r[3];
}

/*
 * TD entry: what the TDX module says about this TD (TDG.VP.INFO, trusted), checked against the
 * entry registers it set (the BSP is vCPU index 0; GPAW in EBX). Then wait (bounded) until every
 * AP has counted itself into the early mailbox; the vCPU count is the module's, never the VMM's.
 */
static uint32_t td_vcpus(const shim_boot_regs *regs, struct tdcall_td_info *info)
{
    tdcall_status hw;
    if (tdcall_vp_info(info, &hw) != TDS_OK) {
        shim_fatal(0x3003, "TDG.VP.INFO failed");
    }
    shim_log("tdshim: tdcall vp.info: gpaw=%u vcpus=%u/%u index=%u attributes=0x%lx shared=0x%lx",
             info->gpaw, info->num_vcpus, info->max_vcpus, info->vcpu_index, info->attributes,
             info->shared_mask);
    if (info->vcpu_index != 0 || regs->vcpu_index != 0) {
        shim_fatal(0x3005, "the BSP is not vCPU index 0");
    }
    if (info->gpaw != regs->gpaw) {
        shim_fatal(0x3006, "GPAW in EBX at entry differs from TDG.VP.INFO");
    }
    if (info->num_vcpus == 0 || info->num_vcpus > SHIM_MAX_VCPUS) {
        shim_fatal(0x2006, "more vCPUs than the shim has AP stacks and slots for (SHIM_MAX_VCPUS)");
    }
    uint32_t arrived = 0;
    const tds_status st = shim_ap_wait_arrival(info->num_vcpus - 1u, &arrived);
    shim_log("tdshim: aps expected=%u arrived=%u", info->num_vcpus - 1u, arrived);
    if (st != TDS_OK) {
        shim_fatal(0x2002, "not every AP reached the 32-bit TD entry");
    }
    return info->num_vcpus;
}

/* Let the APs into long mode and libmailbox's parking loop; every one must arrive. */
static mbox_fw *park_aps(uint32_t cpus)
{
    uint32_t parked = 0;
    mbox_fw *fw = NULL;
    const tds_status st = shim_ap_release(cpus, &parked, &fw);
    shim_log("tdshim: mailbox: parked=%u/%u", parked, cpus - 1u);
    if (st != TDS_OK) {
        shim_fatal(0x2003, "not every AP parked in the mailbox loop");
    }
    /* CHECK round trip through each AP's slot: the answer must be the APIC ID it reported at
     * arrival, and the IDs must differ (each AP is a different vCPU in its own slot). */
    uint32_t seen[SHIM_MAX_VCPUS] = {0};
    const mbox_fw_command chk = mbox_fw_cmd_simple(MBOX_FW_CMD_CHECK);
    for (uint32_t ap = 1; ap < cpus; ap++) {
        uint32_t at_arrival = 0;
        uint32_t answer = 0;
        if (mbox_fw_apic_id(fw, ap, &at_arrival) != TDS_OK ||
            mbox_fw_send(fw, ap, &chk, &answer) != TDS_OK || answer != at_arrival) {
            shim_fatal(0x2004, "an AP did not answer the mailbox CHECK with its APIC ID");
        }
        for (uint32_t j = 1; j < ap; j++) {
            if (seen[j] == answer) {
                shim_fatal(0x2005, "two APs report the same APIC ID");
            }
        }
        seen[ap] = answer;
    }
    shim_log("tdshim: mailbox: check answered by %u APs with distinct APIC IDs", cpus - 1u);
    return fw;
}

/*
 * Identity-map the HOB's RAM above 4 GiB (up to the end of its highest unaccepted range), then
 * accept the HOB's unaccepted memory on every vCPU under the build's policy (everything, or only
 * below TDSHIM_ACCEPT_LIMIT), and check that the per-vCPU counts add up to libaccept's.
 */
static void accept_memory(mbox_fw *fw, uint32_t cpus)
{
    uint64_t base[SHIM_ACCEPT_MAX_RANGES];
    uint64_t len[SHIM_ACCEPT_MAX_RANGES];
    size_t n = 0;
    if (shim_hob_unaccepted(base, len, TDS_ARRAY_LEN(base), &n) != TDS_OK) {
        shim_fatal(0x5002, "accept: HOB map unavailable");
    }
    uint64_t top = 0;
    for (size_t i = 0; i < n; i++) {
        top = base[i] + len[i] > top ? base[i] + len[i] : top;
    }
    const tds_status mst = shim_paging_map_ram(top);
    if (mst == TDS_ERR_OUT_OF_BOUNDS) {
        shim_fatal(0x1011, "RAM top above the 1 TiB the runtime page tables map (PT_RAM_LIMIT)");
    } else if (mst != TDS_OK) {
        shim_fatal(0x1012, "runtime page-table pool too small for the RAM above 4 GiB");
    }
    shim_log("tdshim: paging: ram identity-mapped up to 0x%lx, extra tables %u/%u", top,
             shim_paging_extra_used(), PT_EXTRA_PAGES);
    shim_accept_report rep;
    const tds_status st = shim_accept_run(fw, cpus, SHIM_ACCEPT_LIMIT_DEFAULT, &rep);
    shim_log("tdshim: accept: bytes=0x%lx of 0x%lx in %u ranges, calls 4k=%lu 2m=%lu 1g=%lu, "
             "vcpus=%u/%u, tsc=%lu",
             rep.bytes, rep.requested, rep.ranges, rep.calls[0], rep.calls[1], rep.calls[2],
             rep.helpers, cpus, rep.tsc);
    if (st != TDS_OK) {
        shim_fatal(0x5001, "accepting the TD HOB's unaccepted memory failed");
    }
    uint64_t sum = 0;
    uint32_t busy = 0;
    for (uint32_t v = 0; v < cpus; v++) {
        const uint64_t b = shim_accept_vcpu_bytes(v);
        shim_log("tdshim: accept: vcpu %u accepted 0x%lx bytes", v, b);
        sum += b;
        busy += b != 0 ? 1u : 0u;
    }
    shim_log("tdshim: accept: per-vcpu sum=0x%lx from %u of %u vcpus", sum, busy, cpus);
    if (sum != rep.bytes) {
        shim_fatal(0x5006, "accept: per-vCPU bytes do not add up");
    }
    if (rep.limit != SHIM_ACCEPT_ALL) {
        shim_log("tdshim: accept: limit=0x%lx, left unaccepted 0x%lx bytes in %u ranges", rep.limit,
                 rep.left, rep.left_ranges);
    }
}

/* A TDREPORT from the TDX module now (one static buffer: BSP only). */
static const struct tdcall_tdreport *tdreport_now(void)
{
    static struct tdcall_tdreport report;
    static struct tdcall_reportdata reportdata;
    tdcall_status hw;
    if (tdcall_mr_report(&report, &reportdata, &hw) != TDS_OK) {
        shim_fatal(0x3004, "TDG.MR.REPORT failed");
    }
    return &report;
}

/* What a verifier would see: RTMR0 as the TDX module reports it in a TDREPORT. */
static void log_tdreport_rtmr0(void)
{
    const struct tdcall_tdreport *report = tdreport_now();
    char hex[2 * 48 + 1];
    (void)shim_hex(hex, sizeof hex, report->tdinfo.rtmr[0], sizeof report->tdinfo.rtmr[0]);
    shim_log("tdshim: tdreport rtmr0=%s", hex);
}

/* A plain VM (no TDX module): no TD HOB, no memory to accept, no RTMRs. It boots a Linux kernel
 * from fw_cfg; there is nothing else for it to boot. */
static TDS_NORETURN void plain_vm(void)
{
    shim_log("tdshim: tdx=%s", is_tdx() ? "yes (but entered through the 16-bit path)" : "no");
    if (shim_linux_kernel_present(false)) {
        shim_linux_boot(false, NULL);
    }
    shim_fatal(0x1100, "plain VM: no kernel in fw_cfg to boot");
}

void shim_main(const shim_boot_regs *regs)
{
    const bool td = regs->entry == SHIM_ENTRY_TD;
    shim_fatal_set_entry(regs->entry);
    /* Exceptions (and #VE) are caught before anything else runs: in a TD even the console is a
     * TDVMCALL. */
    shim_cputables_install();
    shim_idt_install();
    if (td) {
        shim_serial_use_tdvmcall(); /* direct port I/O would raise #VE */
    }
    shim_serial_init();
    shim_log("tdshim: start entry=%s vcpu=%u gpaw=%u cpuid1=0x%x", td ? "td32" : "real16",
             regs->vcpu_index, regs->gpaw, regs->cpuid1);
    shim_log("tdshim: long mode, idt=32 vectors on ist1, stack=0x%lx-0x%lx", SYM(shim_stack_bottom),
             SYM(shim_stack_top));
    install_paging();
    const shim_image *img = read_own_metadata(regs);
    if (!td) {
        plain_vm();
    }
    /* In a TD, do not probe with CPUID here: the module's answer is what counts. */
    shim_log("tdshim: tdx=yes (td entry)");
    struct tdcall_td_info info;
    const uint32_t vcpus = td_vcpus(regs, &info);
    mbox_fw *fw = park_aps(vcpus);
    /* Before the first hash: SHA-384 on AVX/AVX2 where the vCPU and XFAM (TDINFO) allow. */
    shim_simd_enable(tds_load_le64(tdreport_now()->tdinfo.xfam));
    const tdvf_section *payload = NULL;
    tdvf_payload_kind kind = TDVF_PAYLOAD_IMAGE;
    tdvf_error perr = {"", UINT32_MAX};
    const tds_status pst = tdvf_find_payload(&img->meta, img->size, &payload, &kind, &perr);
    if (pst != TDS_OK && pst != TDS_ERR_NOT_FOUND) {
        shim_fatal(0x7003, perr.what);
    }
    /* Secure boot (secboot.h): the image's record and a private copy of the CFV decide whether
     * every payload must be signed; fatal on a damaged CFV or a required-but-missing anchor. */
    shim_sb_init(&img->meta, img->size);
    const bool secure = shim_sb_enforced();
    /* The boot plan: the image's payload; else a kernel from fw_cfg; else nothing to boot. */
    const bool boot_linux = pst != TDS_OK && shim_linux_kernel_present(true);
    shim_measure_init(pst == TDS_OK ? (secure ? &ccel_boot_plan_exec_secure : &ccel_boot_plan_exec)
                      : boot_linux ? (secure ? &ccel_boot_plan_linux_secure : &ccel_boot_plan_linux)
                                   : &ccel_boot_plan_no_payload);
    /* Copy, measure into RTMR0, then validate (hob.h); fatal on any failure. */
    shim_hob_take(img->hob.mem_addr, img->hob.mem_size, info.gpaw, &img->meta);
    /* The CFV copy into RTMR0 ("secure_policy_db") before any payload is judged against it. */
    if (pst == TDS_OK || boot_linux) {
        shim_sb_measure_policy(); /* (nothing to boot: nothing judged, nothing measured) */
    }
    accept_memory(fw, vcpus);
    log_tdreport_rtmr0();
    const shim_handoff_in h = {.meta = &img->meta,
                               .image_size = img->size,
                               .fw = fw,
                               .cpus = vcpus,
                               .gpaw = info.gpaw,
                               .bsp_apic_id = bsp_apic_id()};
    if (boot_linux) {
        shim_linux_boot(true, &h);
    }
    shim_handoff(&h); /* enters the payload when the image has one; returns otherwise */
    shim_fatal(0x1FFF, "nothing to boot (no payload section in the image, no kernel in fw_cfg)");
}
