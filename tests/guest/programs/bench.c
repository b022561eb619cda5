/* Micro-benchmark: p->count calls through the import pointer array. flags 0: the bare host_nop
 * stub (the hook fires and does nothing); 1: ntohl, a trivial export, through the import table;
 * 2: host_echo (the hook reads the registers and writes r3, without the import table). */
#include "guest_rt.h"

int guest_main(struct guest_params *p)
{
    u32 n = p->count, acc = 0, i;
    if (p->flags == 0) {
        for (i = 0; i < n; ++i)
            host_nop();
    } else if (p->flags == 1) {
        for (i = 0; i < n; ++i)
            acc += ntohl(i);
    } else {
        for (i = 0; i < n; ++i)
            acc += host_echo(i);
    }
    p->out[0] = acc;
    return 0;
}
