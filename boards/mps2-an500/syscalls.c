// SPDX-License-Identifier: MIT
/* newlib's system calls: the heap from sbrk (with its high-water mark),
 * stdout and stderr to the console, exit through semihosting. */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdint.h>
#include <sys/stat.h>

#include "mps2.h"
#include "mps2_regs.h"

extern char __heap_start[], __heap_end[];
extern uint32_t __stack_limit[], __stack_top[];

static char *brk = __heap_start;
static char *brk_peak = __heap_start;

void *_sbrk(intptr_t incr);
int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
int _open(const char *path, int flags, ...);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int off, int whence);
int _kill(int pid, int sig);
int _getpid(void);
void _exit(int status);

void *_sbrk(intptr_t incr)
{
    if (incr > __heap_end - brk || incr < __heap_start - brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *old = brk;
    brk += incr;
    if (brk > brk_peak)
        brk_peak = brk;
    return old;
}

size_t bri_mps2_heap_peak(void)
{
    return (size_t)(brk_peak - __heap_start);
}

/* Every allocation in newlib (malloc, calloc, realloc when it moves,
 * strdup, stdio's buffers) goes through _malloc_r, wrapped by the link
 * (--wrap=_malloc_r): what is in use can only have grown just after one. */
void *__real__malloc_r(struct _reent *r, size_t n);
void *__wrap__malloc_r(struct _reent *r, size_t n);
static size_t in_use_peak;

void *__wrap__malloc_r(struct _reent *r, size_t n)
{
    void *p = __real__malloc_r(r, n);
    if (p != NULL) {
        struct mallinfo mi = mallinfo();
        if ((size_t)mi.uordblks > in_use_peak)
            in_use_peak = (size_t)mi.uordblks;
    }
    return p;
}

size_t bri_mps2_heap_in_use_peak(void)
{
    return in_use_peak;
}

size_t bri_mps2_stack_peak(void)
{
    const uint32_t *p = __stack_limit;
    while (p < __stack_top && *p == MPS2_STACK_PAINT)
        p++;
    return (size_t)((const char *)__stack_top - (const char *)p);
}

size_t bri_mps2_stack_size(void)
{
    return (size_t)((const char *)__stack_top - (const char *)__stack_limit);
}

int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    bri_mps2_console_write(buf, (size_t)len);
    return len;
}

int _read(int fd, char *buf, int len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return 0; /* the console is read with bri_mps2_console_getc() */
}

int _open(const char *path, int flags, ...)
{
    (void)path;
    (void)flags;
    errno = ENOENT; /* no file system: the configuration is compiled in */
    return -1;
}

int _close(int fd)
{
    (void)fd;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

int _lseek(int fd, int off, int whence)
{
    (void)fd;
    (void)off;
    (void)whence;
    return 0;
}

int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

int _getpid(void)
{
    return 1;
}

void _exit(int status)
{
    bri_mps2_exit(status);
}
