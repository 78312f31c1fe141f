/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The virtio-style ring driver and device of ring.h. */
#include "ring.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define PGSZ ((size_t)VSHARED_PAGE_SIZE)

enum {
    QSZ = 8,
    DESC_OFF = 0,
    AVAIL_OFF = 128,
    USED_OFF = 256,
    F_NEXT = 1,
    F_WRITE = 2,
    HDR_LEN = 16,
    PAYLOAD_LEN = 5000,
    RESP_LEN = 3000,
    CANARY_LEN = 32,
    LOG_LEN = 64,
};

typedef struct request {
    uint8_t hdr[HDR_LEN];
    uint8_t payload[PAYLOAD_LEN];
    uint8_t resp[RESP_LEN + CANARY_LEN];
    uint8_t status[1 + CANARY_LEN];
    vshared_mapping map[4];
} request;

typedef struct device {
    const ring_env *re;
    uint64_t ring_dev;
    uint64_t log_dev;
    uint16_t last_avail;
    bool hostile;
} device;

static void put_desc(uint8_t *ring, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
                     uint16_t next)
{
    uint8_t *d = ring + DESC_OFF + (size_t)16 * i;
    tds_store_le64(d, addr);
    tds_store_le32(d + 8, len);
    tds_store_le16(d + 12, flags);
    tds_store_le16(d + 14, next);
}

/* Device side: serve every available chain. */
static void device_run(device *dev)
{
    uint8_t *ring = dev->re->translate(dev->re->ctx, dev->ring_dev, PGSZ);
    uint8_t *log = dev->re->translate(dev->re->ctx, dev->log_dev, LOG_LEN);
    if (ring == NULL || log == NULL) {
        fail_msg("ring or log not shared");
        return;
    }
    uint16_t avail_idx = tds_load_le16(ring + AVAIL_OFF + 2);
    while (dev->last_avail != avail_idx) {
        uint16_t head = tds_load_le16(ring + AVAIL_OFF + 4 + (size_t)2 * (dev->last_avail % QSZ));
        uint16_t i = head;
        const uint8_t *hdr = NULL;
        const uint8_t *payload = NULL;
        uint32_t payload_len = 0;
        uint8_t *outs[2] = {NULL, NULL};
        uint32_t out_len[2] = {0, 0};
        size_t nout = 0;
        for (;;) {
            const uint8_t *d = ring + DESC_OFF + (size_t)16 * (i % QSZ);
            uint64_t addr = tds_load_le64(d);
            uint32_t len = tds_load_le32(d + 8);
            uint16_t flags = tds_load_le16(d + 12);
            uint8_t *p = dev->re->translate(dev->re->ctx, addr, len);
            if (p == NULL) {
                fail_msg("device address not shared");
                return;
            }
            if ((flags & F_WRITE) != 0) {
                assert_true(nout < 2);
                outs[nout] = p;
                out_len[nout] = len;
                nout++;
            } else if (hdr == NULL) {
                hdr = p;
            } else {
                payload = p;
                payload_len = len;
            }
            if ((flags & F_NEXT) == 0) {
                break;
            }
            i = tds_load_le16(d + 14);
        }
        if (hdr == NULL || payload == NULL || outs[0] == NULL || outs[1] == NULL) {
            fail_msg("malformed chain");
            return;
        }
        uint8_t key = hdr[0];
        uint32_t n = payload_len < out_len[0] ? payload_len : out_len[0];
        for (uint32_t j = 0; j < n; j++) {
            outs[0][j] = (uint8_t)(payload[j] ^ key);
        }
        outs[1][0] = 0; /* status OK */
        uint32_t used_len = n + 1u;
        if (dev->hostile) {
            /* Scribble past both write buffers up to the end of their bounce pages. */
            size_t room0 = PGSZ - ((uintptr_t)outs[0] % PGSZ);
            memset(outs[0] + out_len[0], 0xEE, room0 - out_len[0]);
            memset(outs[1] + 1, 0xEE, PGSZ - ((uintptr_t)outs[1] % PGSZ) - 1u);
            used_len = 0xFFFFFFFFu;
        }
        static const uint8_t served[6] = {'s', 'e', 'r', 'v', 'e', 'd'};
        memcpy(log, served, sizeof(served));
        log[6] = key;
        uint16_t used_idx = tds_load_le16(ring + USED_OFF + 2);
        uint8_t *elem = ring + USED_OFF + 4 + (size_t)8 * (used_idx % QSZ);
        tds_store_le32(elem, head);
        tds_store_le32(elem + 4, used_len);
        tds_store_le16(ring + USED_OFF + 2, (uint16_t)(used_idx + 1u));
        dev->last_avail++;
    }
}

static void fill_request(request *r, uint8_t key)
{
    memset(r, 0, sizeof(*r));
    r->hdr[0] = key;
    for (size_t j = 0; j < PAYLOAD_LEN; j++) {
        r->payload[j] = (uint8_t)(j * 13u + key);
    }
    memset(r->resp, 0xAA, sizeof(r->resp));
    memset(r->status, 0xAA, sizeof(r->status));
}

/* Driver side: map the four buffers, chain them at descriptors [base, base+4), publish. */
static void driver_submit(const ring_env *re, uint8_t *ring, request *r, uint16_t base,
                          uint16_t *avail)
{
    assert_int_equal(vshared_map(re->pool, VSHARED_BUS_MASTER_READ, r->hdr, HDR_LEN, &r->map[0]),
                     TDS_OK);
    assert_int_equal(
        vshared_map(re->pool, VSHARED_BUS_MASTER_READ, r->payload, PAYLOAD_LEN, &r->map[1]),
        TDS_OK);
    assert_int_equal(vshared_map(re->pool, VSHARED_BUS_MASTER_WRITE, r->resp, RESP_LEN, &r->map[2]),
                     TDS_OK);
    assert_int_equal(vshared_map(re->pool, VSHARED_BUS_MASTER_WRITE, r->status, 1, &r->map[3]),
                     TDS_OK);
    for (uint16_t k = 0; k < 4; k++) {
        uint16_t flags = (uint16_t)((k < 3 ? F_NEXT : 0) | (k >= 2 ? F_WRITE : 0));
        put_desc(ring, (uint16_t)(base + k), r->map[k].device_addr, (uint32_t)r->map[k].len, flags,
                 (uint16_t)(base + k + 1u));
    }
    tds_store_le16(ring + AVAIL_OFF + 4 + (size_t)2 * (*avail % QSZ), base);
    (*avail)++;
    tds_store_le16(ring + AVAIL_OFF + 2, *avail);
    re->check(re->ctx);
}

/* Driver side: take one used element (copied out of shared memory once), unmap its buffers. */
static void driver_complete(const ring_env *re, const uint8_t *ring, request *r, uint16_t base,
                            uint16_t *last_used, bool hostile)
{
    uint16_t used_idx = tds_load_le16(ring + USED_OFF + 2);
    assert_true(used_idx != *last_used);
    const uint8_t *elem = ring + USED_OFF + 4 + (size_t)8 * (*last_used % QSZ);
    uint32_t id = tds_load_le32(elem);
    uint32_t used_len = tds_load_le32(elem + 4);
    (*last_used)++;
    assert_int_equal(id, base);
    assert_int_equal(used_len, hostile ? 0xFFFFFFFFu : RESP_LEN + 1u);
    for (size_t k = 0; k < 4; k++) {
        const uint8_t *bounce = r->map[k].bounce;
        size_t bytes = r->map[k].bounce_pages * PGSZ;
        assert_int_equal(vshared_unmap(re->pool, &r->map[k]), TDS_OK);
        re->check(re->ctx);
        for (size_t j = 0; j < bytes; j++) {
            if (bounce[j] != 0) {
                fail_msg("bounce byte %zu not zero after unmap", j);
            }
        }
    }
    /* Exactly the mapped bytes arrived, whatever used_len said. */
    for (size_t j = 0; j < RESP_LEN; j++) {
        assert_int_equal(r->resp[j], (uint8_t)((uint8_t)(j * 13u + r->hdr[0]) ^ r->hdr[0]));
    }
    for (size_t j = RESP_LEN; j < sizeof(r->resp); j++) {
        assert_int_equal(r->resp[j], 0xAA);
    }
    assert_int_equal(r->status[0], 0);
    for (size_t j = 1; j < sizeof(r->status); j++) {
        assert_int_equal(r->status[j], 0xAA);
    }
}

void ring_run(const ring_env *re, unsigned rounds)
{
    size_t free0 = vshared_pool_free_pages(re->pool);
    vshared_buffer ring_buf;
    vshared_buffer log_buf;
    assert_int_equal(vshared_alloc(re->pool, 1, &ring_buf), TDS_OK);
    assert_int_equal(vshared_alloc(re->pool, 1, &log_buf), TDS_OK);
    vshared_mapping ring_map;
    vshared_mapping log_map;
    assert_int_equal(
        vshared_map(re->pool, VSHARED_BUS_MASTER_COMMON, ring_buf.host, PGSZ, &ring_map), TDS_OK);
    assert_int_equal(
        vshared_map(re->pool, VSHARED_BUS_MASTER_COMMON, log_buf.host, LOG_LEN, &log_map), TDS_OK);
    re->check(re->ctx);
    uint8_t *ring = ring_buf.host;
    device dev = {re, ring_map.device_addr, log_map.device_addr, 0, false};

    static request reqs[2];
    uint16_t avail = 0;
    uint16_t last_used = 0;
    for (unsigned round = 0; round < rounds; round++) {
        dev.hostile = (round % 2u) == 1u;
        fill_request(&reqs[0], (uint8_t)(0x10u + round));
        fill_request(&reqs[1], (uint8_t)(0x80u + round));
        driver_submit(re, ring, &reqs[0], 0, &avail);
        driver_submit(re, ring, &reqs[1], 4, &avail);
        /* 2 + (1 + 2 + 1 + 1) * 2 pages in use. */
        assert_int_equal(vshared_pool_free_pages(re->pool), free0 - 12u);
        device_run(&dev);
        /* The driver copies the device's log (COMMON) to private memory before looking at it. */
        uint8_t log_copy[LOG_LEN];
        memcpy(log_copy, log_buf.host, sizeof(log_copy));
        assert_memory_equal(log_copy, "served", 6);
        assert_int_equal(log_copy[6], 0x80u + round);
        driver_complete(re, ring, &reqs[0], 0, &last_used, dev.hostile);
        driver_complete(re, ring, &reqs[1], 4, &last_used, dev.hostile);
        assert_int_equal(vshared_pool_free_pages(re->pool), free0 - 2u);
    }
    assert_int_equal(vshared_unmap(re->pool, &ring_map), TDS_OK);
    assert_int_equal(vshared_unmap(re->pool, &log_map), TDS_OK);
    assert_int_equal(vshared_free(re->pool, ring_buf.host), TDS_OK);
    assert_int_equal(vshared_free(re->pool, log_buf.host), TDS_OK);
    assert_int_equal(vshared_pool_free_pages(re->pool), free0);
    re->check(re->ctx);
}
