/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Extend through the injected op, the software register bank, and the MR index table. */
#include "tdshim/rtmr.h"

uint32_t rtmr_api_version(void)
{
    return RTMR_API_VERSION;
}

tds_status rtmr_extend(const rtmr_extend_ops *ops, rtmr_reg_index rtmr, const rtmr_digest *digest)
{
    if (ops == NULL || ops->extend == NULL || digest == NULL || rtmr.value >= RTMR_COUNT) {
        return TDS_ERR_INVALID_ARG;
    }
    /* the Intel TDX Module ABI specification, the leaf's register interface: the extension data's
     * GPA must be 64-byte aligned (and private: the stack). */
    rtmr_extend_buf buf;
    memset(&buf, 0, sizeof buf);
    memcpy(buf.digest, digest->b, RTMR_SHA384_SIZE);
    return ops->extend(ops->ctx, rtmr, &buf);
}

void rtmr_bank_reset(rtmr_bank *bank)
{
    memset(bank, 0, sizeof *bank);
}

tds_status rtmr_bank_extend(rtmr_bank *bank, rtmr_reg_index rtmr, const rtmr_digest *digest)
{
    if (bank == NULL || digest == NULL || rtmr.value >= RTMR_COUNT) {
        return TDS_ERR_INVALID_ARG;
    }
    uint8_t cat[2 * RTMR_SHA384_SIZE];
    memcpy(cat, bank->r[rtmr.value].b, RTMR_SHA384_SIZE);
    memcpy(cat + RTMR_SHA384_SIZE, digest->b, RTMR_SHA384_SIZE);
    rtmr_digest next;
    TDS_TRY(rtmr_sha384(tds_bytes_make(cat, sizeof cat), &next));
    bank->r[rtmr.value] = next;
    return TDS_OK;
}

static tds_status bank_op_extend(void *ctx, rtmr_reg_index rtmr, const rtmr_extend_buf *buf)
{
    rtmr_digest d;
    memcpy(d.b, buf->digest, RTMR_SHA384_SIZE);
    return rtmr_bank_extend((rtmr_bank *)ctx, rtmr, &d);
}

rtmr_extend_ops rtmr_bank_ops(rtmr_bank *bank)
{
    rtmr_extend_ops ops = {bank, bank_op_extend};
    return ops;
}

/* UEFI 2.10 EFI_CC_MEASUREMENT_PROTOCOL, TDX MR index mapping (EDK2 CcMeasurement.h, TdTcg2Dxe
 * MapPcrToMrIndex; td-shim spec table 3.5-3). */
static const rtmr_mr_info mr_table[RTMR_MR_COUNT] = {
    {"MRTD", {RTMR_MR_MRTD}, {0}, 1u << 0, false},
    {"RTMR0", {RTMR_MR_RTMR0}, {0}, (1u << 1) | (1u << 7), true},
    {"RTMR1",
     {RTMR_MR_RTMR1},
     {1},
     (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6),
     true},
    {"RTMR2", {RTMR_MR_RTMR2}, {2}, 0xFF00u, true},
    {"RTMR3", {RTMR_MR_RTMR3}, {3}, 0, true},
};

const rtmr_mr_info *rtmr_mr_lookup(rtmr_mr_index mr_index)
{
    if (mr_index.value >= RTMR_MR_COUNT) {
        return NULL;
    }
    return &mr_table[mr_index.value];
}

tds_status rtmr_mr_from_pcr(uint32_t pcr, rtmr_mr_index *mr_index)
{
    if (mr_index == NULL || pcr >= RTMR_PCR_COUNT) {
        return TDS_ERR_INVALID_ARG;
    }
    for (uint32_t i = 0; i < RTMR_MR_COUNT; i++) {
        if ((mr_table[i].pcr_mask & (1u << pcr)) != 0) {
            *mr_index = mr_table[i].mr_index;
            return TDS_OK;
        }
    }
    return TDS_ERR_INVALID_ARG;
}

tds_status rtmr_mr_to_rtmr(rtmr_mr_index mr_index, rtmr_reg_index *rtmr)
{
    const rtmr_mr_info *info = rtmr_mr_lookup(mr_index);
    if (rtmr == NULL || info == NULL || !info->extendable) {
        return TDS_ERR_INVALID_ARG;
    }
    *rtmr = info->rtmr;
    return TDS_OK;
}
