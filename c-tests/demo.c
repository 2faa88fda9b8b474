/* oxvirt demo: list the domains of a connection (default test:///default). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static const char *state_name(int s)
{
    static const char *names[] = {"no state", "running", "blocked", "paused", "shutdown",
                                  "shut off", "crashed", "pmsuspended"};
    return s >= 0 && s < 8 ? names[s] : "?";
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    Dl_info info;
    if (dladdr((void *)virConnectOpen, &info) && info.dli_fname)
        printf("library:  %s\n", info.dli_fname);
    unsigned long ver = 0;
    virGetVersion(&ver, NULL, NULL);
    printf("version:  %lu.%lu.%lu\n", ver / 1000000, ver / 1000 % 1000, ver % 1000);

    virConnectPtr conn = virConnectOpenReadOnly(uri);
    if (!conn) {
        fprintf(stderr, "open %s: %s\n", uri, virGetLastErrorMessage());
        return 1;
    }
    char *curi = virConnectGetURI(conn);
    printf("uri:      %s (driver %s)\n", curi, virConnectGetType(conn));
    free(curi);

    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    if (n < 0) {
        fprintf(stderr, "list: %s\n", virGetLastErrorMessage());
        virConnectClose(conn);
        return 1;
    }
    printf("%-5s %-20s %-38s %s\n", "Id", "Name", "UUID", "State");
    for (int i = 0; i < n; i++) {
        char uuid[VIR_UUID_STRING_BUFLEN];
        int state = 0, reason = 0;
        virDomainGetUUIDString(doms[i], uuid);
        virDomainGetState(doms[i], &state, &reason, 0);
        int id = (int)virDomainGetID(doms[i]);
        if (id < 0)
            printf("%-5s %-20s %-38s %s\n", "-", virDomainGetName(doms[i]), uuid, state_name(state));
        else
            printf("%-5d %-20s %-38s %s\n", id, virDomainGetName(doms[i]), uuid, state_name(state));
        virDomainFree(doms[i]);
    }
    free(doms);
    virConnectClose(conn);
    return 0;
}
