/* An outside program linking every library through the installed headers. */
#include <stdio.h>

#include "tdshim/accept.h"
#include "tdshim/base.h"
#include "tdshim/mailbox.h"
#include "tdshim/rtmr.h"
#include "tdshim/tdcall.h"
#include "tdshim/tdhob.h"
#include "tdshim/virtio_shared.h"

int main(void)
{
    uint64_t end = 0;
    if (tds_range_end(UINT64_MAX, 1, &end) != TDS_ERR_OVERFLOW) {
        return 1;
    }
    unsigned sum = tdcall_api_version() + tdhob_api_version() + accept_api_version() +
                   rtmr_api_version() + mbox_api_version() + vshared_api_version();
    printf("consumer linked 6 libraries (api versions sum %u)\n", sum);
    return 0;
}
