/* Remote-driver benchmark client: built against Debian's libvirt headers, run once with the real
 * libvirt.so.0 and once with oxvirt's (LD_LIBRARY_PATH), against the same kind of daemon.
 * usage: bench URI NULL_CALLS LIST_ROUNDS  -> prints "null_us=<per call> list_ms=<per round> n=<domains>" */
#include <libvirt/libvirt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s URI NULL_CALLS LIST_ROUNDS\n", argv[0]); return 2; }
    int calls = atoi(argv[2]), rounds = atoi(argv[3]);
    virConnectPtr c = virConnectOpen(argv[1]);
    if (!c) return 1;
    unsigned long v;
    /* warm up */
    for (int i = 0; i < 100; i++) if (virConnectGetLibVersion(c, &v) < 0) return 1;
    double t0 = now();
    for (int i = 0; i < calls; i++)
        if (virConnectGetLibVersion(c, &v) < 0) return 1;
    double t1 = now();
    int n = 0;
    double t2 = now();
    for (int r = 0; r < rounds; r++) {
        virDomainPtr *doms = NULL;
        n = virConnectListAllDomains(c, &doms, 0);
        if (n < 0) return 1;
        for (int i = 0; i < n; i++) virDomainFree(doms[i]);
        free(doms);
    }
    double t3 = now();
    printf("null_us=%.2f list_ms=%.3f n=%d\n", (t1 - t0) / calls * 1e6,
           (t3 - t2) / rounds * 1e3, n);
    virConnectClose(c);
    return 0;
}
