/* dlopen("libvirt.so.0") finds oxvirt through LD_LIBRARY_PATH and its entry points work. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    const char *want = getenv("OXVIRT_EXPECT_LIB");
    void *h = dlopen("libvirt.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    int (*get_version)(unsigned long *, const char *, unsigned long *);
    void *(*open_conn)(const char *);
    int (*num)(void *);
    int (*close_conn)(void *);
    *(void **)&get_version = dlsym(h, "virGetVersion");
    *(void **)&open_conn = dlsym(h, "virConnectOpen");
    *(void **)&num = dlsym(h, "virConnectNumOfDomains");
    *(void **)&close_conn = dlsym(h, "virConnectClose");
    /* Versioned lookup, as a binary linked against libvirt does it. */
    void *versioned = dlvsym(h, "virConnectListAllDomains", "LIBVIRT_0.9.13");
    int failed = 0;
    Dl_info info;
    if (!get_version || !open_conn || !num || !close_conn || !versioned) {
        fprintf(stderr, "dlsym failed\n");
        failed = 1;
    } else if (!dladdr((void *)open_conn, &info) || !info.dli_fname) {
        failed = 1;
    } else {
        char *real = realpath(info.dli_fname, NULL);
        printf("loaded: %s\n", real ? real : info.dli_fname);
        if (want && (!real || strcmp(real, want) != 0)) {
            fprintf(stderr, "expected %s\n", want);
            failed = 1;
        }
        free(real);
        unsigned long v = 0;
        if (get_version(&v, NULL, NULL) != 0 || v != 9000000)
            failed = 1;
        void *c = open_conn("test:///default");
        if (!c || num(c) != 1 || close_conn(c) != 0)
            failed = 1;
    }
    dlclose(h);
    printf("test-dlopen: %s\n", failed ? "FAILED" : "ok");
    return failed;
}
