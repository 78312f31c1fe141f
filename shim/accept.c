/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Step 4b of the boot flow (shim_accept.h): accept every unaccepted range of the validated TD HOB
 * with libaccept, on every vCPU through libmailbox's mbox_fw_run, each accept a real `tdcall`
 * (TDG.MEM.PAGE.ACCEPT through libtdcall; in the test image answered by the emulator behind #UD).
 */
#include "shim_accept.h"

#include "ap.h"
#include "arch/cpu.h"
#include "hob.h"
#include "log.h"
#include "tdshim/accept.h"
#include "tdshim/accept_tdcall.h"
#include "tdshim/mem.h"

/* Bytes each vCPU got accepted (index = IA32_GS_BASE, which shim_ap_main sets to the vCPU index
 * on each AP and which is 0 on the BSP; atomics). */
static uint64_t shim_accept_by_vcpu[SHIM_MAX_VCPUS];

/* The TDCALL op's context (last raw status, per-code counts), shared by every vCPU. */
static accept_tdcall_ctx shim_accept_tdcall;

/* libaccept's accept op: the accept_tdcall adapter (tdcall_mem_page_accept, libtdcall's decoded
 * status mapped to accept_result), plus the per-vCPU byte count. */
static accept_result op_accept(void *ctx, uint64_t gpa, accept_level level)
{
    const accept_result r = accept_tdcall_page(ctx, gpa, level);
    const uint64_t vcpu = cpu_rdmsr(MSR_GS_BASE);
    if (r.outcome == ACCEPT_OUTCOME_OK && vcpu < SHIM_MAX_VCPUS) {
        __atomic_fetch_add(&shim_accept_by_vcpu[vcpu], 0x1000ull << (9u * (unsigned)level),
                           __ATOMIC_RELAXED);
    }
    return r;
}

uint64_t shim_accept_vcpu_bytes(uint32_t vcpu)
{
    return vcpu < SHIM_MAX_VCPUS ? __atomic_load_n(&shim_accept_by_vcpu[vcpu], __ATOMIC_ACQUIRE)
                                 : 0;
}

/* libaccept's parallel op over mbox_fw_run: worker w runs on vCPU w (0 = the BSP). */
typedef struct par_job {
    accept_worker_fn worker;
    void *arg;
    uint32_t helpers; /* atomic: workers that ran */
} par_job;

static void par_trampoline(void *arg, uint32_t worker)
{
    par_job *job = arg;
    (void)worker;
    __atomic_fetch_add(&job->helpers, 1u, __ATOMIC_RELAXED);
    job->worker(job->arg);
}

typedef struct par_ctx {
    mbox_fw *fw;
    uint32_t n;
    uint32_t helpers;
} par_ctx;

static tds_status op_parallel(void *ctx, accept_worker_fn worker, void *arg)
{
    par_ctx *pc = ctx;
    par_job job = {.worker = worker, .arg = arg, .helpers = 0};
    tds_status st = TDS_OK;
    if (pc->fw != NULL && pc->n > 1) {
        st = mbox_fw_run(pc->fw, par_trampoline, &job, pc->n);
    } else {
        par_trampoline(&job, 0);
    }
    pc->helpers = __atomic_load_n(&job.helpers, __ATOMIC_ACQUIRE);
    return st;
}

static accept_ctx shim_accept_ctx;
static accept_range shim_accept_rest[SHIM_ACCEPT_MAX_RANGES];
static size_t shim_accept_rest_n;
static bool shim_accept_ok;

tds_status shim_accept_run(mbox_fw *fw, uint32_t cpus, uint64_t limit, shim_accept_report *rep)
{
    uint64_t base[SHIM_ACCEPT_MAX_RANGES];
    uint64_t len[SHIM_ACCEPT_MAX_RANGES];
    size_t n = 0;
    memset(rep, 0, sizeof *rep);
    rep->limit = limit;
    if ((limit & 0xFFFu) != 0 && limit != SHIM_ACCEPT_ALL) {
        return TDS_ERR_ALIGNMENT;
    }
    TDS_TRY(shim_hob_unaccepted(base, len, TDS_ARRAY_LEN(base), &n));
    accept_range ranges[SHIM_ACCEPT_MAX_RANGES];
    for (size_t i = 0; i < n; i++) {
        ranges[i].base = base[i];
        ranges[i].len = len[i];
        if (base[i] < limit) {
            rep->requested += limit - base[i] < len[i] ? limit - base[i] : len[i];
            rep->ranges++;
        }
    }
    par_ctx pc = {.fw = fw, .n = cpus, .helpers = 0};
    accept_tdcall_init(&shim_accept_tdcall);
    const accept_ops ops = {.accept = op_accept,
                            .accept_ctx = &shim_accept_tdcall,
                            .parallel = op_parallel,
                            .parallel_ctx = &pc};
    accept_config cfg = {.chunk_size = ACCEPT_DEFAULT_CHUNK,
                         .busy_retries = ACCEPT_DEFAULT_BUSY_RETRIES,
                         .mode_1g = ACCEPT_1G_OFF};
    TDS_TRY(accept_init(&shim_accept_ctx, &cfg, &ops));
    const accept_limit lim = {.max_bytes = ACCEPT_NO_LIMIT,
                              .below_gpa = limit == SHIM_ACCEPT_ALL ? ACCEPT_NO_LIMIT : limit};
    size_t rest_n = 0;
    const uint64_t t0 = cpu_rdtsc();
    const tds_status st = accept_up_to(&shim_accept_ctx, ranges, n, &lim, shim_accept_rest,
                                       TDS_ARRAY_LEN(shim_accept_rest), &rest_n);
    rep->tsc = cpu_rdtsc() - t0;
    accept_stats s;
    accept_get_stats(&shim_accept_ctx, &s);
    rep->bytes = s.bytes_accepted;
    rep->already = s.bytes_already;
    for (int l = 0; l < ACCEPT_LEVEL_COUNT; l++) {
        rep->calls[l] = s.calls[l];
    }
    rep->helpers = pc.helpers;
    if (st == TDS_OK) {
        shim_accept_rest_n = rest_n;
        shim_accept_ok = true;
        rep->left_ranges = (uint32_t)rest_n;
        for (size_t i = 0; i < rest_n; i++) {
            rep->left += shim_accept_rest[i].len;
        }
    }
    return st;
}

tds_status shim_accept_left(shim_accept_left_range *out, size_t cap, size_t *n)
{
    *n = 0;
    if (!shim_accept_ok) {
        return TDS_ERR_NOT_FOUND;
    }
    if (shim_accept_rest_n > cap) {
        return TDS_ERR_NO_SPACE;
    }
    for (size_t i = 0; i < shim_accept_rest_n; i++) {
        out[i].base = shim_accept_rest[i].base;
        out[i].len = shim_accept_rest[i].len;
    }
    *n = shim_accept_rest_n;
    return TDS_OK;
}
