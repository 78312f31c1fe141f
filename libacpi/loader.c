/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * QEMU's table-loader script (QEMU hw/acpi/bios-linker-loader.c; edk2
 * OvmfPkg/Include/IndustryStandard/QemuLoader.h). One walker runs the script four times:
 *   P_CHECK   structure, with fw_cfg file sizes; registers the ALLOCATEd files;
 *   P_VALUES  after the caller placed and downloaded every file: the values that will be read
 *             and written;
 *   P_APPLY   ADD_POINTER and ADD_CHECKSUM into the blobs;
 *   P_WRITE   WRITE_POINTER through the caller's op.
 * Every pass re-decodes each entry through a cursor and re-checks every bound it uses, so a
 * script or blob that changed between passes cannot make a write leave its blob (it is reported
 * as ACPI_R_INPUT_CHANGED).
 */
#include "acpi_int.h"

typedef enum lpass { P_CHECK = 0, P_VALUES, P_APPLY, P_WRITE } lpass;

/* One decoded entry. */
typedef struct lcmd {
    uint32_t cmd;
    bool padding; /* all 128 bytes zero */
    char name1[ACPI_LOADER_NAME_SIZE];
    char name2[ACPI_LOADER_NAME_SIZE];
    uint32_t align;
    uint8_t zone;
    uint32_t offset;     /* ADD_POINTER offset; WRITE_POINTER dst_offset */
    uint32_t src_offset; /* WRITE_POINTER */
    uint8_t size;        /* ADD_POINTER / WRITE_POINTER pointer size */
    uint32_t result;     /* ADD_CHECKSUM */
    uint32_t start;
    uint32_t length;
} lcmd;

typedef struct lstate {
    tds_bytes script;
    uint32_t n; /* entries */
    const acpi_loader_ops *ops;
    uint32_t flags;
    acpi_loader_blob *blobs;
    size_t max_blobs;
    size_t nblobs;
    acpi_loader_result res;
    acpi_error *err;
    acpi_error local_err; /* used when the caller passes no err */
} lstate;

/* ---- decoding ------------------------------------------------------------------------------ */

static tds_status rd8(tds_bytes e, size_t off, uint8_t *v)
{
    tds_cursor c = tds_cursor_make(e);
    TDS_TRY(tds_cursor_seek(&c, off));
    return tds_cursor_u8(&c, v);
}

static tds_status rd32(tds_bytes e, size_t off, uint32_t *v)
{
    tds_cursor c = tds_cursor_make(e);
    TDS_TRY(tds_cursor_seek(&c, off));
    return tds_cursor_le32(&c, v);
}

/* A file name: NUL within the 56 bytes, not empty. MALFORMED otherwise. */
static tds_status rdname(tds_bytes e, size_t off, char *out)
{
    uint8_t raw[ACPI_LOADER_NAME_SIZE];
    tds_cursor c = tds_cursor_make(e);
    TDS_TRY(tds_cursor_seek(&c, off));
    TDS_TRY(tds_cursor_copy(&c, raw, sizeof raw));
    size_t len = 0;
    while (len < sizeof raw && raw[len] != 0) {
        len++;
    }
    if (len == 0 || len == sizeof raw) {
        return TDS_ERR_MALFORMED;
    }
    for (size_t i = 0; i < sizeof raw; i++) {
        out[i] = (char)(i <= len ? raw[i] : 0u);
    }
    return TDS_OK;
}

static tds_status entry_bytes(const lstate *st, uint32_t i, tds_bytes *e)
{
    size_t off;
    TDS_TRY(tds_mul_size((size_t)i, ACPI_LOADER_ENTRY_SIZE, &off));
    return tds_bytes_sub(st->script, off, ACPI_LOADER_ENTRY_SIZE, e);
}

/* Decode entry i. A bad name is ACPI_R_NAME; a short script cannot happen (size checked). */
static tds_status decode(const lstate *st, uint32_t i, lcmd *c)
{
    tds_bytes e;
    if (entry_bytes(st, i, &e) != TDS_OK) {
        return acpi_fail(st->err, ACPI_R_INPUT_CHANGED, i, 0);
    }
    memset(c, 0, sizeof *c);
    bool zero = true;
    for (size_t k = 0; k < e.len; k++) {
        if (e.ptr[k] != 0) {
            zero = false;
            break;
        }
    }
    if (zero) {
        c->padding = true;
        return TDS_OK;
    }
    tds_status s = rd32(e, ACPI_LOADER_OFF_COMMAND, &c->cmd);
    bool two_names =
        c->cmd == ACPI_LOADER_CMD_ADD_POINTER || c->cmd == ACPI_LOADER_CMD_WRITE_POINTER;
    bool one_name =
        two_names || c->cmd == ACPI_LOADER_CMD_ALLOCATE || c->cmd == ACPI_LOADER_CMD_ADD_CHECKSUM;
    if (s == TDS_OK && one_name && rdname(e, ACPI_LOADER_OFF_NAME1, c->name1) != TDS_OK) {
        return acpi_fail(st->err, ACPI_R_NAME, i, 0);
    }
    if (s == TDS_OK && two_names && rdname(e, ACPI_LOADER_OFF_NAME2, c->name2) != TDS_OK) {
        return acpi_fail(st->err, ACPI_R_NAME, i, 0);
    }
    switch (c->cmd) {
    case ACPI_LOADER_CMD_ALLOCATE:
        if (s == TDS_OK) {
            s = rd32(e, ACPI_LOADER_OFF_ALLOC_ALIGN, &c->align);
        }
        if (s == TDS_OK) {
            s = rd8(e, ACPI_LOADER_OFF_ALLOC_ZONE, &c->zone);
        }
        break;
    case ACPI_LOADER_CMD_ADD_POINTER:
        if (s == TDS_OK) {
            s = rd32(e, ACPI_LOADER_OFF_PTR_OFFSET, &c->offset);
        }
        if (s == TDS_OK) {
            s = rd8(e, ACPI_LOADER_OFF_PTR_SIZE, &c->size);
        }
        break;
    case ACPI_LOADER_CMD_ADD_CHECKSUM:
        if (s == TDS_OK) {
            s = rd32(e, ACPI_LOADER_OFF_CKSUM_RESULT, &c->result);
        }
        if (s == TDS_OK) {
            s = rd32(e, ACPI_LOADER_OFF_CKSUM_START, &c->start);
        }
        if (s == TDS_OK) {
            s = rd32(e, ACPI_LOADER_OFF_CKSUM_LENGTH, &c->length);
        }
        break;
    case ACPI_LOADER_CMD_WRITE_POINTER:
        if (s == TDS_OK) {
            s = rd32(e, ACPI_LOADER_OFF_WPTR_DST_OFFSET, &c->offset);
        }
        if (s == TDS_OK) {
            s = rd32(e, ACPI_LOADER_OFF_WPTR_SRC_OFFSET, &c->src_offset);
        }
        if (s == TDS_OK) {
            s = rd8(e, ACPI_LOADER_OFF_WPTR_SIZE, &c->size);
        }
        break;
    default: break;
    }
    if (s != TDS_OK) {
        return acpi_fail(st->err, ACPI_R_INPUT_CHANGED, i, 0);
    }
    return TDS_OK;
}

/* ---- helpers ------------------------------------------------------------------------------- */

static bool name_eq(const char *a, const char *b)
{
    for (size_t i = 0; i < ACPI_LOADER_NAME_SIZE; i++) {
        if (a[i] != b[i]) {
            return false;
        }
        if (a[i] == '\0') {
            return true;
        }
    }
    return true;
}

/* The blob named `name` among the first `limit` ones, or NULL. */
static acpi_loader_blob *find_blob(const lstate *st, const char *name, size_t limit)
{
    for (size_t k = 0; k < limit && k < st->nblobs; k++) {
        if (name_eq(st->blobs[k].name, name)) {
            return &st->blobs[k];
        }
    }
    return NULL;
}

static bool size_ok(uint8_t size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Largest value a pointer of `size` bytes holds. */
static uint64_t size_max(uint8_t size)
{
    return size >= 8 ? UINT64_MAX : ((uint64_t)1 << (8u * size)) - 1u;
}

/* Does [off, off+len) fit in a file of `size` bytes? */
static bool in_file(uint32_t size, uint32_t off, uint64_t len)
{
    return tds_range_contains(0, size, off, len);
}

static void narrow(acpi_loader_blob *b, uint8_t size)
{
    uint64_t lim = size_max(size);
    if (lim < b->max_last) {
        b->max_last = lim;
    }
}

/* The little-endian value of `size` bytes at blob offset `off` (bounds re-checked). */
static tds_status blob_load(const acpi_loader_blob *b, uint32_t off, uint8_t size, uint64_t *v)
{
    tds_bytes f;
    TDS_TRY(tds_bytes_sub(tds_bytes_make(b->mem.ptr, b->mem.len), 0, b->size, &f));
    tds_bytes field;
    TDS_TRY(tds_bytes_sub(f, off, size, &field));
    uint64_t r = 0;
    for (size_t k = field.len; k > 0; k--) {
        r = (r << 8) | field.ptr[k - 1];
    }
    *v = r;
    return TDS_OK;
}

static tds_status blob_store(const acpi_loader_blob *b, uint32_t off, uint8_t size, uint64_t v)
{
    tds_mut_bytes f;
    TDS_TRY(tds_mut_bytes_sub(b->mem, 0, b->size, &f));
    tds_mut_bytes field;
    TDS_TRY(tds_mut_bytes_sub(f, off, size, &field));
    for (size_t k = 0; k < field.len; k++) {
        field.ptr[k] = (uint8_t)(v >> (8u * k));
    }
    return TDS_OK;
}

/* ---- pass 1 only: overlap of patched fields ------------------------------------------------ */

/*
 * The values pass 2 checks are the downloaded ones, so no command may change a byte a later
 * ADD_POINTER reads, and no checksum may land inside a relocated pointer: every ADD_POINTER
 * field is disjoint from every other one and from every ADD_CHECKSUM result byte in the same
 * file. Checked against the earlier entries of the script (which are valid), so every pair is
 * seen once.
 */
static tds_status check_overlap(const lstate *st, uint32_t i, const lcmd *c)
{
    for (uint32_t j = 0; j < i; j++) {
        lcmd o;
        TDS_TRY(decode(st, j, &o));
        if (o.padding || !name_eq(o.name1, c->name1)) {
            continue;
        }
        bool clash = false;
        if (c->cmd == ACPI_LOADER_CMD_ADD_POINTER) {
            if (o.cmd == ACPI_LOADER_CMD_ADD_POINTER) {
                clash = tds_ranges_overlap(c->offset, c->size, o.offset, o.size);
            } else if (o.cmd == ACPI_LOADER_CMD_ADD_CHECKSUM) {
                clash = tds_ranges_overlap(c->offset, c->size, o.result, 1);
            }
        } else if (o.cmd == ACPI_LOADER_CMD_ADD_POINTER) { /* c is an ADD_CHECKSUM */
            clash = tds_ranges_overlap(o.offset, o.size, c->result, 1);
        }
        if (clash) {
            return acpi_fail(st->err, ACPI_R_POINTER_OVERLAP, i, 0);
        }
    }
    return TDS_OK;
}

/* ---- one command, one pass ----------------------------------------------------------------- */

static tds_status do_allocate(lstate *st, lpass p, uint32_t i, const lcmd *c, size_t *k)
{
    if (p != P_CHECK) {
        /* The same ALLOCATEs in the same order as pass 1 registered. */
        if (*k >= st->nblobs || !name_eq(st->blobs[*k].name, c->name1)) {
            return acpi_fail(st->err, ACPI_R_INPUT_CHANGED, i, 0);
        }
        (*k)++;
        return TDS_OK;
    }
    if (!tds_is_pow2_u64(c->align)) {
        return acpi_fail(st->err, ACPI_R_ALIGN_NOT_POW2, i, 0);
    }
    if (c->align > ACPI_LOADER_MAX_ALIGN) {
        return acpi_fail(st->err, ACPI_R_ALIGN_TOO_LARGE, i, 0);
    }
    if (c->zone != ACPI_LOADER_ZONE_HIGH && c->zone != ACPI_LOADER_ZONE_FSEG) {
        return acpi_fail(st->err, ACPI_R_ZONE, i, 0);
    }
    if (find_blob(st, c->name1, st->nblobs) != NULL) {
        return acpi_fail(st->err, ACPI_R_DUPLICATE_ALLOCATE, i, 0);
    }
    if (st->nblobs >= st->max_blobs) {
        return acpi_fail(st->err, ACPI_R_TOO_MANY_FILES, i, 0);
    }
    uint32_t size = 0;
    if (st->ops->file_size(st->ops->ctx, c->name1, &size) != TDS_OK) {
        return acpi_fail(st->err, ACPI_R_FILE_NOT_FOUND, i, 0);
    }
    if (size == 0) {
        return acpi_fail(st->err, ACPI_R_FILE_EMPTY, i, 0);
    }
    acpi_loader_blob *b = &st->blobs[st->nblobs];
    memcpy(b->name, c->name1, sizeof b->name);
    b->size = size;
    b->align = c->align;
    b->zone = c->zone;
    b->max_last = UINT64_MAX;
    b->command = i;
    b->addr = 0;
    b->mem = tds_mut_bytes_make(NULL, 0);
    st->nblobs++;
    *k = st->nblobs;
    return TDS_OK;
}

/* The relocated value of an ADD_POINTER (passes 2 and 3). */
static tds_status add_pointer_value(const lstate *st, uint32_t i, const lcmd *c,
                                    const acpi_loader_blob *dst, const acpi_loader_blob *src,
                                    uint64_t *out)
{
    uint64_t stored;
    if (blob_load(dst, c->offset, c->size, &stored) != TDS_OK) {
        return acpi_fail(st->err, ACPI_R_INPUT_CHANGED, i, 0);
    }
    if (stored >= src->size) {
        return acpi_fail(st->err, ACPI_R_POINTEE_RANGE, i, 0);
    }
    uint64_t v;
    if (tds_add_u64(stored, src->addr, &v) != TDS_OK || v > size_max(c->size)) {
        return acpi_fail(st->err, ACPI_R_RELOC_OVERFLOW, i, 0);
    }
    *out = v;
    return TDS_OK;
}

static tds_status do_add_pointer(lstate *st, lpass p, uint32_t i, const lcmd *c, size_t k)
{
    acpi_loader_blob *dst = find_blob(st, c->name1, k);
    acpi_loader_blob *src = find_blob(st, c->name2, k);
    if (dst == NULL || src == NULL) {
        return acpi_fail(st->err, ACPI_R_NOT_ALLOCATED, i, 0);
    }
    if (!size_ok(c->size)) {
        return acpi_fail(st->err, ACPI_R_POINTER_SIZE, i, 0);
    }
    if (!in_file(dst->size, c->offset, c->size)) {
        return acpi_fail(st->err, ACPI_R_POINTER_RANGE, i, 0);
    }
    if (p == P_CHECK) {
        TDS_TRY(check_overlap(st, i, c));
        narrow(src, c->size);
        return TDS_OK;
    }
    if (p == P_WRITE) {
        return TDS_OK;
    }
    uint64_t v = 0;
    TDS_TRY(add_pointer_value(st, i, c, dst, src, &v));
    if (p == P_APPLY) {
        if (blob_store(dst, c->offset, c->size, v) != TDS_OK) {
            return acpi_fail(st->err, ACPI_R_INPUT_CHANGED, i, 0);
        }
        st->res.pointers++;
    }
    return TDS_OK;
}

static tds_status do_add_checksum(lstate *st, lpass p, uint32_t i, const lcmd *c, size_t k)
{
    acpi_loader_blob *b = find_blob(st, c->name1, k);
    if (b == NULL) {
        return acpi_fail(st->err, ACPI_R_NOT_ALLOCATED, i, 0);
    }
    if (!in_file(b->size, c->result, 1)) {
        return acpi_fail(st->err, ACPI_R_CHECKSUM_RESULT, i, 0);
    }
    if (!in_file(b->size, c->start, c->length)) {
        return acpi_fail(st->err, ACPI_R_CHECKSUM_RANGE, i, 0);
    }
    if (p == P_CHECK) {
        return check_overlap(st, i, c);
    }
    if (p != P_APPLY) {
        return TDS_OK;
    }
    tds_mut_bytes f;
    tds_mut_bytes range;
    tds_mut_bytes res;
    if (tds_mut_bytes_sub(b->mem, 0, b->size, &f) != TDS_OK ||
        tds_mut_bytes_sub(f, c->start, c->length, &range) != TDS_OK ||
        tds_mut_bytes_sub(f, c->result, 1, &res) != TDS_OK) {
        return acpi_fail(st->err, ACPI_R_INPUT_CHANGED, i, 0);
    }
    /* QEMU: "sums -X for each byte X in the range ... result is added to initial value". */
    uint8_t sum = acpi_sum8(tds_bytes_const(range));
    res.ptr[0] = (uint8_t)(res.ptr[0] - sum);
    st->res.checksums++;
    return TDS_OK;
}

static tds_status do_write_pointer(lstate *st, lpass p, uint32_t i, const lcmd *c, size_t k)
{
    if (st->ops->write_pointer == NULL) {
        return acpi_fail(st->err, ACPI_R_WRITE_POINTER_REFUSED, i, 0);
    }
    acpi_loader_blob *src = find_blob(st, c->name2, k);
    if (src == NULL) {
        return acpi_fail(st->err, ACPI_R_NOT_ALLOCATED, i, 0);
    }
    if (!size_ok(c->size)) {
        return acpi_fail(st->err, ACPI_R_POINTER_SIZE, i, 0);
    }
    if (p == P_CHECK) {
        uint32_t dsize = 0;
        if (st->ops->file_size(st->ops->ctx, c->name1, &dsize) != TDS_OK) {
            return acpi_fail(st->err, ACPI_R_FILE_NOT_FOUND, i, 0);
        }
        if (!in_file(dsize, c->offset, c->size)) {
            return acpi_fail(st->err, ACPI_R_POINTER_RANGE, i, 0);
        }
    }
    if (c->src_offset >= src->size) {
        return acpi_fail(st->err, ACPI_R_WRITE_POINTER_SOURCE, i, 0);
    }
    if (p == P_CHECK) {
        narrow(src, c->size);
        return TDS_OK;
    }
    if (p == P_APPLY) {
        return TDS_OK;
    }
    uint64_t v = 0;
    if (tds_add_u64(src->addr, c->src_offset, &v) != TDS_OK || v > size_max(c->size)) {
        return acpi_fail(st->err, ACPI_R_RELOC_OVERFLOW, i, 0);
    }
    if (p == P_WRITE) {
        tds_status s = st->ops->write_pointer(st->ops->ctx, c->name1, c->offset, c->size, v);
        if (s != TDS_OK) {
            return acpi_fail_status(st->err, ACPI_R_WRITE_POINTER_FAILED, s, i, 0);
        }
        st->res.write_pointers++;
    }
    return TDS_OK;
}

static tds_status step(lstate *st, lpass p, uint32_t i, size_t *k)
{
    lcmd c;
    TDS_TRY(decode(st, i, &c));
    if (c.padding) {
        if (p == P_CHECK) {
            st->res.padding++;
        }
        return TDS_OK;
    }
    switch (c.cmd) {
    case ACPI_LOADER_CMD_ALLOCATE: return do_allocate(st, p, i, &c, k);
    case ACPI_LOADER_CMD_ADD_POINTER: return do_add_pointer(st, p, i, &c, *k);
    case ACPI_LOADER_CMD_ADD_CHECKSUM: return do_add_checksum(st, p, i, &c, *k);
    case ACPI_LOADER_CMD_WRITE_POINTER: return do_write_pointer(st, p, i, &c, *k);
    default: break;
    }
    if ((st->flags & ACPI_LOADER_SKIP_UNKNOWN) == 0) {
        return acpi_fail(st->err, ACPI_R_UNKNOWN_COMMAND, i, 0);
    }
    if (p == P_CHECK) {
        st->res.skipped++;
    }
    return TDS_OK;
}

static tds_status walk(lstate *st, lpass p)
{
    size_t k = 0; /* blobs ALLOCATEd so far in this walk */
    for (uint32_t i = 0; i < st->n; i++) {
        tds_status s = step(st, p, i, &k);
        if (s == TDS_OK) {
            continue;
        }
        /* After pass 2 every check has passed once: a new failure means the input moved. */
        if ((p == P_APPLY || p == P_WRITE) && st->err->reason != ACPI_R_WRITE_POINTER_FAILED) {
            return acpi_fail(st->err, ACPI_R_INPUT_CHANGED, i, 0);
        }
        return s;
    }
    return TDS_OK;
}

/* ---- the allocations ------------------------------------------------------------------------ */

static bool mem_overlap(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    return tds_ranges_overlap((uint64_t)(uintptr_t)a, alen, (uint64_t)(uintptr_t)b, blen);
}

static tds_status check_blob(const lstate *st, size_t k)
{
    const acpi_loader_blob *b = &st->blobs[k];
    if (!tds_bytes_valid(tds_bytes_const(b->mem)) || b->mem.len < b->size) {
        return acpi_fail(st->err, ACPI_R_BLOB_MEMORY, b->command, b->addr);
    }
    if (!tds_is_aligned_u64(b->addr, b->align)) {
        return acpi_fail(st->err, ACPI_R_BLOB_ALIGN, b->command, b->addr);
    }
    uint64_t last;
    if (tds_range_last(b->addr, b->size, &last) != TDS_OK) {
        return acpi_fail(st->err, ACPI_R_BLOB_WRAPS, b->command, b->addr);
    }
    if (mem_overlap(b->mem.ptr, b->size, st->script.ptr, st->script.len)) {
        return acpi_fail(st->err, ACPI_R_BLOB_OVERLAP, b->command, b->addr);
    }
    for (size_t j = 0; j < k; j++) {
        const acpi_loader_blob *o = &st->blobs[j];
        if (tds_ranges_overlap(b->addr, b->size, o->addr, o->size) ||
            mem_overlap(b->mem.ptr, b->size, o->mem.ptr, o->size)) {
            return acpi_fail(st->err, ACPI_R_BLOB_OVERLAP, b->command, b->addr);
        }
    }
    return TDS_OK;
}

static tds_status allocate_all(lstate *st)
{
    for (size_t k = 0; k < st->nblobs; k++) {
        acpi_loader_blob *b = &st->blobs[k];
        acpi_loader_alloc req = {b->name, b->size, b->align, b->zone, b->max_last};
        tds_mut_bytes mem = {NULL, 0};
        uint64_t addr = 0;
        tds_status s = st->ops->allocate(st->ops->ctx, &req, &mem, &addr);
        if (s != TDS_OK) {
            return acpi_fail_status(st->err, ACPI_R_ALLOCATE_FAILED, s, b->command, 0);
        }
        b->mem = mem;
        b->addr = addr;
        st->err->allocated = (uint32_t)(k + 1);
        TDS_TRY(check_blob(st, k));
    }
    return TDS_OK;
}

/* ---- entry points ---------------------------------------------------------------------------- */

static tds_status start(tds_bytes script, const acpi_loader_ops *ops, uint32_t flags,
                        acpi_loader_blob *blobs, size_t max_blobs, const acpi_loader_result *res,
                        acpi_error *err, lstate *st)
{
    acpi_ok(err);
    if (ops == NULL || ops->file_size == NULL || res == NULL || !tds_bytes_valid(script) ||
        (blobs == NULL && max_blobs != 0) || (flags & ~(uint32_t)ACPI_LOADER_SKIP_UNKNOWN) != 0) {
        return acpi_fail(err, ACPI_R_BAD_ARG, ACPI_NO_INDEX, 0);
    }
    if (script.len % ACPI_LOADER_ENTRY_SIZE != 0) {
        return acpi_fail(err, ACPI_R_SCRIPT_SIZE, ACPI_NO_INDEX, 0);
    }
    if (script.len / ACPI_LOADER_ENTRY_SIZE > ACPI_LOADER_MAX_COMMANDS) {
        return acpi_fail(err, ACPI_R_SCRIPT_TOO_LONG, ACPI_NO_INDEX, 0);
    }
    memset(st, 0, sizeof *st);
    st->script = script;
    st->n = (uint32_t)(script.len / ACPI_LOADER_ENTRY_SIZE);
    st->ops = ops;
    st->flags = flags;
    st->blobs = blobs;
    st->max_blobs = max_blobs;
    st->err = (err != NULL) ? err : &st->local_err;
    st->res.commands = st->n;
    return TDS_OK;
}

tds_status acpi_loader_check(tds_bytes script, const acpi_loader_ops *ops, uint32_t flags,
                             acpi_loader_blob *blobs, size_t max_blobs, acpi_loader_result *res,
                             acpi_error *err)
{
    lstate st;
    TDS_TRY(start(script, ops, flags, blobs, max_blobs, res, err, &st));
    TDS_TRY(walk(&st, P_CHECK));
    st.res.blobs = st.nblobs;
    *res = st.res;
    return TDS_OK;
}

tds_status acpi_loader_run(tds_bytes script, const acpi_loader_ops *ops, uint32_t flags,
                           acpi_loader_blob *blobs, size_t max_blobs, acpi_loader_result *res,
                           acpi_error *err)
{
    lstate st;
    TDS_TRY(start(script, ops, flags, blobs, max_blobs, res, err, &st));
    if (ops->allocate == NULL) {
        return acpi_fail(err, ACPI_R_BAD_ARG, ACPI_NO_INDEX, 0);
    }
    TDS_TRY(walk(&st, P_CHECK));
    TDS_TRY(allocate_all(&st));
    TDS_TRY(walk(&st, P_VALUES));
    TDS_TRY(walk(&st, P_APPLY));
    TDS_TRY(walk(&st, P_WRITE));
    st.res.blobs = st.nblobs;
    *res = st.res;
    return TDS_OK;
}

tds_status acpi_loader_find(const acpi_loader_blob *blobs, size_t n, const char *name,
                            const acpi_loader_blob **out)
{
    if ((blobs == NULL && n != 0) || name == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    for (size_t k = 0; k < n; k++) {
        if (name_eq(blobs[k].name, name)) {
            *out = &blobs[k];
            return TDS_OK;
        }
    }
    return TDS_ERR_NOT_FOUND;
}
