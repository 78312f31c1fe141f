/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdp_ap.h"

#define ST_WOKEN 1u
#define ST_TESTED 2u
#define ST_WOKEN2 4u

static bool wait_cmd_acked(const tdp_ap_env *env)
{
    for (uint64_t i = 0; i < env->spin_limit; i++) {
        if (__atomic_load_n(&env->mailbox->command, __ATOMIC_ACQUIRE) == MBOX_OS_CMD_NOOP) {
            return true;
        }
        if (!env->pause(env->ctx)) {
            break;
        }
    }
    return false;
}

static bool wait_done(const tdp_ap_env *env, const uint32_t *done)
{
    for (uint64_t i = 0; i < env->spin_limit; i++) {
        if (__atomic_load_n(done, __ATOMIC_ACQUIRE) != 0) {
            return true;
        }
        if (!env->pause(env->ctx)) {
            break;
        }
    }
    return false;
}

/* One request, as Linux's acpi_wakeup_cpu: fields first, then Command with release; wait (bounded)
 * until the target AP clears Command. */
static tds_status post(const tdp_ap_env *env, uint32_t apic, uint16_t cmd, uint64_t vector,
                       const tdp_ap_slot *slot)
{
    mbox_os_mailbox *mb = env->mailbox;
    if (__atomic_load_n(&mb->command, __ATOMIC_ACQUIRE) != MBOX_OS_CMD_NOOP) {
        return TDS_ERR_STATE; /* an earlier request is still pending */
    }
    const uint64_t slot_addr = (uint64_t)(uintptr_t)slot;
    memcpy(mb->os_area + (TDP_AP_MAILBOX_SLOT_PTR - MBOX_OS_OFF_OS_AREA), &slot_addr,
           sizeof slot_addr);
    __atomic_store_n(&mb->apic_id, apic, __ATOMIC_RELAXED);
    __atomic_store_n(&mb->wakeup_vector, vector, __ATOMIC_RELAXED);
    __atomic_store_n(&mb->command, cmd, __ATOMIC_RELEASE);
    return wait_cmd_acked(env) ? TDS_OK : TDS_ERR_BUSY;
}

static tds_status round_wake(const tdp_ap_env *env, uint32_t apic, tdp_ap_slot *slot, bool second)
{
    const uint64_t vector = second ? env->vector2 : env->vector1;
    TDS_TRY(post(env, apic, MBOX_OS_CMD_WAKEUP, vector, slot));
    if (!wait_done(env, second ? &slot->done2 : &slot->done1)) {
        return TDS_ERR_BUSY;
    }
    const uint64_t rax = second ? slot->rax2 : slot->rax1;
    const uint64_t rdi = second ? slot->rdi2 : slot->rdi1;
    const uint32_t id = second ? slot->apic2 : slot->apic1;
    return rax == vector && rdi == env->mailbox_addr && id == apic ? TDS_OK : TDS_ERR_MISMATCH;
}

static void print_ap(const struct tdp_sink *sink, uint32_t apic, uint8_t st)
{
    struct tdp_line l;
    tdp_line_start(&l, "ap apic=");
    tdp_line_dec(&l, apic);
    tdp_line_str(&l, (st & ST_WOKEN) != 0 ? " woken=1" : " woken=0");
    tdp_line_str(&l, (st & ST_TESTED) != 0 ? " reset=ok" : " reset=FAIL");
    tdp_line_str(&l, (st & ST_WOKEN2) != 0 ? " woken2=1" : " woken2=0");
    tdp_line_emit(sink, &l);
}

tds_status tdp_ap_check(const struct tdp_sink *sink, const tdp_madt *madt, const tdp_ap_env *env,
                        tdp_ap_summary *out)
{
    if (madt == NULL || env == NULL || out == NULL || env->mailbox == NULL || env->pause == NULL ||
        (env->slots == NULL && env->slot_count != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (env->slot_count < madt->cpu_count) {
        return TDS_ERR_NO_SPACE;
    }
    uint8_t st[TDP_MADT_MAX_CPUS] = {0};
    tdp_ap_summary sum = {0};
    tds_status first = TDS_OK;
    for (uint32_t i = 0; i < madt->cpu_count; i++) {
        if (madt->cpus[i].apic_id == env->bsp_apic_id) {
            sum.bsp_listed = true;
        } else {
            sum.aps++;
        }
    }
    /* Round 1: vector 1 records and returns through the ResetVector. */
    for (uint32_t i = 0; i < madt->cpu_count && first == TDS_OK; i++) {
        const uint32_t apic = madt->cpus[i].apic_id;
        if (apic == env->bsp_apic_id) {
            continue;
        }
        tdp_ap_slot *slot = &env->slots[i];
        memset(slot, 0, sizeof *slot);
        slot->reset = env->reset_vector;
        tds_status s = round_wake(env, apic, slot, false);
        if (s == TDS_OK) {
            st[i] |= ST_WOKEN;
            sum.woken++;
        } else if (first == TDS_OK) {
            first = s;
        }
    }
    /* Round 2: TEST, acknowledged only by an AP that is back in the firmware's loop. */
    for (uint32_t i = 0; i < madt->cpu_count && first == TDS_OK; i++) {
        const uint32_t apic = madt->cpus[i].apic_id;
        if (apic == env->bsp_apic_id) {
            continue;
        }
        tds_status s = post(env, apic, MBOX_OS_CMD_TEST, 0, &env->slots[i]);
        if (s == TDS_OK) {
            st[i] |= ST_TESTED;
            sum.tested++;
        } else {
            first = s;
        }
    }
    /* Round 3: vector 2 records and parks. */
    for (uint32_t i = 0; i < madt->cpu_count && first == TDS_OK; i++) {
        const uint32_t apic = madt->cpus[i].apic_id;
        if (apic == env->bsp_apic_id) {
            continue;
        }
        tds_status s = round_wake(env, apic, &env->slots[i], true);
        if (s == TDS_OK) {
            st[i] |= ST_WOKEN2;
            sum.woken2++;
        } else if (first == TDS_OK) {
            first = s;
        }
    }
    for (uint32_t i = 0; i < madt->cpu_count; i++) {
        if (madt->cpus[i].apic_id != env->bsp_apic_id) {
            print_ap(sink, madt->cpus[i].apic_id, st[i]);
        }
    }
    if (first == TDS_OK && !sum.bsp_listed) {
        first = TDS_ERR_NOT_FOUND;
    }
    struct tdp_line l;
    tdp_line_start(&l, "aps bsp_apic=");
    tdp_line_dec(&l, env->bsp_apic_id);
    tdp_line_str(&l, sum.bsp_listed ? " bsp_listed=1" : " bsp_listed=0");
    tdp_line_str(&l, " aps=");
    tdp_line_dec(&l, sum.aps);
    tdp_line_str(&l, " woken=");
    tdp_line_dec(&l, sum.woken);
    tdp_line_str(&l, " reset=");
    tdp_line_dec(&l, sum.tested);
    tdp_line_str(&l, " woken2=");
    tdp_line_dec(&l, sum.woken2);
    tdp_line_str(&l, first == TDS_OK ? " ok" : " FAIL ");
    if (first != TDS_OK) {
        tdp_line_str(&l, tds_status_str(first));
    }
    tdp_line_emit(sink, &l);
    *out = sum;
    return first;
}
