/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* rtmr_extend_ops over libtdcall's TDG.MR.RTMR.EXTEND wrapper. */
#include "tdshim/rtmr_tdcall.h"

static tds_status tdcall_extend(void *ctx, rtmr_reg_index rtmr, const rtmr_extend_buf *buf)
{
    rtmr_tdcall_ctx *c = ctx;
    struct tdcall_digest48 d;
    memset(&d, 0, sizeof d);
    memcpy(d.bytes, buf->digest, RTMR_SHA384_SIZE);
    tds_status s = TDS_ERR_BUSY;
    for (uint32_t i = 0; i <= RTMR_TDCALL_BUSY_RETRIES && s == TDS_ERR_BUSY; i++) {
        s = tdcall_mr_rtmr_extend(rtmr.value, &d, &c->last);
    }
    return s;
}

rtmr_extend_ops rtmr_tdcall_ops(rtmr_tdcall_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    rtmr_extend_ops ops = {ctx, tdcall_extend};
    return ops;
}
