/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Installing the relocatable OS-phase AP loop (docs/libmailbox.md "The relocatable blob"). */
#include "tdshim/mailbox.h"

tds_status mbox_os_blob_install(tds_mut_bytes dst, tds_bytes blob, uint64_t mailbox_addr,
                                uint64_t fw_cr3)
{
    if (!tds_bytes_valid(blob) || !tds_bytes_valid(tds_bytes_const(dst)) || blob.len == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    /* The data slots must be inside the blob, and the blob no bigger than advertised. */
    if (blob.len < (size_t)MBOX_BLOB_OFF_MAGIC + 8u || blob.len > (size_t)MBOX_BLOB_MAX_SIZE) {
        return TDS_ERR_MALFORMED;
    }
    if (tds_load_le64(blob.ptr + MBOX_BLOB_OFF_MAGIC) != (uint64_t)MBOX_BLOB_MAGIC) {
        return TDS_ERR_MALFORMED;
    }
    if (dst.len < blob.len) {
        return TDS_ERR_NO_SPACE;
    }
    if (mailbox_addr == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(mailbox_addr, MBOX_OS_ALIGN)) {
        return TDS_ERR_ALIGNMENT;
    }
    if (tds_ranges_overlap((uint64_t)(uintptr_t)dst.ptr, (uint64_t)blob.len,
                           (uint64_t)(uintptr_t)blob.ptr, (uint64_t)blob.len)) {
        return TDS_ERR_INVALID_ARG;
    }
    memcpy(dst.ptr, blob.ptr, blob.len);
    tds_store_le64(dst.ptr + MBOX_BLOB_OFF_MAILBOX, mailbox_addr);
    tds_store_le64(dst.ptr + MBOX_BLOB_OFF_FW_CR3, fw_cr3);
    return TDS_OK;
}
