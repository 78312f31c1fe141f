/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Step 4b of the boot flow (shim_accept.h): accept every unaccepted range of the validated TD HOB
 * with libaccept, on every vCPU through libmailbox's mbox_fw_run, each accept a real `tdcall`
 * (TDG.MEM.PAGE.ACCEPT through libtdcall; in the test image answered by the emulator behind #UD).
 * Compiled only with libaccept, libtdcall and libtdhob (SHIM_HAVE_ACCEPT).
 */
#if defined(SHIM_HAVE_ACCEPT)
#include "shim_accept.h"

#include "arch/cpu.h"
#include "hob.h"
#include "log.h"
#include "tdshim/mem.h"
#include "tdshim/accept.h"
#include "tdshim/tdcall.h"

static accept_result op_accept(void *ctx, uint64_t gpa, accept_level level)
{
    tdcall_status hw = {0};
    (void)ctx;
    /* libaccept decodes the module's raw answer itself; an argument error (no tdcall made, so
     * no raw status) is reported as ERROR. */
    const tds_status st = tdcall_mem_page_accept(gpa, (tdcall_page_level)level, &hw);
    if (st == TDS_ERR_INVALID_ARG || st == TDS_ERR_ALIGNMENT) {
        const accept_result bad = {.outcome = ACCEPT_OUTCOME_ERROR, .raw = 0};
        return bad;
    }
    return accept_result_from_tdx_status(hw.raw);
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

tds_status shim_accept_all(mbox_fw *fw, uint32_t cpus, uint64_t limit, shim_accept_report *rep)
{
    uint64_t base[16];
    uint64_t len[16];
    size_t n = 0;
    memset(rep, 0, sizeof *rep);
    TDS_TRY(shim_hob_unaccepted(base, len, TDS_ARRAY_LEN(base), &n));
    accept_range ranges[16];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (base[i] >= limit) {
            continue; /* not mapped by the shim yet (docs/shim.md) */
        }
        const uint64_t end = limit - base[i] < len[i] ? limit : base[i] + len[i];
        ranges[k].base = base[i];
        ranges[k].len = end - base[i];
        rep->requested += ranges[k].len;
        k++;
    }
    par_ctx pc = {.fw = fw, .n = cpus, .helpers = 0};
    const accept_ops ops = {
        .accept = op_accept, .accept_ctx = NULL, .parallel = op_parallel, .parallel_ctx = &pc};
    accept_config cfg = {.chunk_size = ACCEPT_DEFAULT_CHUNK,
                         .busy_retries = ACCEPT_DEFAULT_BUSY_RETRIES,
                         .mode_1g = ACCEPT_1G_OFF};
    TDS_TRY(accept_init(&shim_accept_ctx, &cfg, &ops));
    const uint64_t t0 = cpu_rdtsc();
    const tds_status st = accept_all(&shim_accept_ctx, ranges, k);
    rep->tsc = cpu_rdtsc() - t0;
    accept_stats s;
    accept_get_stats(&shim_accept_ctx, &s);
    rep->bytes = s.bytes_accepted;
    rep->already = s.bytes_already;
    for (int l = 0; l < ACCEPT_LEVEL_COUNT; l++) {
        rep->calls[l] = s.calls[l];
    }
    rep->helpers = pc.helpers;
    rep->ranges = (uint32_t)k;
    return st;
}

#endif /* SHIM_HAVE_ACCEPT */
