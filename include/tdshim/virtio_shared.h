/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libvirtio-shared: the shared-bit DMA allocator. Contract: docs/libvirtio-shared.md.
 *
 * A pool of 4 KiB pages, taken from a caller-given private (accepted) range and converted to
 * shared (the Intel TDX GHCI specification, MapGPA; Linux arch/x86/coco/tdx/tdx.c tdx_map_gpa, 4),
 * hands out zeroed shared buffers to device drivers and bounces private data through them in the
 * style of the EDK2 IOMMU protocol (map / unmap with bus-master read, bus-master write and common
 * buffer).
 *
 * Device addresses (vshared_buffer.device_addr, vshared_mapping.device_addr) are plain GPAs: the
 * page's private GPA with the shared bit CLEAR. On TDX the shared bit exists only in the guest's
 * page-table entries (set_shared) and in the MapGPA TDVMCALL (map_gpa); the VMM's device models
 * (QEMU virtio, fw_cfg DMA) address guest memory by the GPA without it and reach the shared page
 * that way; an address with the shared bit set normally points at no guest RAM in the VMM's view.
 * Same convention as edk2 (OvmfPkg/IoMmuDxe/CcIoMmu.c, IoMmuMap: DeviceAddress =
 * MapInfo->PlainTextAddress) and Linux dma-direct (phys_to_dma_unencrypted(): the plain physical
 * address; the TDX shared bit, cc_mask, is added only to PTEs via pgprot_decrypted()).
 *
 * Ownership: the caller owns the pool struct, the pool pages, the bitmap words and every
 * mapping struct; the library keeps no globals and never allocates. Trust: the caller and its
 * ops are trusted (the map_gpa op, i.e. libtdcall, checks the VMM's MapGPA answers); every byte
 * in shared memory and the VMM's claim that a conversion happened are not.
 */
#ifndef TDSHIM_VIRTIO_SHARED_H
#define TDSHIM_VIRTIO_SHARED_H

/*
 * Thread safety: see Ownership above: no globals. A vshared_pool (and its bitmap and pages) is
 * state of one user: every call on one pool from one thread at a time (the firmware's drivers run
 * on one vCPU); different pools concurrently. The map_gpa / accept ops are called on the calling
 * thread.
 */

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library interface version; bumped on any incompatible change. 2: device addresses no longer
 * carry the shared bit. */
#define VSHARED_API_VERSION 2u

uint32_t vshared_api_version(void);

/* Page size of the pool and of every conversion (MapGPA and ACCEPT are done on 4 KiB pages). */
#define VSHARED_PAGE_SIZE 4096u

/* Largest pool: keeps every page count, byte count and bitmap index far from any overflow. */
#define VSHARED_MAX_PAGES (1u << 20) /* 4 GiB */

/* Bitmap words (uint64_t) the caller must supply for a pool of npages (two bits per page). */
#define VSHARED_BITMAP_WORDS(npages) ((size_t)2 * (((size_t)(npages) + 63u) / 64u))

/*
 * What the caller supplies. Every op returns TDS_OK or an error; on error the library assumes
 * nothing about how much of the range was changed.
 */
typedef struct vshared_ops {
    void *ctx; /* passed back to every op; owned by the caller */

    /*
     * Set the shared bit in the leaf PTEs that map [va, va+len) (the pool's own mapping, whose
     * private GPA is gpa), then flush the TLB. Called before MapGPA(shared) (the Intel TDX GHCI
     * specification, MapGPA; Linux arch/x86/coco/tdx/tdx.c tdx_map_gpa). The caller also flushes
     * caches here if its platform requires it.
     */
    tds_status (*set_shared)(void *ctx, void *va, uint64_t gpa, uint64_t len);

    /* Clear the shared bit in those PTEs and flush the TLB. Called after MapGPA(private) and
     * ACCEPT of the whole range. */
    tds_status (*clear_shared)(void *ctx, void *va, uint64_t gpa, uint64_t len);

    /*
     * Convert [gpa, gpa+len) with TDG.VP.VMCALL<MapGPA> (the Intel TDX GHCI specification, MapGPA):
     * gpa carries the shared bit to convert to shared, no shared bit to convert to private. The op
     * owns the retry rule and the range check of every resume address the VMM returns; wire it to
     * libtdcall's tdvmcall_map_gpa, which implements both. TDS_OK only when the VMM reported the
     * whole range done; any error otherwise (the library assumes nothing about partial progress).
     */
    tds_status (*map_gpa)(void *ctx, uint64_t gpa, uint64_t len);

    /*
     * TDG.MEM.PAGE.ACCEPT every page of the private range [gpa, gpa+len) (shared bit clear).
     * TDS_OK when every page is now accepted, including pages that were already accepted.
     */
    tds_status (*accept)(void *ctx, uint64_t gpa, uint64_t len);

    /* 1 << (GPAW - 1): bit 47 (GPAW 48) or bit 51 (GPAW 52); nothing else is accepted (4). */
    uint64_t shared_mask;
} vshared_ops;

/* Shared-bit mask for a GPAW from TDG.VP.INFO: 48 -> bit 47, 52 -> bit 51, else unsupported. */
TDS_MUST_USE tds_status vshared_shared_mask_from_gpaw(uint32_t gpaw, uint64_t *mask);

typedef enum vshared_pool_state {
    VSHARED_POOL_UNINIT = 0, /* no pages converted (never set up, or released) */
    VSHARED_POOL_READY,      /* every pool page shared (as the VMM reported); allocation works */
    /*
     * A conversion failed and could not be rolled back: pool pages may be in any conversion
     * state, so none is handed out or touched. Only vshared_pool_release() is allowed (it
     * retries the conversion back to private); everything else returns TDS_ERR_STATE.
     */
    VSHARED_POOL_BROKEN,
} vshared_pool_state;

/* The pool. Caller-owned; the fields are private to the library (read them only in tests). */
typedef struct vshared_pool {
    vshared_ops ops;
    uint8_t *va;    /* pool base as the CPU addresses it (4 KiB aligned) */
    uint64_t gpa;   /* private GPA of the pool base (shared bit clear) */
    size_t npages;  /* pool size in pages */
    uint64_t *used; /* bit i set: page i is allocated */
    uint64_t *head; /* bit i set: page i is the first page of an allocation */
    size_t words;   /* words in each of used / head */
    size_t free_pages;
    vshared_pool_state state;
    tds_status last_error; /* first error that broke the pool (sticky), else TDS_OK */
} vshared_pool;

/*
 * Build a pool from npages private, accepted pages at va (CPU address) / gpa (private GPA).
 * Steps: scrub the pages (private data never reaches shared memory), set_shared, map_gpa(shared).
 * bitmap: VSHARED_BITMAP_WORDS(npages) caller-owned words, used for the pool's whole life.
 * pool MUST be zero-initialised (or released) before its first init. Neither *pool nor the
 * bitmap may lie inside the pool pages (they would become VMM-writable).
 *
 * Errors: TDS_ERR_INVALID_ARG (NULL, npages 0 or > VSHARED_MAX_PAGES, missing op, bad mask,
 * gpa with the shared bit, range reaching the shared bit, pool or bitmap inside the pool pages),
 * TDS_ERR_ALIGNMENT (va or gpa not
 * page aligned), TDS_ERR_OVERFLOW (range wraps), TDS_ERR_NO_SPACE (bitmap too small),
 * TDS_ERR_STATE (pool already READY or BROKEN: release it first), or the error of the op that
 * failed (from tdvmcall_map_gpa: TDS_ERR_VMM for a VMM error, a retry storm or a nonsense resume
 * address).
 * After a conversion error the library rolls back (MapGPA private, accept, clear_shared, scrub);
 * the pool is then UNINIT with every page private and accepted again, or, if the rollback fails
 * too, BROKEN. Either way the conversion's error is returned.
 */
TDS_MUST_USE tds_status vshared_pool_init(vshared_pool *pool, const vshared_ops *ops, void *va,
                                          uint64_t gpa, size_t npages, uint64_t *bitmap,
                                          size_t bitmap_words);

/*
 * Convert the whole pool back to private: map_gpa(private), accept, clear the shared bit in the
 * PTEs, scrub every page through its private mapping. READY pools must
 * have no allocation left (TDS_ERR_STATE otherwise, nothing changed). A BROKEN pool may be
 * released at any time (this is how it is recovered). On success the pool is UNINIT. On error
 * the pool is BROKEN and the error is returned (and kept in last_error if it is the first).
 */
TDS_MUST_USE tds_status vshared_pool_release(vshared_pool *pool);

vshared_pool_state vshared_pool_get_state(const vshared_pool *pool);
/* The error that broke the pool (TDS_OK when it is not BROKEN). */
tds_status vshared_pool_last_error(const vshared_pool *pool);
size_t vshared_pool_free_pages(const vshared_pool *pool);

/* A shared allocation. */
typedef struct vshared_buffer {
    void *host;           /* CPU address (page aligned) */
    uint64_t device_addr; /* what a device is given: private GPA of host, shared bit clear */
    size_t pages;
} vshared_buffer;

/*
 * First-fit allocation of pages contiguous pool pages, zeroed before it is returned.
 * Errors: TDS_ERR_INVALID_ARG (pages 0, NULL), TDS_ERR_STATE (pool not READY),
 * TDS_ERR_NO_SPACE (no free run that long: exhaustion or fragmentation; nothing changed).
 */
TDS_MUST_USE tds_status vshared_alloc(vshared_pool *pool, size_t pages, vshared_buffer *out);

/*
 * Free the allocation that starts at host (the exact pointer vshared_alloc returned). Its pages
 * are zeroed before they become free. Errors: TDS_ERR_INVALID_ARG (not a pool page, or not the
 * first page of an allocation: double free, interior pointer), TDS_ERR_ALIGNMENT, TDS_ERR_STATE.
 */
TDS_MUST_USE tds_status vshared_free(vshared_pool *pool, void *host);

/* EDK2 EDKII_IOMMU_OPERATION, the three non-64-bit-specific cases. */
typedef enum vshared_op {
    VSHARED_BUS_MASTER_READ = 1,   /* device reads: private data copied to a bounce at map */
    VSHARED_BUS_MASTER_WRITE = 2,  /* device writes: bounce copied back to private at unmap */
    VSHARED_BUS_MASTER_COMMON = 3, /* host is already a shared allocation; no copy */
} vshared_op;

/* One mapping. Caller-owned; filled by vshared_map, consumed (and cleared) by vshared_unmap. */
typedef struct vshared_mapping {
    vshared_op op;
    uint8_t *host;   /* the caller's buffer (private for READ/WRITE, shared for COMMON) */
    size_t len;      /* mapped length: the only bound of the copy back */
    uint8_t *bounce; /* first bounce page (READ/WRITE), NULL for COMMON */
    size_t bounce_pages;
    /* What the device is given: the private GPA (shared bit clear) of the bounce (READ/WRITE)
     * or of host (COMMON: the allocation's device address + the offset of host in it).
     * The mapped range lies below the shared bit: device_addr + len <= 1 << (GPAW - 1). */
    uint64_t device_addr;
} vshared_mapping;

/*
 * Map len bytes at host for a device.
 *  READ:   host MUST be private memory outside the pool; a zeroed bounce of ceil(len/4K) pages
 *          is allocated and len bytes are copied into it.
 *  WRITE:  same allocation, nothing copied yet (the bounce stays zero until the device writes).
 *  COMMON: [host, host+len) MUST lie inside one live allocation of this pool; no copy.
 * Errors: TDS_ERR_INVALID_ARG (NULL, len 0, unknown op, READ/WRITE buffer overlapping the pool,
 * COMMON buffer not inside one allocation), TDS_ERR_OVERFLOW (host+len wraps), TDS_ERR_STATE,
 * TDS_ERR_NO_SPACE. out is written only on success.
 */
TDS_MUST_USE tds_status vshared_map(vshared_pool *pool, vshared_op op, void *host, size_t len,
                                    vshared_mapping *out);

/*
 * End a mapping. WRITE: copy exactly m->len bytes (the mapped length, never a length the device
 * reported) from the bounce into the private buffer, once. READ/WRITE: zero the bounce, free it.
 * COMMON: nothing to copy; the allocation stays (free it with vshared_free). *m is cleared on
 * success, so a second unmap of the same struct fails with TDS_ERR_INVALID_ARG.
 * Errors: TDS_ERR_INVALID_ARG (m not a live mapping of this pool, including a device_addr that
 * is not the one vshared_map returned), TDS_ERR_STATE.
 */
TDS_MUST_USE tds_status vshared_unmap(vshared_pool *pool, vshared_mapping *m);

#ifdef __cplusplus
}
#endif

#endif
