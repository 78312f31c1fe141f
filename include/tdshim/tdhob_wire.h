/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Wire layouts of the HOBs libtdhob reads and writes (PI spec vol. 3; EDK2 MdePkg/Include/Pi/
 * PiHob.h; edk2 MdePkg/Include/Pi/PiHob.h and td-shim doc/tdshim_spec.md, payload hand-off). One
 * definition per layout: the parser and the builder take every field offset from these structs with
 * offsetof(), and the offsets are locked below. The structs are NEVER overlaid on untrusted bytes
 * (safe-C rule 5, docs/safe-c.md); fields are read with little-endian byte loads at these offsets.
 */
#ifndef TDSHIM_TDHOB_WIRE_H
#define TDSHIM_TDHOB_WIRE_H

/*
 * Thread safety: layouts and constants only.
 */

#include <stddef.h>
#include <stdint.h>

#include "tdshim/compiler.h"

#ifdef __cplusplus
extern "C" {
#endif

/* HOB type codes (the UEFI PI specification vol. 3, HOB list rules; edk2
 * MdePkg/Include/Pi/PiHob.h). */
#define TDHOB_TYPE_HANDOFF 0x0001u
#define TDHOB_TYPE_MEMORY_ALLOCATION 0x0002u
#define TDHOB_TYPE_RESOURCE_DESCRIPTOR 0x0003u
#define TDHOB_TYPE_GUID_EXTENSION 0x0004u
#define TDHOB_TYPE_FV 0x0005u
#define TDHOB_TYPE_CPU 0x0006u
#define TDHOB_TYPE_MEMORY_POOL 0x0007u
#define TDHOB_TYPE_FV2 0x0009u
#define TDHOB_TYPE_LOAD_PEIM_UNUSED 0x000Au
#define TDHOB_TYPE_UEFI_CAPSULE 0x000Bu
#define TDHOB_TYPE_FV3 0x000Cu
#define TDHOB_TYPE_UNUSED 0xFFFEu
#define TDHOB_TYPE_END_OF_HOB_LIST 0xFFFFu

/* Resource types (edk2 MdePkg/Include/Pi/PiHob.h). 7 = MEMORY_UNACCEPTED (PI code-first BZ3937). */
#define TDHOB_RES_SYSTEM_MEMORY 0u
#define TDHOB_RES_MEMORY_MAPPED_IO 1u
#define TDHOB_RES_IO 2u
#define TDHOB_RES_FIRMWARE_DEVICE 3u
#define TDHOB_RES_MEMORY_MAPPED_IO_PORT 4u
#define TDHOB_RES_MEMORY_RESERVED 5u
#define TDHOB_RES_IO_RESERVED 6u
#define TDHOB_RES_MEMORY_UNACCEPTED 7u
#define TDHOB_RES_TYPE_COUNT 8u

/* Resource attributes: every bit the PI list defines (0x1 PRESENT .. 0x10000000 HOT_PLUGGABLE). */
#define TDHOB_ATTR_PRESENT 0x00000001u
#define TDHOB_ATTR_INITIALIZED 0x00000002u
#define TDHOB_ATTR_TESTED 0x00000004u
#define TDHOB_ATTR_UNCACHEABLE 0x00000400u
#define TDHOB_ATTR_ENCRYPTED 0x04000000u
#define TDHOB_ATTR_KNOWN_MASK 0x1FFFFFFFu
/* What QEMU writes for RAM (tdvf-hob.h) and what cloud-hypervisor / older VMMs write. */
#define TDHOB_ATTR_QEMU_RAM 0x00000007u
#define TDHOB_ATTR_LEGACY_RAM 0x04000007u
#define TDHOB_ATTR_MMIO 0x00000403u

#define TDHOB_PHIT_VERSION 0x0009u

/* PI boot modes (EDK2 Pi/PiBootMode.h). */
#define TDHOB_BOOT_WITH_FULL_CONFIGURATION 0x00u

typedef struct tdhob_wire_header {
    uint16_t hob_type;
    uint16_t hob_length;
    uint32_t reserved;
} tdhob_wire_header;
TDS_ASSERT_SIZE(tdhob_wire_header, 8);
TDS_ASSERT_OFFSET(tdhob_wire_header, hob_type, 0);
TDS_ASSERT_OFFSET(tdhob_wire_header, hob_length, 2);
TDS_ASSERT_OFFSET(tdhob_wire_header, reserved, 4);

typedef struct tdhob_wire_phit {
    tdhob_wire_header header;
    uint32_t version;
    uint32_t boot_mode;
    uint64_t efi_memory_top;
    uint64_t efi_memory_bottom;
    uint64_t efi_free_memory_top;
    uint64_t efi_free_memory_bottom;
    uint64_t efi_end_of_hob_list;
} tdhob_wire_phit;
TDS_ASSERT_SIZE(tdhob_wire_phit, 56);
TDS_ASSERT_OFFSET(tdhob_wire_phit, version, 8);
TDS_ASSERT_OFFSET(tdhob_wire_phit, boot_mode, 12);
TDS_ASSERT_OFFSET(tdhob_wire_phit, efi_memory_top, 16);
TDS_ASSERT_OFFSET(tdhob_wire_phit, efi_memory_bottom, 24);
TDS_ASSERT_OFFSET(tdhob_wire_phit, efi_free_memory_top, 32);
TDS_ASSERT_OFFSET(tdhob_wire_phit, efi_free_memory_bottom, 40);
TDS_ASSERT_OFFSET(tdhob_wire_phit, efi_end_of_hob_list, 48);

typedef struct tdhob_wire_resource {
    tdhob_wire_header header;
    uint8_t owner[16];
    uint32_t resource_type;
    uint32_t resource_attribute;
    uint64_t physical_start;
    uint64_t resource_length;
} tdhob_wire_resource;
TDS_ASSERT_SIZE(tdhob_wire_resource, 48);
TDS_ASSERT_OFFSET(tdhob_wire_resource, owner, 8);
TDS_ASSERT_OFFSET(tdhob_wire_resource, resource_type, 24);
TDS_ASSERT_OFFSET(tdhob_wire_resource, resource_attribute, 28);
TDS_ASSERT_OFFSET(tdhob_wire_resource, physical_start, 32);
TDS_ASSERT_OFFSET(tdhob_wire_resource, resource_length, 40);

typedef struct tdhob_wire_memalloc {
    tdhob_wire_header header;
    uint8_t name[16];
    uint64_t memory_base_address;
    uint64_t memory_length;
    uint32_t memory_type;
    uint8_t reserved[4];
} tdhob_wire_memalloc;
TDS_ASSERT_SIZE(tdhob_wire_memalloc, 48);
TDS_ASSERT_OFFSET(tdhob_wire_memalloc, name, 8);
TDS_ASSERT_OFFSET(tdhob_wire_memalloc, memory_base_address, 24);
TDS_ASSERT_OFFSET(tdhob_wire_memalloc, memory_length, 32);
TDS_ASSERT_OFFSET(tdhob_wire_memalloc, memory_type, 40);
TDS_ASSERT_OFFSET(tdhob_wire_memalloc, reserved, 44);

typedef struct tdhob_wire_guid {
    tdhob_wire_header header;
    uint8_t name[16];
    /* data follows at offset 24, HobLength - 24 bytes (the producer pads to 8) */
} tdhob_wire_guid;
TDS_ASSERT_SIZE(tdhob_wire_guid, 24);
TDS_ASSERT_OFFSET(tdhob_wire_guid, name, 8);

typedef struct tdhob_wire_fv {
    tdhob_wire_header header;
    uint64_t base_address;
    uint64_t length;
} tdhob_wire_fv;
TDS_ASSERT_SIZE(tdhob_wire_fv, 24);
TDS_ASSERT_OFFSET(tdhob_wire_fv, base_address, 8);
TDS_ASSERT_OFFSET(tdhob_wire_fv, length, 16);

typedef struct tdhob_wire_fv2 {
    tdhob_wire_header header;
    uint64_t base_address;
    uint64_t length;
    uint8_t fv_name[16];
    uint8_t file_name[16];
} tdhob_wire_fv2;
TDS_ASSERT_SIZE(tdhob_wire_fv2, 56);
TDS_ASSERT_OFFSET(tdhob_wire_fv2, fv_name, 24);
TDS_ASSERT_OFFSET(tdhob_wire_fv2, file_name, 40);

typedef struct tdhob_wire_fv3 {
    tdhob_wire_header header;
    uint64_t base_address;
    uint64_t length;
    uint32_t authentication_status;
    uint8_t extracted_fv;
    uint8_t pad[3]; /* implicit padding in PiHob.h; this library requires it zero */
    uint8_t fv_name[16];
    uint8_t file_name[16];
} tdhob_wire_fv3;
TDS_ASSERT_SIZE(tdhob_wire_fv3, 64);
TDS_ASSERT_OFFSET(tdhob_wire_fv3, authentication_status, 24);
TDS_ASSERT_OFFSET(tdhob_wire_fv3, extracted_fv, 28);
TDS_ASSERT_OFFSET(tdhob_wire_fv3, pad, 29);
TDS_ASSERT_OFFSET(tdhob_wire_fv3, fv_name, 32);
TDS_ASSERT_OFFSET(tdhob_wire_fv3, file_name, 48);

typedef struct tdhob_wire_cpu {
    tdhob_wire_header header;
    uint8_t size_of_memory_space;
    uint8_t size_of_io_space;
    uint8_t reserved[6];
} tdhob_wire_cpu;
TDS_ASSERT_SIZE(tdhob_wire_cpu, 16);
TDS_ASSERT_OFFSET(tdhob_wire_cpu, size_of_memory_space, 8);
TDS_ASSERT_OFFSET(tdhob_wire_cpu, size_of_io_space, 9);
TDS_ASSERT_OFFSET(tdhob_wire_cpu, reserved, 10);

/* td-shim payload info GUID HOB data (td-shim doc/tdshim_spec.md, payload hand-off, td-shim
 * doc/tdshim_spec.md, GUID HOBs). */
typedef struct tdhob_wire_payload_info {
    uint32_t image_type;
    uint32_t reserved;
    uint64_t entry_point;
} tdhob_wire_payload_info;
TDS_ASSERT_SIZE(tdhob_wire_payload_info, 16);
TDS_ASSERT_OFFSET(tdhob_wire_payload_info, reserved, 4);
TDS_ASSERT_OFFSET(tdhob_wire_payload_info, entry_point, 8);

/* One E820 entry, packed (20 bytes; Linux Documentation/arch/x86/zero-page.rst, E820, td-shim
 * td-shim/src/e820.rs). */
typedef struct TDS_PACKED tdhob_wire_e820 {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} tdhob_wire_e820;
TDS_ASSERT_SIZE(tdhob_wire_e820, 20);
TDS_ASSERT_OFFSET(tdhob_wire_e820, size, 8);
TDS_ASSERT_OFFSET(tdhob_wire_e820, type, 16);

/* ACPI table header: only the length field (u32 at offset 4 of a 36-byte header) is read. */
#define TDHOB_ACPI_HEADER_SIZE 36u
#define TDHOB_ACPI_LENGTH_OFFSET 4u

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_TDHOB_WIRE_H */
