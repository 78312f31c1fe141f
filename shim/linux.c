/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Linux from QEMU fw_cfg, in a TD and on a plain VM (linux.h, docs/linux-boot.md). */
#include "linux.h"

#include "acpi.h"
#include "arch/cpu.h"
#include "e820.h"
#include "fatal.h"
#include "log.h"
#include "measure.h"
#include "paging.h"
#include "q35.h"
#include "secboot.h"
#include "shared.h"
#include "simd.h"
#include "tdshim/checked.h"
#include "tdshim/endian.h"
#include "tdshim/linux_boot.h"
#include "tdshim/mailbox_fw.h"
#include "tdshim/mem.h"
#include "hob.h"
#include "tdshim/rtmr.h"
#include "tdshim/tdhob.h"
#include "tdshim/virtio_shared.h"

#define PAGE ((uint64_t)0x1000)
#define FOUR_GIB ((uint64_t)1 << 32)
/* A TD's fw_cfg bounce buffer: 256 KiB of conventional memory. Linux never uses the first MiB
 * as general RAM and liblinux plans nothing below it, so the pages stay RAM in the map the
 * kernel gets (private and zeroed again before it runs) and the plan is made on the final map. */
#define BOUNCE_BASE 0x60000u
#define BOUNCE_PAGES 64u
#define CHUNK ((size_t)256u * 4096u) /* bytes hashed per fw_cfg read */
#define SETUP_MAX 0x20000u           /* (255 + 1) * 512: the largest setup_sects allows */
#define CMDLINE_MAX 0x100000u        /* 1 MiB: far above any cmdline_size a kernel states */
#define E820_FILE_MAX 64u            /* entries of QEMU's etc/e820 the shim takes */

/* One boot, one BSP: the shim's own state for it. */
static shim_fwcfg shim_lx_fw;
static bool shim_lx_fw_open;
static shim_e820 shim_lx_map;
static lnx_header shim_lx_hdr;
static lnx_plan shim_lx_plan;
static lnx_e820_entry shim_lx_e820[SHIM_E820_MAX];
static vshared_pool shim_lx_pool;
static uint64_t shim_lx_bitmap[VSHARED_BITMAP_WORDS(BOUNCE_PAGES)];
static vshared_buffer shim_lx_bounce;
static uint64_t shim_lx_mask;
static uint64_t shim_lx_gdt[4] TDS_ALIGNED(16);
static uint8_t shim_lx_gdt_desc[10] TDS_ALIGNED(8);
/* The first bytes of a VMM-placed payload region, copied once (shim_linux_region_is_kernel). */
static uint8_t shim_lx_head[LNX_REGION_HEAD];

/* entry64.nasm: the protocol's GDT, CS/DS, RSI = boot_params, jump. */
TDS_NORETURN void shim_enter_linux(uint64_t entry, uint64_t boot_params, const void *gdt_desc);

static TDS_NORETURN void lx_fatal(uint32_t code, const char *what, tds_status st)
{
    shim_log("tdshim: %s: %s", what, tds_status_str(st));
    shim_fatal(code, what);
}

static TDS_NORETURN void lnx_fatal(uint32_t code, const char *what, const lnx_error *err)
{
    shim_log("tdshim: %s: %s (%s, at 0x%lx)", what, lnx_reason_text(err->reason),
             lnx_reason_str(err->reason), err->offset);
    shim_fatal(code, what);
}

/* Open fw_cfg once; false when there is none (or a VMM without it). */
static bool fwcfg_present(bool td)
{
    if (!shim_lx_fw_open) {
        if (shim_fwcfg_open(&shim_lx_fw, td ? SHIM_PIO_TDVMCALL : SHIM_PIO_DIRECT) != TDS_OK) {
            return false;
        }
        shim_lx_fw_open = true;
    }
    return true;
}

bool shim_linux_kernel_present(bool td)
{
    if (!fwcfg_present(td)) {
        return false;
    }
    uint32_t k = 0;
    return shim_fwcfg_read_u32(&shim_lx_fw, SHIM_FWCFG_KERNEL_SIZE, &k) == TDS_OK && k != 0;
}

/* A plain VM's memory: QEMU's etc/e820 (RAM from 0, the legacy hole included), the hole
 * [0xA0000, 1 MiB) and the shim's RAM image reserved. */
static void plain_memory_map(shim_e820 *m)
{
    static uint8_t raw[20u * E820_FILE_MAX];
    size_t n = 0;
    const tds_status st = shim_fwcfg_read_file(&shim_lx_fw, "etc/e820", raw, sizeof raw, &n);
    if (st != TDS_OK) {
        lx_fatal(0x8002, "linux: fw_cfg etc/e820 missing or longer than 64 entries", st);
    }
    shim_e820_init(m);
    tds_status s = TDS_OK;
    for (size_t off = 0; off + 20u <= n && s == TDS_OK; off += 20u) {
        const uint64_t addr = tds_load_le64(raw + off);
        const uint64_t len = tds_load_le64(raw + off + 8);
        const uint32_t type = tds_load_le32(raw + off + 16);
        if (len == 0) {
            continue;
        }
        s = shim_e820_set(m, addr, len,
                          type >= TDHOB_E820_RAM && type <= TDHOB_E820_NVS ? type
                                                                           : TDHOB_E820_RESERVED);
    }
    const uint64_t ram0 = CPU_SYMBOL_ADDR(__shim_ram_start);
    const uint64_t ram1 = CPU_SYMBOL_ADDR(__shim_ram_end);
    if (s == TDS_OK) {
        s = shim_e820_set(m, 0xA0000, 0x60000, TDHOB_E820_RESERVED);
    }
    if (s == TDS_OK) {
        s = shim_e820_set(m, ram0, ram1 - ram0, TDHOB_E820_RESERVED);
    }
    if (s != TDS_OK) {
        lx_fatal(0x8002, "linux: fw_cfg etc/e820: not a usable memory map", s);
    }
}

/* A firmware allocation below 4 GiB that the OS keeps (E820 `type`). */
static uint64_t alloc(uint64_t size, uint32_t type, const char *what)
{
    uint64_t a = 0;
    uint64_t rounded = 0;
    if (tds_align_up_u64(size, PAGE, &rounded) != TDS_OK ||
        shim_e820_alloc(&shim_lx_map, rounded, PAGE, FOUR_GIB, type, &a) != TDS_OK) {
        shim_log("tdshim: linux: no RAM below 4 GiB for %s (0x%lx bytes)", what, size);
        shim_fatal(0x8003, "linux: firmware allocation failed");
    }
    if (a < BOUNCE_BASE + (uint64_t)BOUNCE_PAGES * PAGE) {
        shim_fatal(0x8003,
                   "linux: firmware allocation reached the first MiB (RAM below 4 GiB exhausted)");
    }
    return a;
}

/* The DMA path: a TD bounces through shared memory, a plain VM reads in place. */
static void setup_dma(bool td)
{
    if (!shim_lx_fw.dma_ok) {
        shim_log("tdshim: linux: fw_cfg has no DMA: port I/O, one byte per access");
        return;
    }
    if (!td) {
        const uint64_t d = alloc(PAGE, TDHOB_E820_RESERVED, "the fw_cfg DMA descriptor");
        if (shim_fwcfg_use_dma(&shim_lx_fw, (uint8_t *)(uintptr_t)d, d, 0) != TDS_OK) {
            shim_fatal(0x8004, "linux: fw_cfg DMA refused");
        }
        return;
    }
    const uint64_t base = BOUNCE_BASE;
    if (shim_e820_run_end(&shim_lx_map, base, TDHOB_E820_RAM) <
        base + (uint64_t)BOUNCE_PAGES * PAGE) {
        shim_fatal(0x8004,
                   "linux: fw_cfg bounce buffer: [0x60000, 0xA0000) is not RAM in the TD HOB");
    }
    const vshared_ops ops = shim_shared_ops(&shim_lx_mask);
    vshared_buffer *buf = &shim_lx_bounce;
    tds_status st = vshared_pool_init(&shim_lx_pool, &ops, (void *)(uintptr_t)base, base,
                                      BOUNCE_PAGES, shim_lx_bitmap, TDS_ARRAY_LEN(shim_lx_bitmap));
    if (st == TDS_OK) {
        st = vshared_alloc(&shim_lx_pool, BOUNCE_PAGES, buf);
    }
    if (st == TDS_OK) {
        st = shim_fwcfg_use_dma(&shim_lx_fw, buf->host, buf->device_addr,
                                (size_t)BOUNCE_PAGES * PAGE - 16u);
    }
    if (st != TDS_OK) {
        lx_fatal(0x8004, "linux: fw_cfg bounce buffer: shared conversion failed", st);
    }
    shim_log("tdshim: linux: fw_cfg dma through shared 0x%lx-0x%lx (vmm sees gpa 0x%lx)", base,
             base + (uint64_t)BOUNCE_PAGES * PAGE, buf->device_addr);
}

/* Back to private: MapGPA, ACCEPT (the module zeroes), PTE: RAM for the OS again. */
static void release_dma(bool td)
{
    if (!td || shim_lx_pool.state != VSHARED_POOL_READY) {
        return;
    }
    tds_status st = vshared_free(&shim_lx_pool, shim_lx_bounce.host);
    if (st == TDS_OK) {
        st = vshared_pool_release(&shim_lx_pool);
    }
    shim_lx_fw.dma = NULL;
    if (st != TDS_OK) {
        lx_fatal(0x8004, "linux: fw_cfg bounce buffer: conversion back to private failed", st);
    }
}

/*
 * Read n bytes of fw_cfg item `sel` into private dst in parts: each part is hashed into h as it
 * lands (h non-NULL), and/or its end published to an AP hashing the object (ready non-NULL: a
 * release store of the bytes in place, lx_stream.ready).
 */
static void read_hashed(uint16_t sel, uint8_t *dst, uint64_t n, rtmr_sha384_ctx *h, uint64_t *ready,
                        const char *what)
{
    tds_status st = TDS_OK;
    for (uint64_t off = 0; off < n && st == TDS_OK; off += CHUNK) {
        const size_t len = (size_t)(n - off < CHUNK ? n - off : CHUNK);
        st = shim_fwcfg_read_part(&shim_lx_fw, sel, off == 0, dst + off, len);
        if (st == TDS_OK && h != NULL) {
            st = rtmr_sha384_update(h, tds_bytes_make(dst + off, len));
        }
        if (st == TDS_OK && ready != NULL) {
            __atomic_store_n(ready, off + len, __ATOMIC_RELEASE);
        }
    }
    if (st != TDS_OK) {
        shim_log("tdshim: linux: reading the %s failed", what);
        lx_fatal(0x8005, "linux: fw_cfg read failed", st);
    }
}

/*
 * Hashing on an AP while the BSP reads (docs/linux-boot.md "Loading and hashing in parallel"):
 * the BSP reads an object (kernel data, initrd) chunk by chunk into its final private place and
 * publishes how many bytes from its start are there; an AP hashes up to that mark, then on to the
 * end. The object's bytes are written once, before the mark covers them, and never again; the
 * hash contexts and the results are read by the BSP only after the AP's mailbox completion.
 */
typedef struct lx_stream {
    rtmr_sha384_ctx *ctx;
    const uint8_t *base;
    uint64_t total;
    uint64_t ready; /* atomic: bytes from base the BSP has in place (<= total) */
    tds_status st;  /* the AP's result, read after its completion */
} lx_stream;

typedef struct lx_hash_job {
    lx_stream *s[2]; /* hashed in this order */
    uint32_t n;
} lx_hash_job;

static void lx_hash_worker(void *arg, uint32_t worker)
{
    (void)worker;
    lx_hash_job *job = arg;
    shim_simd_enable_ap();
    for (uint32_t i = 0; i < job->n && i < TDS_ARRAY_LEN(job->s); i++) {
        lx_stream *s = job->s[i];
        uint64_t done = 0;
        tds_status st = TDS_OK;
        while (done < s->total && st == TDS_OK) {
            uint64_t ready = __atomic_load_n(&s->ready, __ATOMIC_ACQUIRE);
            ready = ready < s->total ? ready : s->total;
            if (ready <= done) {
                cpu_pause();
                continue;
            }
            st = rtmr_sha384_update(s->ctx, tds_bytes_make(s->base + done, (size_t)(ready - done)));
            done = ready;
        }
        s->st = st;
    }
}

/* Post job to AP ap as a RUN on its loop stack. */
static void lx_post_hash(mbox_fw *fw, uint32_t ap, lx_hash_job *job)
{
    const mbox_fw_command cmd = mbox_fw_cmd_run(lx_hash_worker, job, ap, 0);
    const tds_status st = mbox_fw_post(fw, ap, &cmd);
    if (st != TDS_OK) {
        lx_fatal(0x8014, "linux: an AP refused the hashing work", st);
    }
}

static void lx_wait_hash(mbox_fw *fw, uint32_t ap)
{
    uint32_t result = 0;
    tds_status st = mbox_fw_wait(fw, ap, &result);
    if (st == TDS_OK && result != (uint32_t)TDS_OK) {
        st = TDS_ERR_STATE;
    }
    if (st != TDS_OK) {
        lx_fatal(0x8014, "linux: an AP did not finish hashing", st);
    }
}

/* Secure boot's reader of the detached signature (secboot.h shim_sb_read_fn). */
static tds_status read_sig_file(const char *name, uint8_t *buf, size_t cap, size_t *len)
{
    return shim_fwcfg_read_file(&shim_lx_fw, name, buf, cap, len);
}

static uint32_t size_item(uint16_t sel, const char *what)
{
    uint32_t v = 0;
    const tds_status st = shim_fwcfg_read_u32(&shim_lx_fw, sel, &v);
    if (st != TDS_OK) {
        shim_log("tdshim: linux: fw_cfg %s size unreadable", what);
        lx_fatal(0x8005, "linux: fw_cfg read failed", st);
    }
    return v;
}

static void hash_final(rtmr_sha384_ctx *h, rtmr_digest *d)
{
    if (rtmr_sha384_final(h, d) != TDS_OK) {
        shim_fatal(0x8006, "linux: hashing failed");
    }
}

static void hash_start(rtmr_sha384_ctx *h)
{
    if (rtmr_sha384_init(h) != TDS_OK) {
        shim_fatal(0x8006, "linux: hashing failed");
    }
}

/* The memory the kernel gets: a TD's from its (measured, validated) HOB, all of it accepted; a
 * plain VM's from QEMU. The q35 ECAM window is kept out of RAM either way. */
static void lx_memory_map(bool td, const shim_handoff_in *h)
{
    if (td) {
        shim_handoff_memory_map(&shim_lx_map, h);
        if (shim_e820_bytes(&shim_lx_map, TDHOB_E820_UNACCEPTED) != 0) {
            shim_fatal(0x8007, "linux: memory left unaccepted (Linux has no E820 type for it)");
        }
        if (vshared_shared_mask_from_gpaw(h->gpaw, &shim_lx_mask) != TDS_OK) {
            shim_fatal(0x8007, "linux: bad GPAW");
        }
    } else {
        plain_memory_map(&shim_lx_map);
    }
    if (shim_e820_set(&shim_lx_map, SHIM_Q35_ECAM_BASE, SHIM_Q35_ECAM_SIZE, TDHOB_E820_RESERVED) !=
        TDS_OK) {
        shim_fatal(0x8002, "linux: memory map full");
    }
}

/* Identity-map every RAM byte of the map; returns the top of RAM. */
static uint64_t lx_map_ram(void)
{
    uint64_t top = 0;
    for (size_t i = 0; i < shim_lx_map.n; i++) {
        const tdhob_e820_entry *e = &shim_lx_map.e[i];
        if (e->type == TDHOB_E820_RAM && e->addr + e->size > top) {
            top = e->addr + e->size;
        }
    }
    const tds_status mst = shim_paging_map_ram(top);
    if (mst != TDS_OK) {
        lx_fatal(0x8008, "linux: RAM above 4 GiB cannot be mapped", mst);
    }
    return top;
}

/* Where everything goes, from the map the kernel will get. */
static const lnx_plan *lx_place(uint64_t initrd_size, uint64_t cmdline_size, uint64_t boot_params,
                                uint64_t cmdline, uint64_t top)
{
    for (size_t i = 0; i < shim_lx_map.n; i++) {
        shim_lx_e820[i].addr = shim_lx_map.e[i].addr;
        shim_lx_e820[i].size = shim_lx_map.e[i].size;
        shim_lx_e820[i].type = shim_lx_map.e[i].type;
    }
    const lnx_plan_request req = {.map = shim_lx_e820,
                                  .map_count = shim_lx_map.n,
                                  .initrd_size = initrd_size,
                                  .cmdline_size = cmdline_size,
                                  .boot_params_addr = boot_params,
                                  .cmdline_addr = cmdline,
                                  .setup_data_addr = 0,
                                  .mapped_last = (top > FOUR_GIB ? top : FOUR_GIB) - 1u};
    lnx_error err = {LNX_R_NONE, 0};
    if (lnx_plan_placement(&shim_lx_hdr, &req, &shim_lx_plan, &err) != TDS_OK) {
        lnx_fatal(0x800D, "linux: kernel or initrd does not fit in memory", &err);
    }
    const lnx_plan *p = &shim_lx_plan;
    shim_log("tdshim: linux: protocol %u.%02u, kernel at 0x%lx (init_size 0x%lx), initrd at 0x%lx, "
             "boot_params at 0x%lx",
             (uint32_t)(shim_lx_hdr.version >> 8), (uint32_t)(shim_lx_hdr.version & 0xFFu),
             p->kernel_addr, p->init_size, p->initrd_addr, p->boot_params_addr);
    return p;
}

/* boot_params, the kernel's page tables, the APs (TD), the protocol's GDT, the jump. */
static TDS_NORETURN void lx_enter(bool td, const shim_handoff_in *h, const lnx_plan *p,
                                  uint64_t rsdp)
{
    lnx_error err = {LNX_R_NONE, 0};
    /* boot_params from the map the plan was made on. */
    if (lnx_build_boot_params(
            &shim_lx_hdr, p, shim_lx_e820, shim_lx_map.n, rsdp,
            tds_mut_bytes_make((void *)(uintptr_t)p->boot_params_addr, LNX_BOOT_PARAMS_SIZE),
            tds_mut_bytes_make((void *)(uintptr_t)p->setup_data_addr, (size_t)p->setup_data_size),
            &err) != TDS_OK) {
        lnx_fatal(0x800E, "linux: boot_params", &err);
    }
    for (size_t i = 0; i < shim_lx_map.n; i++) {
        shim_log("tdshim: linux: e820 0x%lx-0x%lx type %u", shim_lx_map.e[i].addr,
                 shim_lx_map.e[i].addr + shim_lx_map.e[i].size, shim_lx_map.e[i].type);
    }

    /* The kernel runs on these tables until it installs its own: boot.rst's 64-bit protocol
     * wants RAM identity-mapped, and the decompressor executes in its window and in a trampoline
     * it copies below 1 MiB (arch/x86/boot/compressed: paging_prepare). Every RAM range of the
     * map the kernel gets becomes writable and executable; the shim's own ranges (reserved) keep
     * their protection. */
    for (size_t i = 0; i < shim_lx_map.n; i++) {
        const tdhob_e820_entry *e = &shim_lx_map.e[i];
        if (e->type == TDHOB_E820_RAM &&
            shim_paging_map_large(e->addr, e->addr, e->size, PT_P | PT_RW) != TDS_OK) {
            shim_fatal(0x800F, "linux: cannot map RAM executable for the kernel");
        }
    }
    if (td) {
        shim_handoff_move_aps(h);
        shim_measure_require_complete();
        shim_measure_report_rtmrs();
    }
    shim_lx_gdt[0] = 0;
    shim_lx_gdt[1] = 0;
    shim_lx_gdt[2] = LNX_GDT_CODE64;
    shim_lx_gdt[3] = LNX_GDT_DATA;
    tds_store_le16(shim_lx_gdt_desc, (uint16_t)(sizeof shim_lx_gdt - 1u));
    tds_store_le64(shim_lx_gdt_desc + 2, (uint64_t)(uintptr_t)shim_lx_gdt);
    shim_log("tdshim: linux: jump to 0x%lx with boot_params 0x%lx",
             p->kernel_addr + LNX_ENTRY64_OFFSET, p->boot_params_addr);
    shim_enter_linux(p->kernel_addr + LNX_ENTRY64_OFFSET, p->boot_params_addr, shim_lx_gdt_desc);
}

void shim_linux_boot(bool td, const shim_handoff_in *h)
{
    if (!shim_linux_kernel_present(td)) {
        shim_fatal(0x8001, "linux: no kernel in fw_cfg");
    }
    if (td && h == NULL) {
        shim_fatal(0x8001, "linux: no hand-off context");
    }
    lx_memory_map(td, h);
    const uint64_t top = lx_map_ram();
    setup_dma(td);
    /* Secure boot: the detached signature first (a boot without one stops here, before a byte of
     * the kernel is read); it is verified once the three blobs are hashed. */
    if (td && shim_sb_enforced()) {
        shim_sb_linux_sig_read(read_sig_file);
    }

    /* Sizes (untrusted), then the setup header, then the command line. */
    const uint32_t setup_size = size_item(SHIM_FWCFG_SETUP_SIZE, "setup");
    const uint32_t kernel_size = size_item(SHIM_FWCFG_KERNEL_SIZE, "kernel");
    const uint32_t initrd_size = size_item(SHIM_FWCFG_INITRD_SIZE, "initrd");
    const uint32_t cmdline_size = size_item(SHIM_FWCFG_CMDLINE_SIZE, "command line");
    shim_log("tdshim: linux: fw_cfg setup 0x%x kernel 0x%x initrd 0x%x cmdline 0x%x bytes%s",
             setup_size, kernel_size, initrd_size, cmdline_size,
             shim_lx_fw.dma != NULL ? "" : " (no dma)");
    if (setup_size == 0 || setup_size > SETUP_MAX) {
        shim_fatal(0x8009, "linux: setup size is 0 or larger than 128 KiB");
    }
    if (cmdline_size == 0 || cmdline_size > CMDLINE_MAX) {
        shim_fatal(0x800A, "linux: command line size is 0 (no terminator) or larger than 1 MiB");
    }
    /* Hashed only in a TD (a plain VM has nothing to measure into). */
    rtmr_sha384_ctx kh = {0};
    rtmr_sha384_ctx ih = {0};
    rtmr_sha384_ctx ch = {0};
    rtmr_sha384_ctx *const khp = td ? &kh : NULL;
    rtmr_sha384_ctx *const ihp = td ? &ih : NULL;
    rtmr_sha384_ctx *const chp = td ? &ch : NULL;
    uint8_t *setup = (uint8_t *)(uintptr_t)alloc(setup_size, TDHOB_E820_RESERVED, "the setup");
    read_hashed(SHIM_FWCFG_SETUP_DATA, setup, setup_size, NULL, NULL, "setup");
    lnx_error err = {LNX_R_NONE, 0};
    if (lnx_parse_header(tds_bytes_make(setup, setup_size), kernel_size, &shim_lx_hdr, &err) !=
        TDS_OK) {
        lnx_fatal(0x800B, "linux: bad setup header", &err);
    }
    /* The kernel's digest: the setup in its measured form (the loader-owned fields QEMU patches
     * zeroed; boot_params gets the shim's own values for them), then KERNEL_DATA. */
    if (td) {
        hash_start(&kh);
        hash_start(&ih);
        hash_start(&ch);
        if (lnx_measured_form(tds_mut_bytes_make(setup, setup_size), &err) != TDS_OK ||
            rtmr_sha384_update(&kh, tds_bytes_make(setup, setup_size)) != TDS_OK) {
            lnx_fatal(0x800B, "linux: bad setup header", &err);
        }
    }
    const uint64_t cmdline = alloc(cmdline_size, TDHOB_E820_RESERVED, "the command line");
    read_hashed(SHIM_FWCFG_CMDLINE_DATA, (uint8_t *)(uintptr_t)cmdline, cmdline_size, chp, NULL,
                "command line");
    if (lnx_check_cmdline(&shim_lx_hdr,
                          tds_bytes_make((const void *)(uintptr_t)cmdline, cmdline_size),
                          &err) != TDS_OK) {
        lnx_fatal(0x800A, "linux: bad command line", &err);
    }
    const uint64_t boot_params = alloc(LNX_BOOT_PARAMS_SIZE, TDHOB_E820_RESERVED, "boot_params");

    /* ACPI: the chipset state the tables describe, then QEMU's tables (acpi.c). */
    if (shim_q35_setup(td ? SHIM_PIO_TDVMCALL : SHIM_PIO_DIRECT) != TDS_OK) {
        shim_fatal(0x800C, "linux: not a q35 machine, or its PMBASE/PCIEXBAR did not take");
    }
    const shim_acpi_td acpi_td = {shim_handoff_os_mailbox(), shim_handoff_os_reset_vector()};
    const uint64_t rsdp = shim_acpi_load(&shim_lx_fw, &shim_lx_map, td ? &acpi_td : NULL);

    const lnx_plan *p = lx_place(initrd_size, cmdline_size, boot_params, cmdline, top);

    /* The kernel (hashed after its setup: the file), the initrd. With APs, they hash while the
     * BSP reads: AP 1 the kernel, AP 2 the initrd (AP 1 both with two vCPUs). */
    lx_stream ks = {&kh, (const uint8_t *)(uintptr_t)p->kernel_addr, kernel_size, 0, TDS_OK};
    lx_stream is = {&ih, (const uint8_t *)(uintptr_t)p->initrd_addr, initrd_size, 0, TDS_OK};
    lx_hash_job j1 = {{&ks, &is}, initrd_size != 0 ? 2u : 1u};
    lx_hash_job j2 = {{&is, NULL}, 1};
    mbox_fw *const fw = td && h->cpus >= 2 ? h->fw : NULL;
    const bool two = fw != NULL && h->cpus >= 3 && initrd_size != 0;
    if (fw != NULL) {
        if (two) {
            j1.n = 1;
            lx_post_hash(fw, 2, &j2);
        }
        lx_post_hash(fw, 1, &j1);
    }
    read_hashed(SHIM_FWCFG_KERNEL_DATA, (uint8_t *)(uintptr_t)p->kernel_addr, kernel_size,
                fw != NULL ? NULL : khp, fw != NULL ? &ks.ready : NULL, "kernel");
    if (initrd_size != 0) {
        read_hashed(SHIM_FWCFG_INITRD_DATA, (uint8_t *)(uintptr_t)p->initrd_addr, initrd_size,
                    fw != NULL ? NULL : ihp, fw != NULL ? &is.ready : NULL, "initrd");
    }
    if (fw != NULL) {
        lx_wait_hash(fw, 1);
        if (two) {
            lx_wait_hash(fw, 2);
        }
        if (ks.st != TDS_OK || is.st != TDS_OK) {
            lx_fatal(0x8014, "linux: hashing on an AP failed", ks.st != TDS_OK ? ks.st : is.st);
        }
        shim_log("tdshim: linux: kernel hashed on vcpu 1, initrd on vcpu %u, while the BSP read",
                 two ? 2u : 1u);
    }
    if (td) {
        rtmr_digest dk;
        rtmr_digest di;
        rtmr_digest dc;
        hash_final(&kh, &dk);
        hash_final(&ih, &di);
        hash_final(&ch, &dc);
        if (shim_sb_enforced()) {
            shim_sb_verify_linux(&dk, &di, &dc); /* "secure_authority", "td_payload_svn" */
        }
        shim_measure_linux_blob(CCEL_LINUX_KERNEL, setup_size + (uint64_t)kernel_size, &dk);
        shim_measure_linux_blob(CCEL_LINUX_INITRD, initrd_size, &di);
        shim_measure_linux_blob(CCEL_LINUX_CMDLINE, cmdline_size, &dc);
        shim_measure_separators();
    }
    release_dma(td);

    lx_enter(td, h, p, rsdp);
}

/* ---- A kernel the VMM placed in the payload region (docs/linux-boot.md) ---- */

bool shim_linux_bytes_are_kernel(tds_bytes b)
{
    if (b.len < LNX_REGION_HEAD) {
        return false;
    }
    uint32_t setup = 0;
    uint64_t kernel = 0;
    lnx_error err = {LNX_R_NONE, 0};
    const tds_status st =
        lnx_region_kernel(tds_bytes_make(b.ptr, LNX_REGION_HEAD), b.len, &setup, &kernel, &err);
    return st == TDS_OK || (err.reason != LNX_R_BOOT_FLAG && err.reason != LNX_R_MAGIC);
}

bool shim_linux_region_is_kernel(const tdvf_section *region)
{
    /* The caller checked that the region is accepted private RAM in the TD HOB. One copy of its
     * first bytes: the detection and the sizes are read from it, and the setup starts with it. */
    memcpy(shim_lx_head, (const void *)(uintptr_t)region->mem_addr, sizeof shim_lx_head);
    uint32_t setup = 0;
    uint64_t kernel = 0;
    lnx_error err = {LNX_R_NONE, 0};
    const tds_status st = lnx_region_kernel(tds_bytes_make(shim_lx_head, sizeof shim_lx_head),
                                            region->mem_size, &setup, &kernel, &err);
    return st == TDS_OK || (err.reason != LNX_R_BOOT_FLAG && err.reason != LNX_R_MAGIC);
}

/* A VMM-filled range must be accepted private RAM before a byte of it is read; then it is kept
 * out of the kernel's RAM (reserved). */
static void region_take(const tdvf_section *s, uint32_t code, const char *what)
{
    uint64_t end = 0;
    if (tds_range_end(s->mem_addr, s->mem_size, &end) != TDS_OK ||
        !shim_handoff_hob_added_ram(s->mem_addr, s->mem_size)) {
        shim_log("tdshim: linux: %s 0x%lx-0x%lx is not RAM the TD HOB reports as added", what,
                 s->mem_addr, s->mem_addr + s->mem_size);
        shim_fatal(code, "linux: a VMM-filled region is not accepted private RAM");
    }
    if (shim_e820_set(&shim_lx_map, s->mem_addr, s->mem_size, TDHOB_E820_RESERVED) != TDS_OK) {
        shim_fatal(0x8002, "linux: memory map full");
    }
}

/*
 * The command line: a PayloadParam section (VMM-filled or in the image), else the TD HOB's
 * Linux-cmdline GUID HOB (measured with the HOB, parsed only now), else the empty string. Copied
 * once into a firmware allocation; returns its address, *size = its bytes with the NUL.
 */
static uint64_t region_cmdline(const shim_handoff_in *h, uint64_t *size)
{
    const tdvf_section *ps = NULL;
    tdvf_payload_kind pk = TDVF_PAYLOAD_IMAGE;
    tdvf_error terr = {"", UINT32_MAX};
    const tds_status pst = tdvf_find_payload_param(h->meta, h->image_size, &ps, &pk, &terr);
    if (pst != TDS_OK && pst != TDS_ERR_NOT_FOUND) {
        shim_log("tdshim: linux: PayloadParam section: %s (section %u)", terr.what, terr.section);
        shim_fatal(0x8011, "linux: PayloadParam section invalid");
    }
    lnx_error err = {LNX_R_NONE, 0};
    if (pst == TDS_OK) {
        if (pk == TDVF_PAYLOAD_VMM) {
            region_take(ps, 0x8013, "PayloadParam region (VMM-filled)");
        }
        const uint64_t cap = ps->mem_size < CMDLINE_MAX ? ps->mem_size : CMDLINE_MAX;
        const uint64_t a = alloc(cap, TDHOB_E820_RESERVED, "the command line");
        size_t len = 0;
        if (lnx_region_cmdline(tds_bytes_make((const void *)(uintptr_t)ps->mem_addr, (size_t)cap),
                               tds_mut_bytes_make((void *)(uintptr_t)a, (size_t)cap), &len,
                               &err) != TDS_OK) {
            lnx_fatal(0x8011, "linux: PayloadParam section: no NUL-terminated command line", &err);
        }
        /* The pages after the string go back to RAM. */
        uint64_t used = 0;
        uint64_t whole = 0;
        if (tds_align_up_u64(len, PAGE, &used) != TDS_OK ||
            tds_align_up_u64(cap, PAGE, &whole) != TDS_OK ||
            (whole > used &&
             shim_e820_set(&shim_lx_map, a + used, whole - used, TDHOB_E820_RAM) != TDS_OK)) {
            shim_fatal(0x8002, "linux: memory map full");
        }
        shim_log("tdshim: linux: command line from the PayloadParam section %u (%s) at 0x%lx, "
                 "0x%lx bytes",
                 (uint32_t)(ps - h->meta->sec), tdvf_payload_kind_name(pk), ps->mem_addr,
                 (uint64_t)len);
        *size = len;
        return a;
    }
    tds_bytes c = tds_bytes_make("", 1);
    const tds_status hst = tdhob_get_linux_cmdline(shim_hob_checked(), &c);
    if (hst != TDS_OK && hst != TDS_ERR_NOT_FOUND) {
        shim_log("tdshim: linux: TD HOB command line (GUID HOB 9186f69a-...): %s",
                 tds_status_str(hst));
        shim_fatal(0x8012, "linux: the TD HOB's command line HOB is malformed");
    }
    if (hst == TDS_ERR_NOT_FOUND) {
        c = tds_bytes_make("", 1);
    }
    const uint64_t a = alloc(c.len, TDHOB_E820_RESERVED, "the command line");
    memcpy((void *)(uintptr_t)a, c.ptr, c.len);
    shim_log("tdshim: linux: command line from %s, 0x%lx bytes",
             hst == TDS_OK ? "the TD HOB" : "nowhere (none given: empty)", (uint64_t)c.len);
    *size = c.len;
    return a;
}

/* `region` is the VMM-placed section (checked and reserved whole); `kbytes` the kernel file inside
 * it: the region itself, or under secure boot the authenticated payload of the signed region. */
static TDS_NORETURN void boot_region(const shim_handoff_in *h, const tdvf_section *region,
                                     const tdvf_section *kbytes, bool secure)
{
    /* The plan: QEMU's ACPI tables when fw_cfg is there, else the shim's own (not measured). */
    const bool fw = fwcfg_present(true);
    shim_measure_replan(secure ? (fw ? &ccel_boot_plan_linux_region_secure
                                     : &ccel_boot_plan_linux_region_secure_no_acpi)
                               : (fw ? &ccel_boot_plan_linux : &ccel_boot_plan_linux_no_acpi));
    lx_memory_map(true, h);
    region_take(region, 0x700E, "payload region (VMM-placed)");
    region = kbytes; /* from here on: the kernel file's bytes */
    const uint64_t top = lx_map_ram();
    if (fw) {
        setup_dma(true);
    }

    uint32_t setup_size = 0;
    uint64_t kernel_size = 0;
    lnx_error err = {LNX_R_NONE, 0};
    if (lnx_region_kernel(tds_bytes_make(shim_lx_head, sizeof shim_lx_head), region->mem_size,
                          &setup_size, &kernel_size, &err) != TDS_OK) {
        lnx_fatal(0x8010, "linux: the kernel in the payload region runs past it", &err);
    }
    shim_log("tdshim: linux: kernel from the VMM-placed payload region 0x%lx-0x%lx: setup 0x%x "
             "kernel 0x%lx bytes; fw_cfg %s",
             region->mem_addr, region->mem_addr + region->mem_size, setup_size, kernel_size,
             fw ? "present (QEMU's ACPI tables)" : "absent (the shim's own ACPI tables)");
    /* The setup: its first bytes from the copy already made, the rest from the region, once. */
    uint8_t *setup = (uint8_t *)(uintptr_t)alloc(setup_size, TDHOB_E820_RESERVED, "the setup");
    memcpy(setup, shim_lx_head, sizeof shim_lx_head);
    memcpy(setup + sizeof shim_lx_head,
           (const void *)(uintptr_t)(region->mem_addr + sizeof shim_lx_head),
           setup_size - sizeof shim_lx_head);
    if (lnx_parse_header(tds_bytes_make(setup, setup_size), kernel_size, &shim_lx_hdr, &err) !=
        TDS_OK) {
        lnx_fatal(0x800B, "linux: bad setup header", &err);
    }
    /* The kernel's digest as the fw_cfg path computes it for the same file (one reference value
     * whatever the source): the setup's measured form, then the protected-mode kernel. */
    rtmr_sha384_ctx kh = {0};
    rtmr_sha384_ctx ih = {0};
    rtmr_sha384_ctx ch = {0};
    hash_start(&kh);
    hash_start(&ih);
    hash_start(&ch);
    if (lnx_measured_form(tds_mut_bytes_make(setup, setup_size), &err) != TDS_OK ||
        rtmr_sha384_update(&kh, tds_bytes_make(setup, setup_size)) != TDS_OK) {
        lnx_fatal(0x800B, "linux: bad setup header", &err);
    }
    uint64_t cmdline_size = 0;
    const uint64_t cmdline = region_cmdline(h, &cmdline_size);
    const tds_bytes cl = tds_bytes_make((const void *)(uintptr_t)cmdline, (size_t)cmdline_size);
    if (lnx_check_cmdline(&shim_lx_hdr, cl, &err) != TDS_OK) {
        lnx_fatal(0x800A, "linux: bad command line", &err);
    }
    if (rtmr_sha384_update(&ch, cl) != TDS_OK) {
        shim_fatal(0x8006, "linux: hashing failed");
    }
    const uint64_t boot_params = alloc(LNX_BOOT_PARAMS_SIZE, TDHOB_E820_RESERVED, "boot_params");

    uint64_t rsdp = 0;
    if (fw) {
        if (shim_q35_setup(SHIM_PIO_TDVMCALL) != TDS_OK) {
            shim_fatal(0x800C, "linux: not a q35 machine, or its PMBASE/PCIEXBAR did not take");
        }
        const shim_acpi_td acpi_td = {shim_handoff_os_mailbox(), shim_handoff_os_reset_vector()};
        rsdp = shim_acpi_load(&shim_lx_fw, &shim_lx_map, &acpi_td);
    } else {
        rsdp = shim_acpi_build_td(&shim_lx_map, h);
    }

    const lnx_plan *p = lx_place(0, cmdline_size, boot_params, cmdline, top);
    /* The protected-mode kernel: from the region into private memory at the planned address,
     * once, hashed as it lands; the region is not read again. */
    uint8_t *const dst = (uint8_t *)(uintptr_t)p->kernel_addr;
    const uint8_t *const src = (const uint8_t *)(uintptr_t)(region->mem_addr + setup_size);
    for (uint64_t off = 0; off < kernel_size; off += CHUNK) {
        const size_t len = (size_t)(kernel_size - off < CHUNK ? kernel_size - off : CHUNK);
        memcpy(dst + off, src + off, len);
        if (rtmr_sha384_update(&kh, tds_bytes_make(dst + off, len)) != TDS_OK) {
            shim_fatal(0x8006, "linux: hashing failed");
        }
    }
    rtmr_digest dk;
    rtmr_digest di;
    rtmr_digest dc;
    hash_final(&kh, &dk);
    hash_final(&ih, &di);
    hash_final(&ch, &dc);
    shim_measure_linux_blob(CCEL_LINUX_KERNEL, setup_size + kernel_size, &dk);
    shim_measure_linux_blob(CCEL_LINUX_INITRD, 0, &di);
    shim_measure_linux_blob(CCEL_LINUX_CMDLINE, cmdline_size, &dc);
    shim_measure_separators();
    release_dma(true);
    lx_enter(true, h, p, rsdp);
}

void shim_linux_boot_region(const shim_handoff_in *h, const tdvf_section *region)
{
    boot_region(h, region, region, false);
}

void shim_linux_boot_region_signed(const shim_handoff_in *h, const tdvf_section *region,
                                   tds_bytes kernel)
{
    /* The authenticated payload inside the region (secboot_verify_payload's slice). */
    if (kernel.len < LNX_REGION_HEAD) {
        shim_fatal(0x8010, "linux: the signed kernel is shorter than its setup header");
    }
    tdvf_section k = *region;
    k.mem_addr = (uint64_t)(uintptr_t)kernel.ptr;
    k.mem_size = kernel.len;
    memcpy(shim_lx_head, kernel.ptr, sizeof shim_lx_head);
    boot_region(h, region, &k, true);
}
