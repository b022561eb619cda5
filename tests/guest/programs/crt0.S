/* crt0.S - the guest programs' start-up code. The loader (the test runner, an emulator's or the
 * console's) has placed the sections, zeroed .bss, applied the relocations and bound the imports;
 * _start calls guest_main with the loader's first argument and hands its result to coreinit's
 * exit, as an RPX's start-up code does. */
    .section .text._start, "ax", @progbits
    .global _start
    .type _start, @function
_start:
    stwu 1, -16(1)
    mflr 0
    stw 0, 20(1)
    bl guest_main               /* R_PPC_REL24: code to code, always in range */
    lis 12, exit@ha             /* exit is an import at the loader's addresses: too far for bl */
    addi 12, 12, exit@l
    mtctr 12
    bctrl
    lwz 0, 20(1)                /* exit does not return; if a loader's does, return the result */
    mtlr 0
    addi 1, 1, 16
    blr
    .size _start, . - _start
