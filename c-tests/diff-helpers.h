/* Helpers for differential C programs (c-tests/diff-*.c): built against Debian's libvirt 9.0.0,
 * run against it and against oxvirt; run.sh requires identical output after the LIB line. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static void diff_quiet(void *u, virErrorPtr e) { (void)u; (void)e; }

/* First line of output: which libvirt.so.0 this process uses. */
static void diff_start(void)
{
    Dl_info info;
    if (dladdr((void *)virGetVersion, &info) && info.dli_fname) {
        char *p = realpath(info.dli_fname, NULL);
        printf("LIB %s\n", p ? p : info.dli_fname);
        free(p);
    }
    virInitialize();
    virSetErrorFunc(NULL, diff_quiet);
}

/* A result and the thread's last error. */
static void diff_show(const char *what, long long ret)
{
    virErrorPtr e = virGetLastError();
    printf("%s -> %lld", what, ret);
    if (e)
        printf(" [code=%d domain=%d msg=%s str1=%s str2=%s int1=%d]", e->code, e->domain,
               e->message ? e->message : "-", e->str1 ? e->str1 : "-",
               e->str2 ? e->str2 : "-", e->int1);
    printf("\n");
}
