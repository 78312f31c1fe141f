/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The #VE handler core (tdx_ve.h): per exit reason, validate VEINFO, emulate through the typed
 * TDVMCALL wrappers on a copy of the registers, and commit the copy only when everything
 * succeeded. Facts: the Intel TDX Module ABI specification (TDG.VP.VEINFO.GET), the GHCI
 * specification (sub-functions, exits, I/O exit qualification).
 */
#include "tdshim/mem.h"
#include "tdshim/tdx_ve.h"

#define CPUID_HV_FIRST 0x40000000u
#define CPUID_HV_LAST 0x4FFFFFFFu
#define PAGE_MASK 0xFFFull

const char *tdcall_ve_error_str(tdx_ve_error e)
{
    switch (e) {
    case TDX_VE_OK: return "ok";
    case TDX_VE_ERR_ARGUMENT: return "invalid handler arguments";
    case TDX_VE_ERR_NO_VEINFO: return "no valid #VE info (VEINFO.GET)";
    case TDX_VE_ERR_EXIT_REASON: return "exit reason not handled";
    case TDX_VE_ERR_INSTR_LENGTH: return "instruction length not 1..15";
    case TDX_VE_ERR_IO_STRING: return "string I/O (INS/OUTS) refused";
    case TDX_VE_ERR_IO_REP: return "REP I/O refused";
    case TDX_VE_ERR_IO_SIZE: return "I/O size not 1, 2 or 4";
    case TDX_VE_ERR_MMIO_PRIVATE: return "EPT violation on a private GPA";
    case TDX_VE_ERR_MMIO_GPA: return "MMIO GPA beyond the guest physical width";
    case TDX_VE_ERR_MMIO_ADDRESS: return "MMIO operand address does not match GLA/GPA";
    case TDX_VE_ERR_MMIO_ALIGN: return "MMIO access not naturally aligned";
    case TDX_VE_ERR_DECODE_TRUNCATED: return "MMIO instruction truncated";
    case TDX_VE_ERR_DECODE_PREFIX: return "MMIO instruction prefix not emulated";
    case TDX_VE_ERR_DECODE_OPCODE: return "MMIO instruction is not a MOV form";
    case TDX_VE_ERR_DECODE_MODRM: return "MMIO instruction ModRM not a memory MOV";
    case TDX_VE_ERR_DECODE_TOO_LONG: return "MMIO instruction longer than 15 bytes";
    case TDX_VE_ERR_VMM: return "VMM error or hostile answer";
    case TDX_VE_ERR_TDCALL: return "TDX module refused the TDVMCALL";
    case TDX_VE_ERR_COUNT_: break;
    }
    return "unknown #VE error";
}

static tds_status refuse(struct tdx_ve_report *rep, tdx_ve_error e, tds_status s)
{
    rep->error = e;
    return s;
}

/* A wrapper's result: an executed call's failure is the VMM's or the module's. */
static tds_status called(struct tdx_ve_report *rep, tds_status s, const tdvmcall_status *vs)
{
    if (s == TDS_OK) {
        return TDS_OK;
    }
    rep->call = s;
    if (rep->vmcall_done && vs->code == TDVMCALL_TDCALL_FAILED) {
        return refuse(rep, TDX_VE_ERR_TDCALL, TDS_ERR_DEVICE);
    }
    if (rep->vmcall_done) {
        return refuse(rep, TDX_VE_ERR_VMM, TDS_ERR_VMM);
    }
    /* An input check of the wrapper refused (e.g. MMIO alignment): nothing was executed. */
    return refuse(rep, s == TDS_ERR_ALIGNMENT ? TDX_VE_ERR_MMIO_ALIGN : TDX_VE_ERR_MMIO_GPA, s);
}

/* Write `value` into register `reg` the way a `size`-byte destination does: 4 zero-extends to
 * 64 bits, 1 and 2 leave the other bits alone; high = AH/CH/DH/BH. */
static void write_reg(struct tdx_ve_regs *r, uint8_t reg, uint32_t size, bool high, uint64_t value)
{
    uint64_t *g = &r->gpr[reg & 15u];
    switch (size) {
    case 8: *g = value; break;
    case 4: *g = value & 0xFFFFFFFFull; break;
    case 2: *g = (*g & ~0xFFFFull) | (value & 0xFFFFull); break;
    default:
        if (high) {
            *g = (*g & ~0xFF00ull) | ((value & 0xFFull) << 8);
        } else {
            *g = (*g & ~0xFFull) | (value & 0xFFull);
        }
        break;
    }
}

static uint64_t read_reg(const struct tdx_ve_regs *r, uint8_t reg, uint32_t size, bool high)
{
    const uint64_t g = r->gpr[reg & 15u];
    if (high) {
        return (g >> 8) & 0xFFu;
    }
    return size >= 8 ? g : g & ((1ull << (size * 8u)) - 1u);
}

static uint64_t sign_extend(uint64_t v, uint32_t bytes)
{
    if (bytes >= 8) {
        return v;
    }
    const uint64_t sign = 1ull << (bytes * 8u - 1u);
    v &= (1ull << (bytes * 8u)) - 1u;
    return (v ^ sign) - sign;
}

static tds_status ve_instr_length(const struct tdcall_ve_info *ve, struct tdx_ve_report *rep)
{
    if (ve->instr_length < 1 || ve->instr_length > TDX_VE_MAX_INSN) {
        return refuse(rep, TDX_VE_ERR_INSTR_LENGTH, TDS_ERR_MALFORMED);
    }
    rep->length = ve->instr_length;
    return TDS_OK;
}

static tds_status ve_hlt(struct tdx_ve_regs *r, struct tdx_ve_report *rep)
{
    tdvmcall_status vs = {TDVMCALL_OK, 0};
    const bool blocked = (r->rflags & TDX_VE_RFLAGS_IF) == 0;
    tds_status s = tdvmcall_hlt(blocked, &vs);
    rep->vmcall_done = true;
    rep->vs = vs;
    return called(rep, s, &vs);
}

static tds_status ve_io(struct tdx_ve_regs *r, const struct tdcall_ve_info *ve,
                        struct tdx_ve_report *rep)
{
    const uint64_t q = ve->exit_qualification;
    if ((q & TDX_VE_IO_STRING) != 0) {
        return refuse(rep, TDX_VE_ERR_IO_STRING, TDS_ERR_UNSUPPORTED);
    }
    if ((q & TDX_VE_IO_REP) != 0) {
        return refuse(rep, TDX_VE_ERR_IO_REP, TDS_ERR_UNSUPPORTED);
    }
    const uint32_t size = (uint32_t)(q & TDX_VE_IO_SIZE_MASK) + 1u;
    if (size != 1 && size != 2 && size != 4) {
        return refuse(rep, TDX_VE_ERR_IO_SIZE, TDS_ERR_MALFORMED);
    }
    const uint16_t port = (uint16_t)(q >> TDX_VE_IO_PORT_SHIFT);
    tdvmcall_status vs = {TDVMCALL_OK, 0};
    tds_status s;
    if ((q & TDX_VE_IO_IN) != 0) {
        uint32_t v = 0;
        s = tdvmcall_io_read(port, size, &v, &vs); /* masked to `size` by the wrapper */
        rep->vmcall_done = true;
        rep->vs = vs;
        if (s == TDS_OK) {
            write_reg(r, TDX_VE_RAX, size, false, v); /* AL / AX only; EAX zero-extends */
        }
    } else {
        s = tdvmcall_io_write(port, size, (uint32_t)read_reg(r, TDX_VE_RAX, size, false), &vs);
        rep->vmcall_done = true;
        rep->vs = vs;
    }
    return called(rep, s, &vs);
}

static tds_status ve_msr(struct tdx_ve_regs *r, bool write, struct tdx_ve_report *rep)
{
    const uint32_t msr = (uint32_t)r->gpr[TDX_VE_RCX];
    tdvmcall_status vs = {TDVMCALL_OK, 0};
    tds_status s;
    if (write) {
        const uint64_t v = (r->gpr[TDX_VE_RAX] & 0xFFFFFFFFull) | (r->gpr[TDX_VE_RDX] << 32);
        s = tdvmcall_wrmsr(msr, v, &vs);
    } else {
        uint64_t v = 0;
        s = tdvmcall_rdmsr(msr, &v, &vs);
        if (s == TDS_OK) {
            write_reg(r, TDX_VE_RAX, 4, false, v);
            write_reg(r, TDX_VE_RDX, 4, false, v >> 32);
        }
    }
    rep->vmcall_done = true;
    rep->vs = vs;
    return called(rep, s, &vs);
}

static tds_status ve_cpuid(struct tdx_ve_regs *r, const struct tdx_ve_config *cfg,
                           struct tdx_ve_report *rep)
{
    const uint32_t leaf = (uint32_t)r->gpr[TDX_VE_RAX];
    const uint32_t subleaf = (uint32_t)r->gpr[TDX_VE_RCX];
    struct tdvmcall_cpuid_result out = {0, 0, 0, 0};
    if ((cfg->flags & TDX_VE_CPUID_ALL_TO_VMM) != 0 ||
        (leaf >= CPUID_HV_FIRST && leaf <= CPUID_HV_LAST)) {
        tdvmcall_status vs = {TDVMCALL_OK, 0};
        tds_status s = tdvmcall_cpuid(leaf, subleaf, &out, &vs); /* outputs checked: 32 bits */
        rep->vmcall_done = true;
        rep->vs = vs;
        TDS_TRY(called(rep, s, &vs));
    }
    /* 32-bit destinations: the upper halves become 0. */
    r->gpr[TDX_VE_RAX] = out.eax;
    r->gpr[TDX_VE_RBX] = out.ebx;
    r->gpr[TDX_VE_RCX] = out.ecx;
    r->gpr[TDX_VE_RDX] = out.edx;
    return TDS_OK;
}

static tds_status ve_mmio(struct tdx_ve_regs *r, const struct tdcall_ve_info *ve, tds_bytes code,
                          const struct tdx_ve_config *cfg, struct tdx_ve_report *rep)
{
    const uint64_t gpa = ve->guest_physical_address;
    if ((gpa & cfg->shared_mask) == 0) {
        return refuse(rep, TDX_VE_ERR_MMIO_PRIVATE, TDS_ERR_UNSUPPORTED);
    }
    if (gpa >= (cfg->shared_mask << 1)) {
        return refuse(rep, TDX_VE_ERR_MMIO_GPA, TDS_ERR_OUT_OF_BOUNDS);
    }
    struct tdx_mmio_insn insn;
    tdx_ve_error derr = TDX_VE_OK;
    const tds_status ds = tdcall_ve_mmio_decode(code, &insn, &derr);
    if (ds != TDS_OK) {
        return refuse(rep, derr, ds);
    }
    /* The operand must be what the module reported: same linear address, same page offset. */
    const uint64_t ea = tdcall_ve_mmio_address(&insn, r);
    if (ea != ve->guest_linear_address || (ea & PAGE_MASK) != (gpa & PAGE_MASK)) {
        return refuse(rep, TDX_VE_ERR_MMIO_ADDRESS, TDS_ERR_MISMATCH);
    }
    if ((gpa & (insn.mem_size - 1u)) != 0) {
        return refuse(rep, TDX_VE_ERR_MMIO_ALIGN, TDS_ERR_ALIGNMENT);
    }
    tdvmcall_status vs = {TDVMCALL_OK, 0};
    tds_status s;
    if (insn.op == TDX_MMIO_OP_WRITE_REG || insn.op == TDX_MMIO_OP_WRITE_IMM) {
        const uint64_t v = (insn.op == TDX_MMIO_OP_WRITE_IMM)
                               ? insn.imm
                               : read_reg(r, insn.reg, insn.mem_size, insn.high_byte);
        s = tdvmcall_mmio_write(gpa, insn.mem_size, v, &vs);
        rep->vmcall_done = true;
        rep->vs = vs;
    } else {
        uint64_t v = 0;
        s = tdvmcall_mmio_read(gpa, insn.mem_size, &v, &vs); /* masked to mem_size */
        rep->vmcall_done = true;
        rep->vs = vs;
        if (s == TDS_OK) {
            if (insn.op == TDX_MMIO_OP_READ_SX) {
                v = sign_extend(v, insn.mem_size);
            }
            write_reg(r, insn.reg, insn.reg_size, insn.high_byte, v);
        }
    }
    rep->length = insn.length;
    return called(rep, s, &vs);
}

tds_status tdcall_ve_handle(struct tdx_ve_regs *regs, const struct tdcall_ve_info *ve,
                            tds_bytes code, const struct tdx_ve_config *cfg,
                            struct tdx_ve_report *rep)
{
    if (rep == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    memset(rep, 0, sizeof *rep);
    rep->call = TDS_OK;
    if (regs == NULL || ve == NULL || cfg == NULL || !tds_bytes_valid(code) ||
        (cfg->shared_mask != (1ull << 47) && cfg->shared_mask != (1ull << 51))) {
        return refuse(rep, TDX_VE_ERR_ARGUMENT, TDS_ERR_INVALID_ARG);
    }
    rep->exit_reason = ve->exit_reason;
    struct tdx_ve_regs r = *regs;
    tds_status s;
    switch (ve->exit_reason) {
    case TDX_VE_EXIT_HLT:
        TDS_TRY(ve_instr_length(ve, rep));
        s = ve_hlt(&r, rep);
        break;
    case TDX_VE_EXIT_IO:
        TDS_TRY(ve_instr_length(ve, rep));
        s = ve_io(&r, ve, rep);
        break;
    case TDX_VE_EXIT_RDMSR:
    case TDX_VE_EXIT_WRMSR:
        TDS_TRY(ve_instr_length(ve, rep));
        s = ve_msr(&r, ve->exit_reason == TDX_VE_EXIT_WRMSR, rep);
        break;
    case TDX_VE_EXIT_CPUID:
        TDS_TRY(ve_instr_length(ve, rep));
        s = ve_cpuid(&r, cfg, rep);
        break;
    case TDX_VE_EXIT_EPT_VIOLATION: s = ve_mmio(&r, ve, code, cfg, rep); break;
    default: return refuse(rep, TDX_VE_ERR_EXIT_REASON, TDS_ERR_UNSUPPORTED);
    }
    if (s != TDS_OK) {
        rep->length = 0;
        return s;
    }
    r.rip += rep->length;
    *regs = r;
    rep->error = TDX_VE_OK;
    return TDS_OK;
}
