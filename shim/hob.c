/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* TD HOB intake (hob.h). */
#include "hob.h"

#include "fatal.h"
#include "log.h"
#include "measure.h"
#include "tdshim/mem.h"

/* The private copy the rest of the boot reads, and its checked view. */
static uint8_t shim_hob_copy[SHIM_HOB_MAX] TDS_ALIGNED(8);
static tdhob_view shim_hob_view;
/* libtdhob's sort scratch for the copy; shim_hob_view borrows it. */
static tdhob_scratch_entry shim_hob_scratch[TDHOB_SCRATCH_ENTRIES(SHIM_HOB_MAX)];
static bool shim_hob_taken;

static void log_memory_map(const tdhob_mem_range *map, size_t n)
{
    tdhob_ram_summary sum;
    if (tdhob_ram_summary_get(&shim_hob_view, &sum) != TDS_OK) {
        shim_fatal(0x4002, "TD HOB memory map unreadable");
    }
    for (size_t i = 0; i < n; i++) {
        shim_log("tdshim: mem [0x%lx, 0x%lx) %s", map[i].base, map[i].base + map[i].length,
                 tdhob_mem_kind_str(map[i].kind));
    }
    shim_log("tdshim: td_hob ok: ranges=%lu accepted=0x%lx unaccepted=0x%lx ram_top=0x%lx",
             (uint64_t)n, sum.accepted_bytes, sum.unaccepted_bytes, sum.ram_top);
}

void shim_hob_take(uint64_t gpa, uint64_t size, uint32_t gpaw, const tdvf_meta *meta)
{
    if (size == 0 || size > SHIM_HOB_MAX) {
        shim_fatal(0x4003, "TD_HOB section larger than the shim's copy buffer");
    }
    /* One fetch from the VMM-written section into our own buffer; everything after reads it. */
    memcpy(shim_hob_copy, (const void *)(uintptr_t)gpa, (size_t)size);
    const tds_bytes section = tds_bytes_make(shim_hob_copy, (size_t)size);
    /* Measure before parse: RTMR0 shows the bytes even when the validator refuses them. */
    size_t measured = 0;
    if (tdhob_measured_length(section, gpa, &measured) != TDS_OK) {
        shim_fatal(0x4003, "TD_HOB section empty");
    }
    shim_measure_td_hob(tds_bytes_make(shim_hob_copy, measured));
    tdhob_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.hob_gpa = gpa;
    cfg.gpaw = gpaw;
    cfg.convention = TDHOB_CONV_AUTO;
    cfg.scratch = shim_hob_scratch;
    cfg.scratch_cap = TDS_ARRAY_LEN(shim_hob_scratch);
    tdhob_error err;
    memset(&err, 0, sizeof err);
    if (tdhob_validate(section, &cfg, &shim_hob_view, &err) != TDS_OK) {
        shim_log("tdshim: td_hob invalid: %s (hob at +0x%lx, field +0x%lx, type %u, value 0x%lx)",
                 tdhob_reason_str(err.reason), (uint64_t)err.hob_offset, (uint64_t)err.field_offset,
                 (uint32_t)err.hob_type, err.value);
        shim_fatal(0x4001, "TD HOB failed validation");
    }
    if (shim_hob_view.hob.len != measured) {
        /* Cannot happen for a list the validator accepts (tdhob_measured_length): a bug. */
        shim_fatal(0x4005, "TD HOB: the measured bytes are not the validated list");
    }
    tdhob_mem_range map[SHIM_HOB_MAP_MAX];
    size_t n = 0;
    if (tdhob_memory_map(&shim_hob_view, map, TDS_ARRAY_LEN(map), &n) != TDS_OK) {
        shim_fatal(0x4002, "TD HOB memory map has more than 32 ranges");
    }
    uint64_t bad = 0;
    uint64_t bad_end = 0;
    if (!shim_hob_accepted_in_sections(map, n, meta, &bad, &bad_end)) {
        shim_log("tdshim: td_hob: [0x%lx, 0x%lx) reported accepted is outside every section the "
                 "VMM adds",
                 bad, bad_end);
        shim_fatal(0x4004, "TD HOB reports accepted RAM the VMM cannot have added");
    }
    shim_hob_taken = true;
    log_memory_map(map, n);
}

const tdhob_view *shim_hob_checked(void)
{
    return shim_hob_taken ? &shim_hob_view : NULL;
}

tds_status shim_hob_unaccepted(uint64_t *base, uint64_t *len, size_t cap, size_t *n)
{
    tdhob_mem_range map[SHIM_HOB_MAP_MAX];
    size_t count = 0;
    *n = 0;
    if (!shim_hob_taken) {
        return TDS_ERR_NOT_FOUND;
    }
    TDS_TRY(tdhob_memory_map(&shim_hob_view, map, TDS_ARRAY_LEN(map), &count));
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (map[i].kind != TDHOB_MEM_UNACCEPTED) {
            continue;
        }
        if (k == cap) {
            return TDS_ERR_NO_SPACE;
        }
        base[k] = map[i].base;
        len[k] = map[i].length;
        k++;
    }
    *n = k;
    return TDS_OK;
}
