/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The BSP's C entry (docs/shim.md "Boot flow"). */
#include "ap.h"
#include "shim_accept.h"
#include "boot.h"
#include "cputables.h"
#include "fatal.h"
#include "fwcfg.h"
#include "handoff.h"
#include "hob.h"
#include "idt.h"
#include "log.h"
#include "measure.h"
#include "paging.h"
#include "tdshim/tdvf.h"
#include "ve.h"
#if defined(SHIM_HAVE_TDCALL)
#include "tdshim/tdcall.h"
#endif
#if defined(SHIM_HAVE_TDX_EMU)
#include "tdxemu.h"
#if defined(SHIM_HAVE_ACCEPT)
#include "tdshim/tdx_emu.h"
#endif
#endif

/* Early identity page tables for 0-4 GiB, built by reset.nasm before paging is on. */
uint64_t shim_pml4[512] TDS_ALIGNED(4096) __attribute__((section(".bss.pagetables")));
uint64_t shim_pdpt[512] TDS_ALIGNED(4096) __attribute__((section(".bss.pagetables")));
uint64_t shim_pd[4 * 512] TDS_ALIGNED(4096) __attribute__((section(".bss.pagetables")));

#define FOUR_GIB ((uint64_t)1 << 32)

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
    /* Find the descriptor both ways a VMM does and require them to agree; that also gives the
     * image size (the BFV is only the top of it), so the whole image can be checked. */
    const uint64_t bfv = CPU_SYMBOL_ADDR(shim_bfv_start);
    const tds_bytes window = tds_bytes_make((const void *)(uintptr_t)bfv, FOUR_GIB - bfv);
    uint32_t off;
    tdvf_meta *const mp = &shim_own_image.meta;
    tdvf_error err = {"", UINT32_MAX};
    if (tdvf_locate_qemu(window, &off) != TDS_OK) {
        shim_fatal(0x1001, "own TDVF metadata not found through the footer table");
    }
    const uint64_t from_end = window.len - off;
    const uint64_t from_start = tds_load_le32(window.ptr + window.len - TDVF_TAIL_TDSHIM_PTR);
    const uint64_t image_size = from_start + from_end;
    if (image_size < window.len || image_size > 0x1000000u) {
        shim_fatal(0x1004, "own metadata: footer table and td-shim pointer disagree");
    }
    const tds_bytes image =
        tds_bytes_make((const void *)(uintptr_t)(FOUR_GIB - image_size), (size_t)image_size);
    if (tdvf_locate_tdshim(image, &off) != TDS_OK || off != from_start) {
        shim_fatal(0x1004, "own metadata: td-shim pointer or metadata GUID wrong");
    }
    if (tdvf_parse(image, off, mp, &err) != TDS_OK ||
        tdvf_check_tdshim(mp, image_size, &err) != TDS_OK ||
        tdvf_check_layout(mp, image_size, &err) != TDS_OK) {
        shim_fatal(0x1002, err.what);
    }
    shim_log("tdshim: metadata at 0x%lx, %u sections, image 0x%lx bytes",
             FOUR_GIB - image_size + off, mp->count, image_size);
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
    /* "IntelTDX    " in EBX, EDX, ECX (tdx-abi.md 7.3). */
    return r[1] == 0x65746e49u && r[3] == 0x5844546cu && r[2] == 0x20202020u;
}

static bool str_eq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    /* fw_cfg strings from -fw_cfg string= have no newline; tolerate one from a file. */
    return (*a == '\0' || *a == '\n') && *b == '\0';
}

/* Number of vCPUs of the plain VM (fw_cfg FW_CFG_NB_CPUS), 1 without fw_cfg. */
static uint32_t plain_vm_cpus(void)
{
    uint8_t le[2];
    if (shim_fwcfg_read_key(0x05 /* FW_CFG_NB_CPUS */, le, sizeof le) != TDS_OK) {
        return 1;
    }
    const uint32_t cpus = (uint32_t)le[0] | (uint32_t)le[1] << 8;
    if (cpus == 0 || cpus > 256) {
        shim_fatal(0x2001, "fw_cfg reports 0 or more than 256 CPUs");
    }
    return cpus;
}

/* The BSP's x2APIC ID (CPUID 0xB EDX, as the APs report theirs to the mailbox). */
static uint32_t bsp_apic_id(void)
{
    uint32_t r[4];
    cpu_cpuid(0xB, 0, r);
    return r[3];
}

/* TD entry: the TDX module starts every vCPU at the reset vector; the APs park in the 32-bit
 * entry by themselves. The vCPU count is the module's (TDG.VP.INFO), never the VMM's. */
static uint32_t td_vcpus(void)
{
#if defined(SHIM_HAVE_TDCALL)
    struct tdcall_td_info info;
    tdcall_status hw;
    if (tdcall_vp_info(&info, &hw) != TDS_OK) {
        shim_fatal(0x3003, "TDG.VP.INFO failed");
    }
    if (info.num_vcpus == 0 || info.num_vcpus > SHIM_MAX_VCPUS) {
        shim_fatal(0x2006, "more vCPUs than the shim has AP stacks and slots for (SHIM_MAX_VCPUS)");
    }
    uint32_t arrived = 0;
    const tds_status st = shim_ap_wait_arrival(info.num_vcpus - 1u, &arrived);
    shim_log("tdshim: aps expected=%u arrived=%u (td entry)", info.num_vcpus - 1u, arrived);
    if (st != TDS_OK) {
        shim_fatal(0x2002, "not every AP reached the 32-bit TD entry");
    }
    return info.num_vcpus;
#else
    return 1;
#endif
}

/* Plain VM: start the APs the way a TD starts them (at the reset code, with an index). */
static void start_aps(uint32_t cpus)
{
    uint32_t arrived = 0;
    if (cpus <= 1) {
        shim_log("tdshim: aps expected=0");
        return;
    }
    if (cpus > SHIM_MAX_VCPUS) {
        shim_fatal(0x2006, "more vCPUs than the shim has AP stacks and slots for (SHIM_MAX_VCPUS)");
    }
    tds_status st = shim_ap_start_all(cpus - 1, &arrived);
    shim_log("tdshim: aps expected=%u arrived=%u last_index=%u", cpus - 1, arrived,
             shim_ap_counters[0]);
    if (st != TDS_OK) {
        shim_fatal(0x2002, "not every AP reached the 32-bit TD entry");
    }
}

/* Let the APs into long mode and libmailbox's parking loop; every one must arrive. */
static mbox_fw *park_aps(uint32_t cpus, bool test_hooks)
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
    /* Test image: fw_cfg opt/tdshim/ap-test = pf|overflow makes the last AP fault on purpose. */
    char what[16];
    if (test_hooks && cpus > 1 &&
        shim_fwcfg_read_file("opt/tdshim/ap-test", what, sizeof what) == TDS_OK) {
        shim_log("tdshim: ap test '%s' on vcpu %u", what, cpus - 1u);
        if (shim_ap_fault_test(fw, cpus - 1u, what) != TDS_OK) {
            shim_fatal(0x2007, "ap test: unknown or no fault taken");
        }
    }
    return fw;
}

#if defined(SHIM_HAVE_TDHOB)
/*
 * Identity-map the HOB's RAM above 4 GiB (up to the end of its highest unaccepted range), then,
 * with libaccept and a module to answer, accept the HOB's unaccepted memory on every vCPU under
 * the policy (everything, or only below a limit: fw_cfg opt/tdshim/accept-limit in the test
 * image, else the build's TDSHIM_ACCEPT_LIMIT), and check against the emulator's own counters
 * and page states that each byte below the limit was accepted exactly once and every byte above
 * it is still pending.
 */
static void accept_memory(mbox_fw *fw, uint32_t cpus, bool can_tdcall)
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
#if defined(SHIM_HAVE_ACCEPT)
    if (!can_tdcall) {
        shim_log("tdshim: accept: skipped (no TDX module to answer)");
        return;
    }
    uint64_t limit = SHIM_ACCEPT_LIMIT_DEFAULT;
    char text[32];
    memset(text, 0, sizeof text);
    /* Test image only (fw_cfg is VMM input a TD never reads here). A value that fills the
     * buffer may have been cut by the bounded reader: refused too. */
    if (shim_tdxemu_active() &&
        shim_fwcfg_read_file("opt/tdshim/accept-limit", text, sizeof text) == TDS_OK &&
        (text[sizeof text - 2] != '\0' || shim_accept_parse_limit(text, &limit) != TDS_OK)) {
        shim_fatal(0x5005, "accept: opt/tdshim/accept-limit is not a 4 KiB-aligned number");
    }
    shim_accept_report rep;
    const tds_status st = shim_accept_run(fw, cpus, limit, &rep);
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
    if (limit != SHIM_ACCEPT_ALL) {
        shim_log("tdshim: accept: limit=0x%lx, left unaccepted 0x%lx bytes in %u ranges", limit,
                 rep.left, rep.left_ranges);
    }
    if (!shim_tdxemu_active()) {
        return; /* a real TDX module: nothing to cross-check against */
    }
    struct tdx_emu_counters c;
    shim_tdxemu_counters(&c);
    uint64_t pending = 0;
    uint64_t pending_above = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t p = 0;
        if (shim_tdxemu_count_pending(base[i], len[i], &p) != TDS_OK) {
            shim_fatal(0x5003, "accept: a HOB range is outside the emulator's RAM");
        }
        uint64_t below = 0;
        if (base[i] < limit) {
            const uint64_t cut =
                limit - base[i] < len[i] ? base[i] + (limit - base[i]) : base[i] + len[i];
            if (shim_tdxemu_count_pending(base[i], cut - base[i], &below) != TDS_OK) {
                shim_fatal(0x5003, "accept: a HOB range is outside the emulator's RAM");
            }
        }
        pending += below;
        pending_above += p - below;
    }
    const bool once = c.accepted_bytes == rep.requested && pending == 0 && rep.already == 0 &&
                      pending_above == rep.left;
    shim_log("tdshim: accept: emulator accepted_bytes=0x%lx ok_calls 4k=%lu 2m=%lu, "
             "still pending=0x%lx (0x%lx above the limit): %s",
             c.accepted_bytes, c.accept_ok[0], c.accept_ok[1], pending, pending_above,
             once ? "every byte accepted exactly once" : "MISMATCH");
    if (!once) {
        shim_fatal(0x5004, "accept: emulator counters disagree");
    }
#if defined(SHIM_HAVE_VSHARED)
    /* Test image: fw_cfg opt/tdshim/shared-test converts the page at 16 MiB (accepted above) to
     * shared and checks the alias GPA (tdxemu.h; the harness's TDSHIM_SHARED_ALIAS). */
    char any[4];
    bool same = false;
    if (shim_fwcfg_read_file("opt/tdshim/shared-test", any, sizeof any) == TDS_OK &&
        shim_tdxemu_shared_alias_test(0x1000000ull, &same) != TDS_OK) {
        shim_fatal(0x5007, "shared alias test: conversion failed");
    }
#endif
#else
    (void)fw;
    (void)cpus;
    (void)can_tdcall;
#endif
}
#endif

#if defined(SHIM_HAVE_TDX_EMU)
/*
 * The plain VM's RAM from fw_cfg etc/e820 (20-byte entries: u64 base, u64 length, u32 type; type 1
 * = RAM), VMM data: read into a zeroed bounded buffer (a zero length ends the list, since the
 * reader does not return the file size), RAM entries kept in order, checked by the emulator.
 * Without the file: q35's rule from the RAM size (key 0x03).
 */
static size_t plain_vm_ram(shim_ram_range *out, size_t cap)
{
    char raw[20 * 32 + 1];
    memset(raw, 0, sizeof raw);
    size_t n = 0;
    if (shim_fwcfg_read_file("etc/e820", raw, sizeof raw) == TDS_OK) {
        /* The last byte is the reader's NUL, never part of an entry. */
        tds_cursor c = tds_cursor_make(tds_bytes_make(raw, sizeof raw - 1));
        uint64_t base = 0;
        uint64_t len = 0;
        uint32_t type = 0;
        while (tds_cursor_le64(&c, &base) == TDS_OK && tds_cursor_le64(&c, &len) == TDS_OK &&
               tds_cursor_le32(&c, &type) == TDS_OK && len != 0) {
            if (type != 1) {
                continue;
            }
            if (n == cap) {
                shim_fatal(0x3005, "emulator: too many RAM entries in etc/e820");
            }
            out[n].base = base;
            out[n].size = len;
            n++;
        }
        return n;
    }
    uint8_t le[8];
    if (shim_fwcfg_read_key(0x03 /* FW_CFG_RAM_SIZE */, le, sizeof le) != TDS_OK) {
        shim_fatal(0x3001, "emulator: no RAM size from fw_cfg");
    }
    const uint64_t ram = tds_load_le64(le);
    /* q35 keeps RAM below 4 GiB up to 2 GiB when the VM has 2.75 GiB or more, else all of it. */
    const uint64_t low = ram >= 0xB0000000ull ? 0x80000000ull : ram;
    out[n++] = (shim_ram_range){0, low};
    if (ram > low && cap > 1) {
        out[n++] = (shim_ram_range){FOUR_GIB, ram - low};
    }
    return n;
}

/* Plain VM: put libtdcall's TDX-module emulator behind #UD, then talk to it with real tdcalls.
 * fw_cfg opt/tdshim/accept-zero = "1": ACCEPT zeroes the page (docs/shim.md). */
static void start_emulator(uint32_t cpus)
{
    shim_ram_range ram[SHIM_EMU_MAX_RAM_RANGES];
    const size_t n = plain_vm_ram(ram, TDS_ARRAY_LEN(ram));
    char zero[4];
    const bool zero_on_accept =
        shim_fwcfg_read_file("opt/tdshim/accept-zero", zero, sizeof zero) == TDS_OK &&
        str_eq(zero, "1");
    if (shim_tdxemu_setup(cpus, ram, n, zero_on_accept) != TDS_OK) {
        shim_fatal(0x3002, "emulator: cannot describe this VM");
    }
    shim_fatal_enable_vmm_report();
    shim_serial_use_tdvmcall(); /* from here on the console goes through the emulated GHCI */
    struct tdcall_td_info info;
    tdcall_status hw;
    if (tdcall_vp_info(&info, &hw) != TDS_OK) {
        shim_fatal(0x3003, "TDG.VP.INFO failed");
    }
    shim_log("tdshim: tdcall vp.info (emulated module): gpaw=%u vcpus=%u/%u index=%u "
             "shared=0x%lx",
             info.gpaw, info.num_vcpus, info.max_vcpus, info.vcpu_index, info.shared_mask);
    for (size_t i = 0; i < n; i++) {
        shim_log("tdshim: emulator ram [0x%lx, 0x%lx)%s", ram[i].base, ram[i].base + ram[i].size,
                 zero_on_accept ? " zeroed on accept" : "");
    }
}
#endif

#if defined(SHIM_HAVE_TDCALL)
/* What a verifier would see: RTMR0 as the TDX module reports it in a TDREPORT. */
static void log_tdreport_rtmr0(void)
{
    static struct tdcall_tdreport report;
    static struct tdcall_reportdata reportdata;
    tdcall_status hw;
    char hex[2 * 48 + 1];
    if (tdcall_mr_report(&report, &reportdata, &hw) != TDS_OK) {
        shim_fatal(0x3004, "TDG.MR.REPORT failed");
    }
    (void)shim_hex(hex, sizeof hex, report.tdinfo.rtmr[0], sizeof report.tdinfo.rtmr[0]);
    shim_log("tdshim: tdreport rtmr0=%s", hex);
}
#endif

/* Test of the trap-and-resume mechanism only (not an emulator): answers every TDCALL with
 * RAX = 0 and RCX inverted, so the test can see outputs written back and the step over. */
static bool test_tdcall_echo(shim_exc_frame *f)
{
    f->rax = 0;
    f->rcx = ~f->rcx;
    return true;
}

/* Plain-VM test hooks: make each class of failure happen on purpose (tests/e2e). */
static void run_test_command(const char *cmd)
{
    shim_log("tdshim: test command '%s'", cmd);
    if (str_eq(cmd, "ud2")) {
        __asm__ __volatile__("ud2");
    } else if (str_eq(cmd, "pf")) {
        (void)*(volatile uint64_t *)(uintptr_t)0x100000000000ull; /* 16 TiB: not mapped */
    } else if (str_eq(cmd, "gp")) {
        (void)*(volatile uint64_t *)(uintptr_t)0x8000000000000000ull; /* non-canonical */
    } else if (str_eq(cmd, "tdcall")) {
        /* TDG.VP.INFO (leaf 1) with the real instruction: #UD without a module or emulator. */
        __asm__ __volatile__(".byte 0x66, 0x0f, 0x01, 0xcc"
                             :
                             : "a"(1ull)
                             : "rcx", "rdx", "r8", "r9", "r10", "r11", "memory");
    } else if (str_eq(cmd, "trap-resume")) {
        uint64_t rax = 1;
        uint64_t rcx = 0x1234;
        shim_tdcall_trap_fn prev = shim_trap_set_tdcall_handler(test_tdcall_echo);
        __asm__ __volatile__(".byte 0x66, 0x0f, 0x01, 0xcc"
                             : "+a"(rax), "+c"(rcx)
                             :
                             : "rdx", "r8", "r9", "r10", "r11", "memory");
        (void)shim_trap_set_tdcall_handler(prev);
        shim_log("tdshim: trap resumed rax=0x%lx rcx=0x%lx", rax, rcx);
    } else if (str_eq(cmd, "guard")) {
        *(volatile uint64_t *)(uintptr_t)SYM(shim_stack_guard) = 1; /* not present */
    } else if (str_eq(cmd, "overflow")) {
        /* Run the stack into its guard page: the #PF must still be reported (IST1). */
        __asm__ __volatile__("mov %0, %%rsp\n\tpush %%rax"
                             :
                             : "r"(SYM(shim_stack_bottom))
                             : "memory");
    } else if (str_eq(cmd, "wtext")) {
        *(volatile uint8_t *)(uintptr_t)SYM(shim_text_start) = 0x90; /* read-only code */
    } else if (str_eq(cmd, "xdata")) {
        static uint8_t ret_insn[1] = {0xC3}; /* "ret" in NX data */
        void (*fn)(void) = (void (*)(void))(uintptr_t)ret_insn;
        fn();
    } else if (str_eq(cmd, "fatal")) {
        shim_fatal(0xBAD, "test: fatal path requested");
    } else if (shim_ve_test_command(cmd)) { /* ve-*: shim/ve.c */
    } else if (!str_eq(cmd, "ok")) {
        shim_fatal(0x1FF, "test: unknown test command");
    }
}

void shim_main(const shim_boot_regs *regs)
{
    shim_fatal_set_entry(regs->entry);
    if (regs->entry == SHIM_ENTRY_TD) {
        shim_serial_use_tdvmcall(); /* direct port I/O would raise #VE */
    }
    shim_serial_init();
    shim_log("tdshim: start entry=%s vcpu=%u gpaw=%u cpuid1=0x%x",
             regs->entry == SHIM_ENTRY_REAL16 ? "real16" : "td32", regs->vcpu_index, regs->gpaw,
             regs->cpuid1);
    shim_cputables_install();
    shim_idt_install();
    shim_log("tdshim: long mode, idt=32 vectors on ist1, stack=0x%lx-0x%lx", SYM(shim_stack_bottom),
             SYM(shim_stack_top));
    install_paging();
    /* In a TD, do not probe: CPUID may raise #VE and there is no #VE handler yet. */
    shim_log("tdshim: tdx=%s",
             regs->entry == SHIM_ENTRY_TD ? "yes (td entry)" : (is_tdx() ? "yes" : "no"));
    const shim_image *img = read_own_metadata(regs);
    bool can_tdcall = regs->entry == SHIM_ENTRY_TD; /* a TDX module (or the emulator) answers */
    mbox_fw *fw = NULL;
    uint32_t vcpus = 1;
    if (regs->entry == SHIM_ENTRY_REAL16) {
        vcpus = plain_vm_cpus();
        start_aps(vcpus);
    } else {
        vcpus = td_vcpus();
    }
    fw = park_aps(vcpus, regs->entry == SHIM_ENTRY_REAL16);
#if defined(SHIM_HAVE_TDX_EMU)
    if (regs->entry == SHIM_ENTRY_REAL16) {
        start_emulator(vcpus);
        can_tdcall = true;
    }
#endif
    shim_measure_init(can_tdcall);
#if defined(SHIM_HAVE_TDHOB)
    /* Plain VM: a HOB only when the harness loaded one; in a TD it is mandatory. */
    const bool have_hob = shim_hob_take(img->hob.mem_addr, img->hob.mem_size, regs->gpaw,
                                        regs->entry == SHIM_ENTRY_REAL16, can_tdcall) == TDS_OK;
    if (!have_hob) {
        shim_log("tdshim: continuing without a TD HOB");
    } else {
        accept_memory(fw, vcpus, can_tdcall);
    }
#else
    const bool have_hob = false;
#endif
    if (regs->entry == SHIM_ENTRY_REAL16) {
        char cmd[32];
        if (shim_fwcfg_read_file("opt/tdshim/test", cmd, sizeof cmd) == TDS_OK) {
            run_test_command(cmd);
        }
    }
#if defined(SHIM_HAVE_TDCALL)
    if (can_tdcall) {
        log_tdreport_rtmr0();
    }
#endif
#if defined(SHIM_HAVE_TDX_EMU)
    if (shim_tdxemu_active()) {
        shim_log("tdshim: console via TDVMCALL<IO>: %lu emulated calls", shim_tdxemu_io_calls());
    }
#endif
    if (have_hob) {
        /* Enters the payload when the image has one; returns otherwise. */
        const shim_handoff_in h = {.meta = &img->meta,
                                   .image_size = img->size,
                                   .fw = fw,
                                   .cpus = vcpus,
                                   .gpaw = regs->gpaw,
                                   .bsp_apic_id = bsp_apic_id()};
        shim_handoff(&h);
    }
    shim_measure_separators();
    shim_log("tdshim: boot ok");
    shim_debug_exit(SHIM_EXIT_OK);
    shim_fatal(0x1FFF, "no payload to hand off to (the image has no payload section)");
}
