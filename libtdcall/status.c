/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The one decoder of TDCALL RAX and TDVMCALL R10 (safe-C rule 2, docs/safe-c.md; TDX module
 * include/tdx_api_defs.h api_error_code_t, and the GHCI specification's status codes). */
#include "tdshim/tdcall.h"
#include "tdshim/tdvmcall.h"

uint32_t tdcall_api_version(void)
{
    return TDCALL_API_VERSION;
}

tdcall_status tdcall_status_decode(uint64_t raw)
{
    tdcall_status st;
    st.raw = raw;
    st.detail = (uint32_t)(raw & 0xFFFFFFFFu);
    /* Compare the class in the upper 32 bits: the low bits carry operand ids / SEPT levels. */
    switch (tdx_status_class(raw)) {
    case 0: st.code = (raw == 0) ? TDCALL_SUCCESS : TDCALL_OTHER; break;
    case (uint32_t)(TDX_OPERAND_BUSY >> 32):
    case (uint32_t)(TDX_PREVIOUS_TLB_EPOCH_BUSY >> 32):
    case (uint32_t)(TDX_SYS_BUSY >> 32):
    case (uint32_t)(TDX_OPERAND_BUSY_HOST_PRIORITY >> 32): st.code = TDCALL_BUSY; break;
    case (uint32_t)(TDX_PAGE_ALREADY_ACCEPTED >> 32): st.code = TDCALL_ALREADY_ACCEPTED; break;
    case (uint32_t)(TDX_PAGE_SIZE_MISMATCH >> 32): st.code = TDCALL_SIZE_MISMATCH; break;
    case (uint32_t)(TDX_OPERAND_INVALID >> 32): st.code = TDCALL_INVALID_OPERAND; break;
    case (uint32_t)(TDX_NO_VALID_VE_INFO >> 32): st.code = TDCALL_NO_VE_INFO; break;
    default: st.code = TDCALL_OTHER; break;
    }
    return st;
}

tds_status tdcall_status_to_tds(tdcall_status st)
{
    switch (st.code) {
    case TDCALL_SUCCESS: return TDS_OK;
    case TDCALL_BUSY: return TDS_ERR_BUSY;
    case TDCALL_ALREADY_ACCEPTED: return TDS_ERR_STATE;
    case TDCALL_SIZE_MISMATCH: return TDS_ERR_UNSUPPORTED;
    case TDCALL_NO_VE_INFO: return TDS_ERR_NOT_FOUND;
    case TDCALL_INVALID_OPERAND:
    case TDCALL_OTHER: break;
    }
    return TDS_ERR_DEVICE;
}

tdvmcall_status tdvmcall_status_decode(uint64_t r10)
{
    tdvmcall_status vs;
    vs.raw = r10;
    switch (r10) {
    case TDVMCALL_STATUS_SUCCESS: vs.code = TDVMCALL_OK; break;
    case TDVMCALL_STATUS_RETRY: vs.code = TDVMCALL_RETRY; break;
    case TDVMCALL_STATUS_INVALID_OPERAND: vs.code = TDVMCALL_INVALID_OPERAND; break;
    case TDVMCALL_STATUS_GPA_INUSE: vs.code = TDVMCALL_GPA_INUSE; break;
    case TDVMCALL_STATUS_ALIGN_ERROR: vs.code = TDVMCALL_ALIGN_ERROR; break;
    case TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED: vs.code = TDVMCALL_SUBFUNC_UNSUPPORTED; break;
    default: vs.code = TDVMCALL_OTHER; break;
    }
    return vs;
}
