/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Typed wrappers for the guest TDCALL leaves of TDX module 1.5 (TDX module source
 * include/tdx_api_defs.h; the Intel TDX Module ABI specification). */
#include "tdcall_internal.h"

tds_status tdcall_exec(struct tdcall_regs *r, tdcall_status *hw, tdcall_status *st)
{
    tdcall_status s = tdcall_status_decode(tdcall_raw(r));
    if (hw != NULL) {
        *hw = s;
    }
    if (st != NULL) {
        *st = s;
    }
    return tdcall_status_to_tds(s);
}

static inline uint64_t leaf_rax(enum tdcall_leaf leaf, uint64_t version)
{
    return (uint64_t)leaf | (version << 16);
}

static inline bool is_aligned_ptr(const void *p, uintptr_t al)
{
    return ((uintptr_t)p & (al - 1u)) == 0;
}

/* ---- VP.INFO -------------------------------------------------------------------------------- */

tds_status tdcall_vp_info(struct tdcall_td_info *out, tdcall_status *hw)
{
    if (out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_VP_INFO, 0);
    tds_status s = tdcall_exec(&r, hw, NULL);
    if (s == TDS_OK) {
        struct tdcall_td_info info;
        uint64_t gpaw = r.rcx & 0x3Fu;
        info.gpaw = (uint32_t)gpaw;
        info.attributes = r.rdx;
        info.num_vcpus = (uint32_t)(r.r8 & 0xFFFFFFFFu);
        info.max_vcpus = (uint32_t)(r.r8 >> 32);
        info.vcpu_index = (uint32_t)(r.r9 & 0xFFFFFFFFu);
        info.sys_rd_available = (r.r10 & 1u) != 0;
        /* Sanity checks on the (trusted) module: a wrong GPAW would misplace the shared bit. */
        if ((gpaw != 48 && gpaw != 52) || info.num_vcpus == 0 ||
            info.vcpu_index >= info.num_vcpus) {
            s = TDS_ERR_DEVICE;
        } else {
            info.shared_mask = 1ull << (gpaw - 1u);
            *out = info;
        }
    }
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- MR.RTMR.EXTEND ------------------------------------------------------------------------- */

tds_status tdcall_mr_rtmr_extend(uint32_t index, const struct tdcall_digest48 *digest,
                                 tdcall_status *hw)
{
    if (index >= TDCALL_RTMR_COUNT || digest == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!is_aligned_ptr(digest, 64)) {
        return TDS_ERR_ALIGNMENT;
    }
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_MR_RTMR_EXTEND, 0);
    r.rcx = (uint64_t)(uintptr_t)digest;
    r.rdx = index;
    tds_status s = tdcall_exec(&r, hw, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- VP.VEINFO.GET -------------------------------------------------------------------------- */

tds_status tdcall_vp_veinfo_get(struct tdcall_ve_info *out, tdcall_status *hw)
{
    if (out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_VP_VEINFO_GET, 0);
    tds_status s = tdcall_exec(&r, hw, NULL);
    if (s == TDS_OK) {
        struct tdcall_ve_info ve;
        ve.exit_reason = (uint32_t)(r.rcx & 0xFFFFFFFFu);
        ve.exit_qualification = r.rdx;
        ve.guest_linear_address = r.r8;
        ve.guest_physical_address = r.r9;
        ve.instr_length = (uint32_t)(r.r10 & 0xFFFFFFFFu);
        ve.instr_info = (uint32_t)(r.r10 >> 32);
        ve.reserved = 0;
        *out = ve;
    }
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- MR.REPORT ------------------------------------------------------------------------------ */

tds_status tdcall_mr_report(struct tdcall_tdreport *report,
                            const struct tdcall_reportdata *reportdata, tdcall_status *hw)
{
    if (report == NULL || reportdata == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!is_aligned_ptr(report, TDCALL_TDREPORT_SIZE) || !is_aligned_ptr(reportdata, 64)) {
        return TDS_ERR_ALIGNMENT;
    }
    if (tds_ranges_overlap((uint64_t)(uintptr_t)report, TDCALL_TDREPORT_SIZE,
                           (uint64_t)(uintptr_t)reportdata, TDCALL_REPORTDATA_SIZE)) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_MR_REPORT, 0);
    r.rcx = (uint64_t)(uintptr_t)report;
    r.rdx = (uint64_t)(uintptr_t)reportdata;
    r.r8 = 0; /* sub-type 0 */
    tds_status s = tdcall_exec(&r, hw, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdcall_tdreport_summarize(const struct tdcall_tdreport *report,
                                     struct tdcall_tdreport_summary *out)
{
    if (report == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    const uint8_t *type = report->reportmac.report_type;
    if (type[0] != TDCALL_REPORT_TYPE_TDX || type[1] != 0) {
        return TDS_ERR_MALFORMED;
    }
    struct tdcall_tdreport_summary sum;
    sum.report_type = type[0];
    sum.report_subtype = type[1];
    sum.report_version = type[2];
    sum.td_attributes = tds_load_le64(report->tdinfo.attributes);
    sum.xfam = tds_load_le64(report->tdinfo.xfam);
    sum.tee_tcb_attributes = tds_load_le64(report->tee_tcb_info.attributes);
    *out = sum;
    return TDS_OK;
}

/* ---- VP.CPUIDVE.SET ------------------------------------------------------------------------- */

tds_status tdcall_vp_cpuidve_set(uint64_t flags, tdcall_status *hw)
{
    if ((flags & ~(TDCALL_CPUIDVE_SUPERVISOR | TDCALL_CPUIDVE_USER)) != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_VP_CPUIDVE_SET, 0);
    r.rcx = flags;
    tds_status s = tdcall_exec(&r, hw, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- MEM.PAGE.ACCEPT ------------------------------------------------------------------------ */

uint64_t tdcall_page_level_size(tdcall_page_level level)
{
    switch (level) {
    case TDCALL_PAGE_4K: return TDCALL_PAGE_SIZE_4K;
    case TDCALL_PAGE_2M: return TDCALL_PAGE_SIZE_2M;
    case TDCALL_PAGE_1G: return TDCALL_PAGE_SIZE_1G;
    }
    return 0;
}

/* Common GPA + level check for ACCEPT and PAGE.ATTR.WR. */
static tds_status check_gpa_level(uint64_t gpa, tdcall_page_level level)
{
    uint64_t size = tdcall_page_level_size(level);
    if (size == 0 || gpa >= TDCALL_GPA_LIMIT) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(gpa, size)) {
        return TDS_ERR_ALIGNMENT;
    }
    return TDS_OK;
}

tds_status tdcall_mem_page_accept(uint64_t gpa, tdcall_page_level level, tdcall_status *hw)
{
    TDS_TRY(check_gpa_level(gpa, level));
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_MEM_PAGE_ACCEPT, 0);
    r.rcx = gpa | (uint64_t)level;
    tds_status s = tdcall_exec(&r, hw, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- metadata ------------------------------------------------------------------------------- */

static tds_status md_read(enum tdcall_leaf leaf, uint64_t version, uint64_t field, uint64_t *value,
                          uint64_t *next, tdcall_status *hw)
{
    if (value == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(leaf, version);
    r.rcx = 0; /* VM id 0 (L1): must be explicit, a stale RCX is an error */
    r.rdx = field;
    tds_status s = tdcall_exec(&r, hw, NULL);
    if (s == TDS_OK) {
        *value = r.r8;
        if (next != NULL) {
            *next = r.rdx;
        }
    }
    tdcall_regs_wipe(&r);
    return s;
}

static tds_status md_write(enum tdcall_leaf leaf, uint64_t field, uint64_t value, uint64_t mask,
                           uint64_t *old, tdcall_status *hw)
{
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(leaf, 0);
    r.rcx = 0;
    r.rdx = field;
    r.r8 = value;
    r.r9 = mask;
    tds_status s = tdcall_exec(&r, hw, NULL);
    if (s == TDS_OK && old != NULL) {
        *old = r.r8;
    }
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdcall_vm_rd(uint64_t field, uint64_t *value, tdcall_status *hw)
{
    return md_read(TDCALL_LEAF_VM_RD, 0, field, value, NULL, hw);
}

tds_status tdcall_vm_rd_next(uint64_t field, uint64_t *value, uint64_t *next, tdcall_status *hw)
{
    if (next == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    return md_read(TDCALL_LEAF_VM_RD, 1, field, value, next, hw);
}

tds_status tdcall_vm_wr(uint64_t field, uint64_t value, uint64_t mask, uint64_t *old,
                        tdcall_status *hw)
{
    return md_write(TDCALL_LEAF_VM_WR, field, value, mask, old, hw);
}

tds_status tdcall_vp_rd(uint64_t field, uint64_t *value, uint64_t *next, tdcall_status *hw)
{
    return md_read(TDCALL_LEAF_VP_RD, 0, field, value, next, hw);
}

tds_status tdcall_vp_wr(uint64_t field, uint64_t value, uint64_t mask, uint64_t *old,
                        tdcall_status *hw)
{
    return md_write(TDCALL_LEAF_VP_WR, field, value, mask, old, hw);
}

tds_status tdcall_sys_rd(uint64_t field, uint64_t *value, uint64_t *next, tdcall_status *hw)
{
    return md_read(TDCALL_LEAF_SYS_RD, 0, field, value, next, hw);
}

tds_status tdcall_sys_rdall(void *page, uint64_t first_field, uint64_t *next, tdcall_status *hw)
{
    if (page == NULL || next == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!is_aligned_ptr(page, TDCALL_PAGE_SIZE_4K)) {
        return TDS_ERR_ALIGNMENT;
    }
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_SYS_RDALL, 0);
    r.rdx = (uint64_t)(uintptr_t)page;
    r.r8 = first_field;
    tds_status s = tdcall_exec(&r, hw, NULL);
    if (s == TDS_OK) {
        *next = r.r8;
    }
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- service TD ----------------------------------------------------------------------------- */

static tds_status servtd_call(enum tdcall_leaf leaf, uint64_t handle, uint64_t field,
                              uint64_t value, uint64_t mask, const uint64_t uuid[4],
                              struct tdcall_servtd_result *out, tdcall_status *hw)
{
    if (uuid == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(leaf, 0);
    r.rcx = handle;
    r.rdx = field;
    r.r8 = value;
    r.r9 = mask;
    r.r10 = uuid[0];
    r.r11 = uuid[1];
    r.r12 = uuid[2];
    r.r13 = uuid[3];
    tds_status s = tdcall_exec(&r, hw, NULL);
    if (s == TDS_OK) {
        struct tdcall_servtd_result res;
        res.value = r.r8;
        res.td_uuid[0] = r.r10;
        res.td_uuid[1] = r.r11;
        res.td_uuid[2] = r.r12;
        res.td_uuid[3] = r.r13;
        *out = res;
    }
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdcall_servtd_rd(uint64_t binding_handle, uint64_t field,
                            const uint64_t target_td_uuid[4], struct tdcall_servtd_result *out,
                            tdcall_status *hw)
{
    return servtd_call(TDCALL_LEAF_SERVTD_RD, binding_handle, field, 0, 0, target_td_uuid, out, hw);
}

tds_status tdcall_servtd_wr(uint64_t binding_handle, uint64_t field, uint64_t value, uint64_t mask,
                            const uint64_t target_td_uuid[4], struct tdcall_servtd_result *out,
                            tdcall_status *hw)
{
    return servtd_call(TDCALL_LEAF_SERVTD_WR, binding_handle, field, value, mask, target_td_uuid,
                       out, hw);
}

/* ---- MR.VERIFYREPORT ------------------------------------------------------------------------ */

tds_status tdcall_mr_verifyreport(const struct tdcall_reportmac *reportmac, tdcall_status *hw)
{
    if (reportmac == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!is_aligned_ptr(reportmac, TDCALL_REPORTMAC_SIZE)) {
        return TDS_ERR_ALIGNMENT;
    }
    struct tdcall_regs r = {0};
    tdcall_status st;
    r.rax = leaf_rax(TDCALL_LEAF_MR_VERIFYREPORT, 0);
    r.rcx = (uint64_t)(uintptr_t)reportmac;
    tds_status s = tdcall_exec(&r, hw, &st);
    if (st.code == TDCALL_OTHER &&
        tdx_status_class(st.raw) == (uint32_t)(TDX_INVALID_REPORTMACSTRUCT >> 32)) {
        s = TDS_ERR_MISMATCH;
    }
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- MEM.PAGE.ATTR.RD/WR -------------------------------------------------------------------- */

static void decode_page_attr(uint64_t rcx, uint64_t rdx, struct tdcall_page_attr *out)
{
    struct tdcall_page_attr a;
    a.gpa = rcx & 0x000FFFFFFFFFF000ull;
    a.level = (tdcall_page_level)(rcx & 0x7u);
    a.pending = ((rcx >> 62) & 1u) != 0;
    for (unsigned i = 0; i < 4; i++) {
        a.attr[i] = (uint16_t)((rdx >> (16u * i)) & 0xFFFFu);
    }
    *out = a;
}

tds_status tdcall_mem_page_attr_rd(uint64_t gpa, struct tdcall_page_attr *out, tdcall_status *hw)
{
    if (out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(check_gpa_level(gpa, TDCALL_PAGE_4K));
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_MEM_PAGE_ATTR_RD, 0);
    r.rcx = gpa;
    tds_status s = tdcall_exec(&r, hw, NULL);
    if (s == TDS_OK) {
        decode_page_attr(r.rcx, r.rdx, out);
    }
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdcall_mem_page_attr_wr(uint64_t gpa, tdcall_page_level level, uint64_t attrs,
                                   uint64_t flags, struct tdcall_page_attr *out, tdcall_status *hw)
{
    TDS_TRY(check_gpa_level(gpa, level));
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_MEM_PAGE_ATTR_WR, 0);
    r.rcx = gpa | (uint64_t)level;
    r.rdx = attrs;
    r.r8 = flags;
    tds_status s = tdcall_exec(&r, hw, NULL);
    if (s == TDS_OK && out != NULL) {
        decode_page_attr(r.rcx, r.rdx, out);
    }
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- TD partitioning ------------------------------------------------------------------------ */

tds_status tdcall_vp_enter(uint64_t vm_flags, uint64_t gpa, struct tdcall_regs *exit,
                           tdcall_status *hw)
{
    if (exit == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_VP_ENTER, 0);
    r.rcx = vm_flags;
    r.rdx = gpa;
    tds_status s = tdcall_exec(&r, hw, NULL);
    *exit = r; /* the L2 exit information is meaningful on success and on most errors */
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdcall_vp_invept(uint64_t vm_flags, tdcall_status *hw)
{
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_VP_INVEPT, 0);
    r.rcx = vm_flags;
    tds_status s = tdcall_exec(&r, hw, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdcall_vp_invvpid(uint64_t flags, uint64_t gla, uint64_t *next_gla, tdcall_status *hw)
{
    struct tdcall_regs r = {0};
    r.rax = leaf_rax(TDCALL_LEAF_VP_INVVPID, 0);
    r.rcx = flags;
    r.rdx = gla;
    tds_status s = tdcall_exec(&r, hw, NULL);
    if (s == TDS_OK && next_gla != NULL) {
        *next_gla = r.rdx;
    }
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- VP.VMCALL (raw) ------------------------------------------------------------------------ */

tds_status tdcall_vp_vmcall(struct tdcall_regs *regs, uint32_t expose, tdcall_status *hw)
{
    if (regs == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    const uint32_t need = TDVMCALL_EXPOSE_R10 | TDVMCALL_EXPOSE_R11;
    if ((expose & ~TDVMCALL_EXPOSE_ALLOWED) != 0 || (expose & need) != need) {
        return TDS_ERR_INVALID_ARG;
    }
    /* Registers the VMM will not see still get loaded by the seam: zero them so the block
     * cannot carry anything that was not meant for this call. */
    uint64_t *slot[14] = {&regs->rax, &regs->rcx, &regs->rdx, &regs->rbx, &regs->rsi,
                          &regs->rdi, &regs->r8,  &regs->r9,  &regs->r10, &regs->r11,
                          &regs->r12, &regs->r13, &regs->r14, &regs->r15};
    static const uint8_t gpr_no[14] = {0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    for (unsigned i = 0; i < 14; i++) {
        if ((expose & (1u << gpr_no[i])) == 0) {
            *slot[i] = 0;
        }
    }
    regs->rax = leaf_rax(TDCALL_LEAF_VP_VMCALL, 0);
    regs->rcx = expose;
    return tdcall_exec(regs, hw, NULL);
}
