// SPDX-License-Identifier: MIT
/* Parameters of an extended AT command: comma-separated integers and
 * double-quoted strings (commas inside quotes are data). */
#include <stdlib.h>
#include <string.h>

#include "emu.h"

bool emu_args_parse(char *s, emu_args *a)
{
    a->n = 0;
    if (*s == '\0')
        return true;
    for (;;) {
        if (a->n == EMU_ARGS_MAX)
            return false;
        while (*s == ' ')
            s++;
        a->quoted[a->n] = *s == '"';
        if (*s == '"') {
            char *end = strchr(s + 1, '"');
            if (end == NULL)
                return false;
            a->v[a->n++] = s + 1;
            *end = '\0';
            s = end + 1;
            while (*s == ' ')
                s++;
        } else {
            a->v[a->n++] = s;
            s += strcspn(s, ",");
            char *t = s;
            while (t > a->v[a->n - 1] && t[-1] == ' ')
                t--;
            if (*s == '\0') {
                *t = '\0';
                return true;
            }
            *t = '\0';
            if (t != s)
                *s = '\0';
            s++;
            continue;
        }
        if (*s == '\0')
            return true;
        if (*s != ',')
            return false;
        *s++ = '\0';
    }
}

bool emu_arg_int(const emu_args *a, int i, long lo, long hi, long *out)
{
    if (i >= a->n || a->quoted[i] || a->v[i][0] == '\0')
        return false;
    char *end;
    long v = strtol(a->v[i], &end, 10);
    if (*end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool emu_arg_str(const emu_args *a, int i, size_t max, const char **out)
{
    if (i >= a->n || !a->quoted[i] || strlen(a->v[i]) > max)
        return false;
    *out = a->v[i];
    return true;
}
