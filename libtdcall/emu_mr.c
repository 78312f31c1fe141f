/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Emulator: measurement registers, TDREPORT and its MAC (the Intel TDX Module ABI specification:
 * leaves 2, 4, 22; TDREPORT_STRUCT). */
#include "emu_internal.h"

#define RTMR_BUSY (TDX_OPERAND_BUSY | TDX_OPERAND_ID_RTMR)

static bool rtmr_trylock(struct tdx_emu *emu, uint32_t i)
{
    uint8_t expected = 0;
    return __atomic_compare_exchange_n(&emu->rtmr_lock[i], &expected, (uint8_t)1, false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static void rtmr_unlock(struct tdx_emu *emu, uint32_t i)
{
    __atomic_store_n(&emu->rtmr_lock[i], (uint8_t)0, __ATOMIC_RELEASE);
}

/* A buffer operand must be aligned and private (shared bit and above clear). */
static bool private_gpa_ok(const struct tdx_emu *emu, uint64_t gpa, uint64_t align)
{
    return (gpa & (align - 1u)) == 0 && gpa < emu_shared_bit(emu);
}

uint64_t emu_rtmr_extend(struct tdx_emu *emu, struct tdcall_regs *r)
{
    uint64_t gpa = r->rcx;
    uint64_t idx = r->rdx;
    if (!private_gpa_ok(emu, gpa, 64)) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    }
    if (idx >= TDCALL_RTMR_COUNT) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
    }
    const uint8_t *data = emu_map_buffer(emu, gpa, TDCALL_SHA384_SIZE);
    if (data == NULL) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    }
    uint32_t i = (uint32_t)idx;
    if (!rtmr_trylock(emu, i)) {
        return RTMR_BUSY; /* the module takes the RTMR lock exclusively and does not wait */
    }
    uint8_t buf[96];
    memcpy(buf, emu->rtmr[i], 48);
    memcpy(buf + 48, data, 48);
    emu_sha384(buf, sizeof(buf), emu->rtmr[i]);
    rtmr_unlock(emu, i);
    return TDX_SUCCESS;
}

/* MAC over REPORTMACSTRUCT bytes 0..223 (everything but the MAC) with the platform key. */
static void report_mac(const struct tdx_emu *emu, const struct tdcall_reportmac *rm,
                       uint8_t mac[32])
{
    uint8_t buf[32 + offsetof(struct tdcall_reportmac, mac)];
    uint8_t digest[48];
    memcpy(buf, emu->mac_key, 32);
    memcpy(buf + 32, rm, offsetof(struct tdcall_reportmac, mac));
    emu_sha384(buf, sizeof(buf), digest);
    memcpy(mac, digest, 32);
    tds_memzero_explicit(buf, sizeof(buf));
}

uint64_t emu_report(struct tdx_emu *emu, struct tdcall_regs *r)
{
    if (!private_gpa_ok(emu, r->rcx, TDCALL_TDREPORT_SIZE)) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    }
    if (!private_gpa_ok(emu, r->rdx, TDCALL_REPORTDATA_SIZE)) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
    }
    if (r->r8 != 0) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_R8;
    }
    uint8_t *out = emu_map_buffer(emu, r->rcx, TDCALL_TDREPORT_SIZE);
    const uint8_t *rd = emu_map_buffer(emu, r->rdx, TDCALL_REPORTDATA_SIZE);
    if (out == NULL) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    }
    if (rd == NULL) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
    }
    /* Build the whole report privately, then publish it with one copy. */
    struct tdcall_tdreport rep;
    memset(&rep, 0, sizeof(rep));
    memcpy(rep.reportmac.reportdata, rd, TDCALL_REPORTDATA_SIZE);
    for (uint32_t i = 0; i < TDCALL_RTMR_COUNT; i++) {
        if (!rtmr_trylock(emu, i)) {
            for (uint32_t j = 0; j < i; j++) {
                rtmr_unlock(emu, j);
            }
            return RTMR_BUSY;
        }
    }
    for (uint32_t i = 0; i < TDCALL_RTMR_COUNT; i++) {
        memcpy(rep.tdinfo.rtmr[i], emu->rtmr[i], 48);
        rtmr_unlock(emu, i);
    }
    rep.reportmac.report_type[0] = TDCALL_REPORT_TYPE_TDX;
    for (uint32_t i = 0; i < 16; i++) {
        rep.reportmac.cpusvn[i] = (uint8_t)(i + 1u);
    }
    rep.tee_tcb_info.valid[0] = 0xFF;
    memset(rep.tee_tcb_info.mrseam, 0x5E, sizeof(rep.tee_tcb_info.mrseam));
    tds_store_le64(rep.tdinfo.attributes, emu->cfg.attributes);
    tds_store_le64(rep.tdinfo.xfam, emu->cfg.xfam);
    memcpy(rep.tdinfo.mrtd, emu->cfg.mrtd, 48);
    memcpy(rep.tdinfo.mrconfigid, emu->cfg.mrconfigid, 48);
    memcpy(rep.tdinfo.mrowner, emu->cfg.mrowner, 48);
    memcpy(rep.tdinfo.mrownerconfig, emu->cfg.mrownerconfig, 48);
    emu_sha384((const uint8_t *)&rep.tee_tcb_info, sizeof(rep.tee_tcb_info),
               rep.reportmac.tee_tcb_info_hash);
    emu_sha384((const uint8_t *)&rep.tdinfo, sizeof(rep.tdinfo), rep.reportmac.tee_info_hash);
    report_mac(emu, &rep.reportmac, rep.reportmac.mac);
    memcpy(out, &rep, sizeof(rep));
    return TDX_SUCCESS;
}

uint64_t emu_verifyreport(struct tdx_emu *emu, struct tdcall_regs *r)
{
    if (!private_gpa_ok(emu, r->rcx, TDCALL_REPORTMAC_SIZE)) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    }
    const uint8_t *src = emu_map_buffer(emu, r->rcx, TDCALL_REPORTMAC_SIZE);
    if (src == NULL) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    }
    struct tdcall_reportmac rm;
    memcpy(&rm, src, sizeof(rm));
    uint8_t mac[32];
    report_mac(emu, &rm, mac);
    if (rm.report_type[0] != TDCALL_REPORT_TYPE_TDX || !tds_ct_equal(mac, rm.mac, sizeof(mac))) {
        return TDX_INVALID_REPORTMACSTRUCT;
    }
    return TDX_SUCCESS;
}
