/* Built against an installed oxvirt with pkg-config (dynamically and with -static) and against
 * Debian's libvirt; tests/install/run.sh requires the same output from each. */
#include <stdio.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    unsigned long ver = 0;
    if (virGetVersion(&ver, NULL, NULL) < 0)
        return 1;
    printf("version %lu\n", ver);
    virConnectPtr conn = virConnectOpenReadOnly(uri);
    if (!conn) {
        fprintf(stderr, "open %s: %s\n", uri, virGetLastErrorMessage());
        return 1;
    }
    char *curi = virConnectGetURI(conn);
    printf("uri %s\n", curi);
    free(curi);
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    printf("active %d\n", n);
    for (int i = 0; i < n; i++) {
        char uuid[VIR_UUID_STRING_BUFLEN];
        virDomainGetUUIDString(doms[i], uuid);
        printf("  %s %s\n", virDomainGetName(doms[i]), uuid);
        virDomainFree(doms[i]);
    }
    free(doms);
    /* An error through the static library's error machinery too. */
    if (virDomainLookupByName(conn, "no-such-domain") == NULL)
        printf("error %d %d %s\n", virGetLastError()->code, virGetLastError()->domain,
               virGetLastErrorMessage());
    virConnectClose(conn);
    return 0;
}
