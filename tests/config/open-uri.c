/* Open NAME ("-" for NULL) with FLAGS and print the connection's URI or libvirt's error;
 * tests/config/run.sh runs it against Debian's libvirt and oxvirt under the same libvirt.conf. */
#include <stdio.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static void quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
    unsigned int flags = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 0;
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpenAuth(name, NULL, flags | VIR_CONNECT_RO);
    if (!c) {
        virErrorPtr e = virGetLastError();
        printf("error code=%d domain=%d: %s\n", e ? e->code : -1, e ? e->domain : -1,
               virGetLastErrorMessage());
        return 0;
    }
    char *uri = virConnectGetURI(c);
    printf("uri %s\n", uri ? uri : "(null)");
    free(uri);
    virConnectClose(c);
    return 0;
}
