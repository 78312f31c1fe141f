/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The bounded MMIO instruction decoder of the #VE handler (tdx_ve.h). It accepts exactly the MOV
 * forms Linux's TDX MMIO emulation handles (mov r/m<->reg 8/16/32/64, mov imm->m, movzx, movsx)
 * with an optional 0x66 operand-size prefix and one REX prefix; everything else is refused with
 * a precise reason. All reads go through one cursor over at most 15 bytes.
 */
#include "tdshim/cursor.h"
#include "tdshim/mem.h"
#include "tdshim/tdx_ve.h"

#define PFX_OPSIZE 0x66u
#define REX_W 0x8u
#define REX_R 0x4u
#define REX_X 0x2u
#define REX_B 0x1u

static tds_status fail(tdx_ve_error *err, tdx_ve_error why, tds_status s)
{
    *err = why;
    return s;
}

static bool is_legacy_prefix(uint8_t b)
{
    switch (b) {
    case 0xF0: /* LOCK */
    case 0xF2: /* REPNE */
    case 0xF3: /* REP */
    case 0x2E:
    case 0x36:
    case 0x3E:
    case 0x26:
    case 0x64: /* FS */
    case 0x65: /* GS */
    case 0x67: /* address size */ return true;
    default: return false;
    }
}

/* ModRM, SIB and displacement into *d. */
static tds_status decode_modrm(tds_cursor *c, uint8_t rex, struct tdx_mmio_insn *d, uint8_t *reg,
                               tdx_ve_error *err)
{
    uint8_t modrm = 0;
    if (tds_cursor_u8(c, &modrm) != TDS_OK) {
        return fail(err, TDX_VE_ERR_DECODE_TRUNCATED, TDS_ERR_TRUNCATED);
    }
    const uint8_t mod = (uint8_t)(modrm >> 6);
    const uint8_t rm = (uint8_t)(modrm & 7u);
    *reg = (uint8_t)(((modrm >> 3) & 7u) | (((rex & REX_R) != 0) ? 8u : 0u));
    if (mod == 3) {
        return fail(err, TDX_VE_ERR_DECODE_MODRM, TDS_ERR_MALFORMED); /* not a memory operand */
    }
    d->base = TDX_MMIO_NO_REG;
    d->index = TDX_MMIO_NO_REG;
    d->scale = 1;
    d->rip_relative = false;
    bool disp32 = (mod == 2);
    if (rm == 4) {
        uint8_t sib = 0;
        if (tds_cursor_u8(c, &sib) != TDS_OK) {
            return fail(err, TDX_VE_ERR_DECODE_TRUNCATED, TDS_ERR_TRUNCATED);
        }
        const uint8_t idx = (uint8_t)(((sib >> 3) & 7u) | (((rex & REX_X) != 0) ? 8u : 0u));
        if (idx != 4) { /* index 100b without REX.X means "no index" */
            d->index = idx;
            d->scale = (uint8_t)(1u << (sib >> 6));
        }
        if ((sib & 7u) == 5 && mod == 0) {
            disp32 = true; /* no base, disp32 */
        } else {
            d->base = (uint8_t)((sib & 7u) | (((rex & REX_B) != 0) ? 8u : 0u));
        }
    } else if (rm == 5 && mod == 0) {
        d->rip_relative = true;
        disp32 = true;
    } else {
        d->base = (uint8_t)(rm | (((rex & REX_B) != 0) ? 8u : 0u));
    }
    d->disp = 0;
    if (mod == 1) {
        uint8_t b = 0;
        if (tds_cursor_u8(c, &b) != TDS_OK) {
            return fail(err, TDX_VE_ERR_DECODE_TRUNCATED, TDS_ERR_TRUNCATED);
        }
        d->disp = (int32_t)(int8_t)b;
    } else if (disp32) {
        uint32_t v = 0;
        if (tds_cursor_le32(c, &v) != TDS_OK) {
            return fail(err, TDX_VE_ERR_DECODE_TRUNCATED, TDS_ERR_TRUNCATED);
        }
        d->disp = (int32_t)v;
    }
    return TDS_OK;
}

static uint64_t sign_extend(uint64_t v, uint32_t bytes)
{
    if (bytes >= 8) {
        return v;
    }
    const uint64_t sign = 1ull << (bytes * 8u - 1u);
    const uint64_t mask = (1ull << (bytes * 8u)) - 1u;
    v &= mask;
    return (v ^ sign) - sign;
}

static tds_status decode(tds_bytes code, struct tdx_mmio_insn *out, tdx_ve_error *err)
{
    tds_cursor c = tds_cursor_make(code);
    struct tdx_mmio_insn d;
    memset(&d, 0, sizeof d);
    bool opsize16 = false;
    uint8_t rex = 0;
    uint8_t b = 0;
    /* Prefixes: any number of 0x66, then at most one REX directly before the opcode. */
    for (;;) {
        if (tds_cursor_u8(&c, &b) != TDS_OK) {
            return fail(err, TDX_VE_ERR_DECODE_TRUNCATED, TDS_ERR_TRUNCATED);
        }
        if (b == PFX_OPSIZE && rex == 0) {
            opsize16 = true;
            continue;
        }
        if ((b & 0xF0u) == 0x40u && rex == 0) {
            rex = b;
            continue;
        }
        if (b == PFX_OPSIZE || (b & 0xF0u) == 0x40u || is_legacy_prefix(b)) {
            /* a prefix after REX (REX would be ignored) or a prefix we do not emulate */
            return fail(err, TDX_VE_ERR_DECODE_PREFIX, TDS_ERR_UNSUPPORTED);
        }
        break;
    }
    const uint8_t wide = ((rex & REX_W) != 0) ? 8u : (opsize16 ? 2u : 4u);
    uint8_t reg = 0;
    uint8_t imm_size = 0;
    switch (b) {
    case 0x88: /* mov r/m8, r8 */
    case 0x8A: /* mov r8, r/m8 */
        d.op = (b == 0x88) ? TDX_MMIO_OP_WRITE_REG : TDX_MMIO_OP_READ;
        d.mem_size = 1;
        d.reg_size = 1;
        break;
    case 0x89: /* mov r/m, r */
    case 0x8B: /* mov r, r/m */
        d.op = (b == 0x89) ? TDX_MMIO_OP_WRITE_REG : TDX_MMIO_OP_READ;
        d.mem_size = wide;
        d.reg_size = wide;
        break;
    case 0xC6: /* mov r/m8, imm8 */
        d.op = TDX_MMIO_OP_WRITE_IMM;
        d.mem_size = 1;
        imm_size = 1;
        break;
    case 0xC7: /* mov r/m, imm16/imm32 (sign-extended with REX.W) */
        d.op = TDX_MMIO_OP_WRITE_IMM;
        d.mem_size = wide;
        imm_size = (wide == 2) ? 2u : 4u;
        break;
    case 0x0F: {
        uint8_t b2 = 0;
        if (tds_cursor_u8(&c, &b2) != TDS_OK) {
            return fail(err, TDX_VE_ERR_DECODE_TRUNCATED, TDS_ERR_TRUNCATED);
        }
        if (b2 != 0xB6 && b2 != 0xB7 && b2 != 0xBE && b2 != 0xBF) {
            return fail(err, TDX_VE_ERR_DECODE_OPCODE, TDS_ERR_UNSUPPORTED);
        }
        d.op = (b2 == 0xB6 || b2 == 0xB7) ? TDX_MMIO_OP_READ_ZX : TDX_MMIO_OP_READ_SX;
        d.mem_size = (b2 == 0xB6 || b2 == 0xBE) ? 1u : 2u;
        d.reg_size = wide;
        break;
    }
    default: return fail(err, TDX_VE_ERR_DECODE_OPCODE, TDS_ERR_UNSUPPORTED);
    }
    TDS_TRY(decode_modrm(&c, rex, &d, &reg, err));
    if (d.op == TDX_MMIO_OP_WRITE_IMM) {
        if ((reg & 7u) != 0) {
            return fail(err, TDX_VE_ERR_DECODE_MODRM, TDS_ERR_MALFORMED); /* C6/C7 /0 only */
        }
        uint64_t imm = 0;
        tds_status s = TDS_OK;
        if (imm_size == 1) {
            uint8_t v = 0;
            s = tds_cursor_u8(&c, &v);
            imm = v;
        } else if (imm_size == 2) {
            uint16_t v = 0;
            s = tds_cursor_le16(&c, &v);
            imm = v;
        } else {
            uint32_t v = 0;
            s = tds_cursor_le32(&c, &v);
            imm = (d.mem_size == 8) ? sign_extend(v, 4) : v;
        }
        if (s != TDS_OK) {
            return fail(err, TDX_VE_ERR_DECODE_TRUNCATED, TDS_ERR_TRUNCATED);
        }
        d.imm = imm;
        d.reg = TDX_MMIO_NO_REG;
    } else {
        d.reg = reg;
        /* Byte registers 4..7 without REX are AH, CH, DH, BH. */
        d.high_byte = (d.reg_size == 1 && rex == 0 && reg >= 4 && reg <= 7);
        if (d.high_byte) {
            d.reg = (uint8_t)(reg - 4u);
        }
    }
    const size_t len = tds_cursor_pos(&c);
    if (len > TDX_VE_MAX_INSN) { /* cannot happen: the cursor holds at most 15 bytes */
        return fail(err, TDX_VE_ERR_DECODE_TOO_LONG, TDS_ERR_MALFORMED);
    }
    d.length = (uint8_t)len;
    *out = d;
    *err = TDX_VE_OK;
    return TDS_OK;
}

tds_status tdcall_ve_mmio_decode(tds_bytes code, struct tdx_mmio_insn *out, tdx_ve_error *err)
{
    tdx_ve_error dummy = TDX_VE_OK;
    if (err == NULL) {
        err = &dummy;
    }
    if (out == NULL || !tds_bytes_valid(code)) {
        return fail(err, TDX_VE_ERR_DECODE_TRUNCATED, TDS_ERR_INVALID_ARG);
    }
    if (code.len > TDX_VE_MAX_INSN) {
        code.len = TDX_VE_MAX_INSN; /* bytes beyond 15 can never be part of the instruction */
    }
    tds_status s = decode(code, out, err);
    if (s == TDS_ERR_TRUNCATED && code.len == TDX_VE_MAX_INSN) {
        /* 15 bytes were there and the instruction is still incomplete: it is too long. */
        return fail(err, TDX_VE_ERR_DECODE_TOO_LONG, TDS_ERR_MALFORMED);
    }
    return s;
}

uint64_t tdcall_ve_mmio_address(const struct tdx_mmio_insn *insn, const struct tdx_ve_regs *regs)
{
    uint64_t a = (uint64_t)(int64_t)insn->disp;
    if (insn->rip_relative) {
        a += regs->rip + insn->length;
    }
    if (insn->base < TDX_VE_GPR_COUNT) {
        a += regs->gpr[insn->base];
    }
    if (insn->index < TDX_VE_GPR_COUNT) {
        a += regs->gpr[insn->index] * insn->scale;
    }
    return a;
}
