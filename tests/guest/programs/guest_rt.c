/* guest_rt.c - the guest programs' runtime: the program header, the import section, the import
 * pointer array and the few libc functions gcc may call even in a freestanding build. */
#include "guest_rt.h"

extern char __bss_begin[], __bss_end[];

/* The import section: {library, name} pairs, in the order of enum guest_import_index. */
__attribute__((section(".wiiu_imports"), used)) const struct guest_import wiiu_imports[GUEST_IMPORT_COUNT] = {
#define GUEST_IMPORT_NAME(lib, ret, name, params, args) {lib, #name},
    GUEST_IMPORTS(GUEST_IMPORT_NAME)
#undef GUEST_IMPORT_NAME
};

/* Filled by the loader with stub addresses; read-only once the program runs. */
__attribute__((section(".wiiu_import_ptrs"), used)) void *wiiu_import_ptrs[GUEST_IMPORT_COUNT];

__attribute__((section(".wiiu_header"), used)) const struct guest_header wiiu_header = {
    GUEST_MAGIC,
    (u32)&guest_main,
    (u32)&wiiu_imports[0],
    (u32)&wiiu_imports[GUEST_IMPORT_COUNT],
    (u32)&wiiu_import_ptrs[0],
    (u32)__bss_begin,
    (u32)__bss_end,
};

void *memcpy(void *dst, const void *src, size_t n)
{
    u8 *d = dst;
    const u8 *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    u8 *d = dst;
    while (n--)
        *d++ = (u8)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const u8 *x = a, *y = b;
    for (; n; --n, ++x, ++y)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        ++n;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; --n, ++a, ++b) {
        if (*a != *b)
            return (u8)*a < (u8)*b ? -1 : 1;
        if (!*a)
            return 0;
    }
    return 0;
}
