/* Open URI against a test node file with <auth>, with a callback (MODE "right"/"wrong": it
 * answers admin and that password), with a virConnectAuth without a callback ("nocb") or with
 * no virConnectAuth at all ("null"); print every credential the callback is asked for and the
 * outcome. tests/config/auth.sh runs it against Debian's libvirt and oxvirt under the same
 * auth.conf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static const char *password;

static void quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static int cb(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    (void)cbdata;
    for (unsigned int i = 0; i < ncred; i++) {
        const char *v = cred[i].type == VIR_CRED_AUTHNAME ? "admin" : password;
        printf("asked type=%d prompt=[%s] challenge=[%s]; ", cred[i].type,
               cred[i].prompt ? cred[i].prompt : "-", cred[i].challenge ? cred[i].challenge : "-");
        cred[i].result = strdup(v);
        cred[i].resultlen = strlen(v);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const char *mode = argv[2];
    password = strcmp(mode, "wrong") == 0 ? "nope" : "s3cret";
    int types[] = {VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE};
    virConnectAuth auth = {types, 2, cb, NULL};
    virConnectAuth nocb = {types, 2, NULL, NULL};
    virConnectAuthPtr a = &auth;
    if (strcmp(mode, "nocb") == 0)
        a = &nocb;
    else if (strcmp(mode, "null") == 0)
        a = NULL;
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpenAuth(argv[1], a, 0);
    if (!c) {
        virErrorPtr e = virGetLastError();
        printf("error code=%d domain=%d: %s\n", e ? e->code : -1, e ? e->domain : -1,
               virGetLastErrorMessage());
        return 0;
    }
    printf("open, %d domains\n", virConnectNumOfDomains(c));
    virConnectClose(c);
    return 0;
}
