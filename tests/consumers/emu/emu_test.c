/* An outside host test on the installed emulator backend (docs/libtdcall.md, "Testing against
 * the emulator"): a 256 KiB pending range, two threads as vCPUs 1 and 2 (each its own
 * thread-local index, which VP.INFO reports back) accepting alternate pages through libtdcall's
 * wrappers, then the page states and counters checked from the VMM side. No tdcall_raw() here:
 * the backend archive provides it. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tdshim/tdx_emu_backend.h"

#define BASE 0x40000000ull
#define PAGES 64u

static uint8_t g_state[PAGES];
static uint8_t g_mem[PAGES * 4096u];
static struct tdx_emu g_emu;

struct vcpu {
    pthread_t tid;
    uint32_t index;
    uint32_t seen_index;
    uint32_t accepted;
    int failed;
};

static void *vcpu_main(void *arg)
{
    struct vcpu *v = arg;
    tdx_emu_backend_set_vcpu(v->index);
    struct tdcall_td_info info;
    if (tdcall_vp_info(&info, NULL) != TDS_OK) {
        v->failed = 1;
        return NULL;
    }
    v->seen_index = info.vcpu_index;
    for (uint32_t p = v->index - 1u; p < PAGES; p += 2u) {
        tdcall_status hw;
        if (tdcall_mem_page_accept(BASE + (uint64_t)p * 4096u, TDCALL_PAGE_4K, &hw) != TDS_OK) {
            v->failed = 1;
            return NULL;
        }
        v->accepted++;
    }
    return NULL;
}

int main(void)
{
    memset(g_mem, 0xCC, sizeof(g_mem));
    struct tdx_emu_range range = {.base = BASE,
                                  .size = sizeof(g_mem),
                                  .initial = TDX_EMU_PAGE_PENDING,
                                  .map_level = TDCALL_PAGE_4K,
                                  .page_state = g_state,
                                  .backing = g_mem};
    struct tdx_emu_config cfg = {.gpaw = 48, .num_vcpus = 4, .ranges = &range, .range_count = 1};
    if (tdx_emu_init(&g_emu, &cfg) != TDS_OK) {
        fprintf(stderr, "emu_test: tdx_emu_init failed\n");
        return 1;
    }
    tdx_emu_backend_install(&g_emu);

    struct vcpu v[2] = {{.index = 1}, {.index = 2}};
    for (int i = 0; i < 2; i++) {
        if (pthread_create(&v[i].tid, NULL, vcpu_main, &v[i]) != 0) {
            return 1;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (pthread_join(v[i].tid, NULL) != 0 || v[i].failed || v[i].seen_index != v[i].index) {
            fprintf(stderr, "emu_test: vCPU %u failed (saw index %u)\n", (unsigned)v[i].index,
                    (unsigned)v[i].seen_index);
            return 1;
        }
    }
    if (tdx_emu_backend_vcpu() != 0 || v[0].accepted + v[1].accepted != PAGES) {
        fprintf(stderr, "emu_test: wrong vCPU index or accept count\n");
        return 1;
    }
    for (uint32_t p = 0; p < PAGES; p++) {
        uint8_t st = 0;
        if (tdx_emu_page_get(&g_emu, BASE + (uint64_t)p * 4096u, &st) != TDS_OK ||
            (st & TDX_EMU_PAGE_STATE_MASK) != TDX_EMU_PAGE_ACCEPTED || g_mem[p * 4096u] != 0) {
            fprintf(stderr, "emu_test: page %u not accepted and zeroed\n", (unsigned)p);
            return 1;
        }
    }
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&g_emu, &c);
    tdx_emu_backend_install(NULL);
    printf("emu consumer: 2 vCPU threads accepted %u pages on the installed emulator (%llu "
           "TDCALLs)\n",
           PAGES, (unsigned long long)c.calls);
    return 0;
}
