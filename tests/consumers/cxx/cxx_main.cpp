// An outside C++ program: every installed header in one translation unit, compiled as C++11
// with -pedantic, calling into four libraries (C linkage from the headers' extern "C").
#include <cstdio>

#include "tdshim/accept.h"
#include "tdshim/accept_bitmap.h"
#include "tdshim/accept_tdcall.h"
#include "tdshim/acpi.h"
#include "tdshim/base.h"
#include "tdshim/ccel.h"
#include "tdshim/ccel_boot.h"
#include "tdshim/ccel_events.h"
#include "tdshim/checked.h"
#include "tdshim/compiler.h"
#include "tdshim/cursor.h"
#include "tdshim/endian.h"
#include "tdshim/guid.h"
#include "tdshim/linux_boot.h"
#include "tdshim/loader.h"
#include "tdshim/madt.h"
#include "tdshim/mailbox.h"
#include "tdshim/mailbox_abi.h"
#include "tdshim/mailbox_fw.h"
#include "tdshim/mailbox_ops.h"
#include "tdshim/mailbox_os.h"
#include "tdshim/mem.h"
#include "tdshim/rtmr.h"
#include "tdshim/rtmr_tdcall.h"
#include "tdshim/secboot.h"
#include "tdshim/slice.h"
#include "tdshim/status.h"
#include "tdshim/tdcall.h"
#include "tdshim/tdcall_regs_offsets.h"
#include "tdshim/tdhob.h"
#include "tdshim/tdhob_wire.h"
#include "tdshim/tdvf.h"
#include "tdshim/tdvmcall.h"
#include "tdshim/tdx_emu.h"
#include "tdshim/tdx_emu_backend.h"
#include "tdshim/tdx_ve.h"
#include "tdshim/virtio_shared.h"

int main()
{
    int three[3] = {0, 0, 0};
    static_assert(TDS_ARRAY_LEN(three) == 3, "TDS_ARRAY_LEN in C++");
    uint64_t end = 0;
    if (tds_range_end(UINT64_MAX, 1, &end) != TDS_ERR_OVERFLOW || three[0] != 0) {
        return 1;
    }
    const unsigned sum = tdcall_api_version() + tdhob_api_version() + accept_api_version() +
                         rtmr_api_version() + mbox_api_version() + vshared_api_version();
    std::printf("c++ consumer linked 6 libraries (api versions sum %u, status '%s')\n", sum,
                tds_status_str(TDS_ERR_OVERFLOW));
    return 0;
}
