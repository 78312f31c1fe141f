/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: the emulator must answer any register file without crashing, reading or writing
 * outside the memory it was given, or breaking its invariants — it will sit behind the shim
 * test image's #UD handler, fed by guest code under test. Input: a few fault settings, then
 * records of {vcpu (1 byte), 14 registers (112 bytes)}. Buffer GPAs resolve into a private
 * arena through the map_buffer hook.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/tdx_emu.h"

#define ARENA_SIZE ((size_t)64 * 1024)
#define MIB (1024ull * 1024ull)

static uint8_t arena[ARENA_SIZE] __attribute__((aligned(4096)));
static uint8_t backing[4 * MIB];
static uint8_t st0[512], st1[512], st2[256];

static void *map_buffer(void *ctx, uint64_t gpa, size_t len)
{
    (void)ctx;
    if (gpa > ARENA_SIZE || len > ARENA_SIZE - gpa) {
        return NULL;
    }
    return arena + gpa;
}

static uint64_t any_io(void *ctx, uint32_t vcpu, uint16_t port, uint32_t size, bool write,
                       uint64_t *value)
{
    (void)ctx;
    (void)vcpu;
    (void)size;
    if (!write) {
        *value = port;
    }
    return port & 1u ? TDVMCALL_STATUS_INVALID_OPERAND : 0;
}

static uint64_t any_other(void *ctx, uint32_t vcpu, struct tdcall_regs *view)
{
    (void)ctx;
    view->r11 = vcpu;
    return TDVMCALL_STATUS_SUCCESS;
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++) {
        v |= (uint64_t)p[i] << (8u * i);
    }
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tdx_emu emu;
    static struct tdx_emu_vcpu vcpus[2];
    struct tdx_emu_range ranges[3] = {
        {0x100000, 2 * MIB, TDX_EMU_PAGE_PENDING, TDCALL_PAGE_4K, st0, backing},
        {0x400000, 2 * MIB, TDX_EMU_PAGE_PENDING, TDCALL_PAGE_2M, st1, backing + 2 * MIB},
        {0x800000, 1 * MIB, TDX_EMU_PAGE_ACCEPTED, TDCALL_PAGE_4K, st2, NULL},
    };
    struct tdx_emu_field fields[2] = {
        {TDX_FIELD_TDCS_TD_CTLS, 0, 0xF, TDX_EMU_SCOPE_TD},
        {0x77, 1, 0, TDX_EMU_SCOPE_SYS},
    };
    struct tdx_emu_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    if (size < 16) {
        return 0;
    }
    cfg.gpaw = (data[0] & 1u) ? 52 : 48;
    cfg.num_vcpus = 2;
    cfg.sys_rd_available = (data[0] & 2u) != 0;
    cfg.scribble_vmcall_regs = (data[0] & 4u) != 0;
    cfg.ranges = ranges;
    cfg.range_count = 3;
    cfg.fields = fields;
    cfg.field_count = 2;
    cfg.vcpus = vcpus;
    cfg.hooks.map_buffer = map_buffer;
    cfg.hooks.io = any_io;
    cfg.hooks.other = (data[0] & 8u) ? any_other : NULL;
    if (tdx_emu_init(&emu, &cfg) != TDS_OK) {
        abort();
    }
    struct tdx_emu_faults f;
    memset(&f, 0, sizeof(f));
    f.busy_on_call = data[1] & 7u;
    f.leaf = data[2] & 31u;
    f.leaf_count = data[3] & 3u;
    f.leaf_status = load64(data + 8);
    f.map_gpa_mode = data[4] & 3u;
    f.map_gpa_count = data[5] & 7u;
    f.map_gpa_value = load64(data + 8) ^ 0x100000u;
    f.vmcall_subfn = data[6];
    f.vmcall_count = data[7] & 1u;
    f.vmcall_status = 1;
    tdx_emu_faults_set(&emu, &f);
    data += 16;
    size -= 16;

    const size_t rec = 1u + 14u * 8u;
    while (size >= rec) {
        struct tdcall_regs r;
        uint64_t v[14];
        for (unsigned i = 0; i < 14; i++) {
            v[i] = load64(data + 1 + (size_t)8 * i);
        }
        memcpy(&r, v, sizeof(r)); /* struct tdcall_regs is 14 packed uint64_t (asserted) */
        /* Steer towards real leaves and sub-functions most of the time. */
        if ((data[0] & 0x80u) == 0) {
            r.rax &= 0xFFu;
            r.rax %= 28u;
            if (r.rax == 0) {
                r.rcx &= 0xFFCCu;
                r.r10 &= 1u;
                r.r11 = (r.r11 & 1u) ? 0x10000u + (r.r11 >> 1) % 6u : (r.r11 >> 1) & 0x3Fu;
            }
        }
        uint64_t rax = tdx_emu_dispatch(&emu, data[0] & 3u, &r);
        if (rax != r.rax) {
            abort();
        }
        data += rec;
        size -= rec;
    }
    /* Invariants: counters agree, accepted bytes never exceed the memory map. */
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&emu, &c);
    if (c.accepted_bytes > 4 * MIB || c.accept_ok[2] != 0 || c.accept_ok[0] > c.accept_calls[0] ||
        c.accept_ok[1] > c.accept_calls[1]) {
        abort();
    }
    return 0;
}
