/* Micro-benchmark: p->count calls through the import table. flags 0: the bare host_nop stub
 * (the hook fires and does nothing); flags 1: ntohl, a trivial export, through the import table. */
#include "guest_rt.h"

int guest_main(struct guest_params *p)
{
    u32 n = p->count, acc = 0, i;
    if (p->flags == 0) {
        for (i = 0; i < n; ++i)
            host_nop();
    } else {
        for (i = 0; i < n; ++i)
            acc += ntohl(i);
    }
    p->out[0] = acc;
    return 0;
}
