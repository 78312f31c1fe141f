/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Compile-only cases for the two index types of tdshim/rtmr.h (ctest rtmr_index_types_compile_fail,
 * index_types.sh): CASE 0 is the right use and must compile; every other CASE passes one index
 * where the other (or a plain integer) is expected and must NOT compile, as C11 and as C++11.
 */
#include "tdshim/ccel.h"

#ifndef CASE
#define CASE 0
#endif

tds_status index_case(ccel_log *log, const rtmr_extend_ops *ops, rtmr_bank *bank,
                      const rtmr_digest *d);

tds_status index_case(ccel_log *log, const rtmr_extend_ops *ops, rtmr_bank *bank,
                      const rtmr_digest *d)
{
    rtmr_mr_index mr = RTMR_MR(RTMR_MR_RTMR1);
    rtmr_reg_index reg = RTMR_REG(1);
#if CASE == 0
    TDS_TRY(rtmr_mr_to_rtmr(mr, &reg));
    TDS_TRY(rtmr_extend(ops, reg, d));
    TDS_TRY(rtmr_bank_extend(bank, reg, d));
    TDS_TRY(rtmr_mr_from_pcr(4, &mr));
    return ccel_log_measure(log, ops, mr, CCEL_EV_SEPARATOR, d, NULL, 0);
#elif CASE == 1 /* an MR index where the register index belongs: RTMR2 instead of RTMR1 */
    (void)reg;
    (void)bank;
    (void)log;
    return rtmr_extend(ops, mr, d);
#elif CASE == 2 /* a register index where the MR index belongs */
    (void)mr;
    (void)bank;
    return ccel_log_measure(log, ops, reg, CCEL_EV_SEPARATOR, d, NULL, 0);
#elif CASE == 3 /* a bare integer */
    (void)mr;
    (void)reg;
    (void)ops;
    (void)log;
    return rtmr_bank_extend(bank, 1u, d);
#elif CASE == 4 /* the conversion's outputs swapped */
    (void)bank;
    (void)log;
    (void)ops;
    (void)d;
    return rtmr_mr_to_rtmr(reg, &mr);
#elif CASE == 5 /* an MR index into the bank */
    (void)reg;
    (void)ops;
    (void)log;
    return rtmr_bank_extend(bank, mr, d);
#endif
}
