/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The emulated VMM's fw_cfg (test image only): every TDG.VP.VMCALL<Instruction.IO> the TD makes to
 * the fw_cfg ports (0x510 selector, 0x511 data, 0x514/0x518 DMA address) passes through here on
 * its way to QEMU's real device, so the test image can check what a TDX VMM would refuse and can
 * lie the way a hostile VMM would:
 *
 *  - Every DMA must be into shared memory, as on TDX, where the VMM cannot write private pages:
 *    the descriptor's GPA and every page of the data it names must have no shared bit (the VMM
 *    sees guest RAM without it) and be pages the TD converted with MapGPA (the emulator's SHARED
 *    page state). Anything else ends the run: "tdtest: vmm: fw_cfg DMA ... private ...".
 *  - opt/tdshim/vmm-fwcfg: up to four lies, separated by '+', each "ITEM:OFFSET:HEX" (the bytes
 *    the TD reads at OFFSET of ITEM are replaced by HEX, after QEMU wrote the real ones) or
 *    "ITEM:error" (every DMA transfer of ITEM reports the error bit). ITEM is a selector
 *    ("0x18") or a file name ("etc/table-loader"); OFFSET counts bytes from the item's start in
 *    the order the TD reads them. The lie "private" is the negative control of the shared-memory
 *    check: the VMM then sees every page as private, so the first DMA must be refused. Parsed
 *    once, when the emulator is set up, before the shim uses fw_cfg (the emulated VMM reads
 *    fw_cfg itself, which moves the device's selection).
 *  - opt/tdshim/vmm-no-fwcfg = "1": a VMM without fw_cfg (docs/linux-boot.md "From a VMM-placed
 *    region"): every access the TD makes to the fw_cfg ports is answered as by an absent device
 *    (reads all ones, writes dropped), so the shim finds no "QEMU" signature. The emulated VMM
 *    still reads its own knobs through the real device.
 */
#include "fw_test.h"

#include "fwcfg.h"
#include "tdshim/endian.h"
#include "tdshim/mem.h"
#include "tdshim/tdx_emu.h"

#define PORT_SEL 0x510u
#define PORT_DATA 0x511u
#define PORT_DMA_HI 0x514u
#define PORT_DMA_LO 0x518u
#define DMA_ERROR 0x01u
#define DMA_SELECT 0x08u
#define SHARED_BIT (1ull << 47) /* GPAW 48, as the emulator is set up */
#define MAX_LIES 4u
#define MAX_LIE_BYTES 32u
#define KNOB_MAX 256u

typedef struct vmm_lie {
    uint64_t off;
    uint32_t len;
    uint16_t sel;
    bool error;
    uint8_t bytes[MAX_LIE_BYTES];
} vmm_lie;

/* The emulated VMM is one device model: state shared by all vCPUs (the shim's BSP is the only
 * fw_cfg user). */
static vmm_lie tdtest_lies[MAX_LIES];
static uint32_t tdtest_lie_count;
static uint16_t tdtest_fw_sel;
static uint64_t tdtest_fw_off;
static uint32_t tdtest_fw_dma_hi;
static uint64_t tdtest_fw_dma_checked;
static bool tdtest_fw_all_private;
/* The harness keeps shared memory apart from private RAM (run-qemu.sh TDSHIM_SHARED_ALIAS=
 * separate): the VMM reaches the shared page at GPA x in the ivshmem BAR at TDTEST_ALIAS_GPA + x,
 * as a real VMM keeps a TD's shared memory outside the private pages. */
static bool tdtest_fw_separate;
static bool tdtest_fw_hidden;

static TDS_NORETURN void knob_error(const char *what)
{
    tdtest_log("tdtest: vmm: opt/tdshim/vmm-fwcfg: %s", what);
    tdtest_exit(TDTEST_EXIT_FATAL);
}

static bool tdtest_str_prefix(const char *s, const char *prefix)
{
    while (*prefix != '\0' && *s == *prefix) {
        s++;
        prefix++;
    }
    return *prefix == '\0';
}

static const char *expect_colon(const char *p)
{
    if (*p != ':') {
        knob_error("expected ':'");
    }
    return p + 1;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* "0x..." (hex) or decimal, up to the next space/';'/NUL. */
static const char *parse_u64(const char *p, uint64_t *v)
{
    uint64_t x = 0;
    const bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    const char *s = hex ? p + 2 : p;
    const char *q = s;
    for (; *q != '\0' && *q != ':' && *q != '+'; q++) {
        const int d = hex ? hex_digit(*q) : (*q >= '0' && *q <= '9' ? *q - '0' : -1);
        if (d < 0 || x > (UINT64_MAX >> 4)) {
            knob_error("bad number");
        }
        x = x * (hex ? 16u : 10u) + (uint64_t)d;
    }
    if (q == s) {
        knob_error("missing number");
    }
    *v = x;
    return q;
}

static const char *parse_item(const char *p, uint16_t *sel)
{
    if (p[0] == '0' && p[1] == 'x') {
        uint64_t v = 0;
        p = parse_u64(p, &v);
        if (v > 0xFFFFu) {
            knob_error("selector above 0xffff");
        }
        *sel = (uint16_t)v;
        return p;
    }
    char name[SHIM_FWCFG_NAME];
    size_t n = 0;
    for (; *p != '\0' && *p != ':' && *p != '+'; p++) {
        if (n + 1 >= sizeof name) {
            knob_error("file name too long");
        }
        name[n++] = *p;
    }
    name[n] = '\0';
    uint32_t size = 0;
    if (n == 0 || shim_fwcfg_find(tdtest_fwcfg(), name, sel, &size) != TDS_OK) {
        knob_error("no such fw_cfg file");
    }
    return p;
}

void tdtest_vmm_setup(void)
{
    char knob[KNOB_MAX];
    char sep[4];
    if (tdtest_knob("opt/tdshim/shared-separate", sep, sizeof sep) == TDS_OK &&
        tdtest_str_eq(sep, "1")) {
        tdtest_fw_separate = true;
        tdtest_log("tdtest: vmm: shared memory apart from private RAM (fw_cfg DMA lands at "
                   "0x%lx + gpa)",
                   TDTEST_ALIAS_GPA);
    }
    if (tdtest_knob("opt/tdshim/vmm-no-fwcfg", knob, sizeof knob) == TDS_OK &&
        tdtest_str_eq(knob, "1")) {
        tdtest_fw_hidden = true;
        tdtest_log("tdtest: vmm: no fw_cfg for the TD (its ports answer as an absent device)");
    }
    const tds_status st = tdtest_knob("opt/tdshim/vmm-fwcfg", knob, sizeof knob);
    if (st == TDS_ERR_NOT_FOUND) {
        return;
    }
    if (st != TDS_OK) {
        knob_error("unreadable or longer than 255 bytes");
    }
    const char *p = knob;
    while (*p != '\0') {
        if (tdtest_str_prefix(p, "private")) {
            tdtest_fw_all_private = true;
            p += 7;
            tdtest_log("tdtest: vmm: fw_cfg lie: every page private (negative control)");
        } else {
            if (tdtest_lie_count == MAX_LIES) {
                knob_error("more than four lies");
            }
            vmm_lie *l = &tdtest_lies[tdtest_lie_count++];
            p = expect_colon(parse_item(p, &l->sel));
            if (tdtest_str_prefix(p, "error")) {
                l->error = true;
                p += 5;
            } else {
                p = expect_colon(parse_u64(p, &l->off));
                for (; hex_digit(p[0]) >= 0 && hex_digit(p[1]) >= 0; p += 2) {
                    if (l->len == MAX_LIE_BYTES) {
                        knob_error("more than 32 bytes in one lie");
                    }
                    l->bytes[l->len++] = (uint8_t)(hex_digit(p[0]) << 4 | hex_digit(p[1]));
                }
                if (l->len == 0) {
                    knob_error("no bytes");
                }
            }
            tdtest_log("tdtest: vmm: fw_cfg lie: item 0x%x %s offset 0x%lx, %u bytes", l->sel,
                       l->error ? "dma error" : "bytes at", l->off, l->len);
        }
        if (*p == '+') {
            p++;
        } else if (*p != '\0') {
            knob_error("expected '+' or the end");
        }
    }
}

/* Replace the bytes of [off, off + n) of the current item that a lie covers, in dst. */
static void apply_lies(uint8_t *dst, uint64_t off, uint64_t n)
{
    for (uint32_t i = 0; i < tdtest_lie_count; i++) {
        const vmm_lie *l = &tdtest_lies[i];
        if (l->error || l->sel != tdtest_fw_sel) {
            continue;
        }
        for (uint32_t k = 0; k < l->len; k++) {
            const uint64_t at = l->off + k;
            if (at >= off && at - off < n) {
                dst[at - off] = l->bytes[k];
            }
        }
    }
}

static bool lie_error(void)
{
    for (uint32_t i = 0; i < tdtest_lie_count; i++) {
        if (tdtest_lies[i].error && tdtest_lies[i].sel == tdtest_fw_sel) {
            return true;
        }
    }
    return false;
}

/* What a TDX VMM can write: shared pages, named without the shared bit. */
static void require_shared(uint64_t gpa, uint64_t len, const char *what)
{
    if ((gpa & SHARED_BIT) != 0 || gpa + len < gpa) {
        tdtest_log("tdtest: vmm: fw_cfg DMA %s at 0x%lx (+0x%lx): not a guest RAM address", what,
                   gpa, len);
        tdtest_exit(TDTEST_EXIT_FATAL);
    }
    const uint64_t end = gpa + (len != 0 ? len : 1u);
    for (uint64_t a = gpa & ~0xFFFull; a < end; a += 4096u) {
        uint8_t st = 0;
        if (tdtest_fw_all_private || tdx_emu_page_get(tdtest_emu(), a, &st) != TDS_OK ||
            (st & TDX_EMU_PAGE_SHARED) == 0) {
            tdtest_log("tdtest: vmm: fw_cfg DMA %s at 0x%lx (+0x%lx): page 0x%lx is private", what,
                       gpa, len, a);
            tdtest_exit(TDTEST_EXIT_FATAL);
        }
    }
}

static void dma(uint32_t lo_be)
{
    uint8_t be[4];
    tds_store_le32(be, lo_be);
    const uint64_t gpa = (uint64_t)tdtest_fw_dma_hi << 32 | tds_load_be32(be);
    require_shared(gpa, 16, "descriptor");
    uint8_t *d = (uint8_t *)(uintptr_t)gpa;
    const uint32_t control = tds_load_be32(d);
    const uint32_t len = tds_load_be32(d + 4);
    const uint64_t addr = tds_load_be64(d + 8);
    if ((control & DMA_SELECT) != 0) {
        tdtest_fw_sel = (uint16_t)(control >> 16);
        tdtest_fw_off = 0;
    }
    if (len != 0) {
        require_shared(addr, len, "data");
    }
    tdtest_fw_dma_checked++;
    if (tdtest_fw_separate) {
        /* The shim reads and writes the descriptor and the data through its shared mappings,
         * which reach the harness's shared memory; QEMU is pointed there too. Private RAM at
         * the same GPAs keeps whatever it held, so a shim reading the private view sees stale
         * bytes, not the transfer. */
        if (gpa + 16u > TDTEST_ALIAS_SIZE || (len != 0 && addr + len > TDTEST_ALIAS_SIZE)) {
            tdtest_log("tdtest: vmm: fw_cfg DMA at 0x%lx (+0x%x): outside the harness's shared "
                       "window [0, 0x%lx)",
                       addr, len, TDTEST_ALIAS_SIZE);
            tdtest_exit(TDTEST_EXIT_FATAL);
        }
        tds_store_be64(d + 8, addr | TDTEST_ALIAS_GPA);
        uint8_t hi[4];
        tds_store_be32(hi, (uint32_t)(TDTEST_ALIAS_GPA >> 32));
        cpu_outl(PORT_DMA_HI, tds_load_le32(hi));
        cpu_outl(PORT_DMA_LO, lo_be); /* QEMU transfers now, synchronously */
        tds_store_be64(d + 8, addr);
        tds_store_be32(hi, tdtest_fw_dma_hi);
        cpu_outl(PORT_DMA_HI, tds_load_le32(hi));
    } else {
        cpu_outl(PORT_DMA_LO, lo_be); /* QEMU transfers now, synchronously */
    }
    apply_lies((uint8_t *)(uintptr_t)addr, tdtest_fw_off, len);
    tdtest_fw_off += len;
    if (lie_error()) {
        tds_store_be32(d, DMA_ERROR);
    }
}

bool tdtest_vmm_io(uint16_t port, uint32_t size, bool write, uint64_t *value)
{
    if (tdtest_fw_hidden && port >= PORT_SEL && port < PORT_DMA_LO + 4u) {
        if (!write) {
            *value = size >= 4u ? 0xFFFFFFFFu : ((uint64_t)1 << (8u * size)) - 1u;
        }
        return true;
    }
    if (port == PORT_SEL && write && size == 2) {
        tdtest_fw_sel = (uint16_t)*value;
        tdtest_fw_off = 0;
        cpu_outw(port, (uint16_t)*value);
        return true;
    }
    if (port == PORT_DATA && !write && size == 1) {
        uint8_t b = cpu_inb(port);
        apply_lies(&b, tdtest_fw_off, 1);
        tdtest_fw_off++;
        *value = b;
        return true;
    }
    if (port == PORT_DMA_HI && write && size == 4) {
        uint8_t be[4];
        tds_store_le32(be, (uint32_t)*value);
        tdtest_fw_dma_hi = tds_load_be32(be);
        cpu_outl(port, (uint32_t)*value);
        return true;
    }
    if (port == PORT_DMA_LO && write && size == 4) {
        dma((uint32_t)*value);
        return true;
    }
    return false;
}

/*
 * The ACPI files as QEMU serves them (read by the emulated VMM itself, through the ports), for the
 * harness's reference measurement (tests/linux-boot/boot-linux.sh passes opt/tdshim/dump-acpi=1):
 * "tdtest: acpi-file NAME SIZE", then "tdtest: acpi-data NAME OFFSET HEX" for each 64-byte row
 * that is not all zero. Only after the shim has read everything: reading moves the device's
 * selection.
 */
static void dump_acpi_file(const char *name)
{
    uint16_t sel = 0;
    uint32_t size = 0;
    if (shim_fwcfg_find(tdtest_fwcfg(), name, &sel, &size) != TDS_OK) {
        tdtest_log("tdtest: acpi-file %s missing", name);
        return;
    }
    tdtest_log("tdtest: acpi-file %s %u", name, size);
    uint8_t row[64];
    bool first = true;
    for (uint32_t off = 0; off < size; off += (uint32_t)sizeof row) {
        const uint32_t n = size - off < sizeof row ? size - off : (uint32_t)sizeof row;
        if (shim_fwcfg_read_part(tdtest_fwcfg(), sel, first, row, n) != TDS_OK) {
            tdtest_log("tdtest: acpi-file %s unreadable", name);
            return;
        }
        first = false;
        bool zero = true;
        char hex[2 * sizeof row + 1];
        static const char digits[] = "0123456789abcdef";
        for (size_t i = 0; i < n; i++) {
            zero = zero && row[i] == 0;
            hex[2 * i] = digits[row[i] >> 4];
            hex[(2 * i) + 1] = digits[row[i] & 0xFu];
        }
        hex[(size_t)2 * n] = '\0';
        if (!zero) {
            tdtest_log("tdtest: acpi-data %s %u %s", name, off, hex);
        }
    }
}

/* Right before the kernel runs (--wrap=shim_enter_linux): how many transfers were checked, and
 * the ACPI files for the reference. */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): ld --wrap's name */
TDS_NORETURN void __wrap_shim_enter_linux(uint64_t entry, uint64_t boot_params,
                                          const void *gdt_desc)
{
    tdtest_log("tdtest: vmm: %lu fw_cfg DMA transfers, every one into shared memory",
               tdtest_fw_dma_checked);
    char on[4];
    if (tdtest_knob("opt/tdshim/dump-acpi", on, sizeof on) == TDS_OK && tdtest_str_eq(on, "1")) {
        dump_acpi_file("etc/table-loader");
        dump_acpi_file("etc/acpi/rsdp");
        dump_acpi_file("etc/acpi/tables");
    }
    __real_shim_enter_linux(entry, boot_params, gdt_desc);
}
