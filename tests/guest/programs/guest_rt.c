/* guest_rt.c - the few libc functions gcc may call even in a freestanding build (struct copies
 * and initialisations become memcpy/memset calls). */
#include "guest_rt.h"

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
