/* virConnectOpenAuth against a test node file with <auth>: callbacks, wrong and missing
 * credentials, and virConnectAuthPtrDefault's advertised credential types. */
#include "diff-helpers.h"
#include <unistd.h>

static int mode; /* 0 answer, 1 fail, 2 succeed without answering */
static const char *answer_user = "admin";
static const char *answer_pass = "s3cret";
static int calls;

static int auth_cb(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    calls++;
    printf("callback: %u credentials, cbdata %s\n", ncred, (const char *)cbdata);
    for (unsigned int i = 0; i < ncred; i++)
        printf("  prompt=[%s] challenge=[%s] default=[%s]\n", cred[i].prompt,
               cred[i].challenge ? cred[i].challenge : "-", cred[i].defresult ? cred[i].defresult : "-");
    if (mode == 1)
        return -1;
    if (mode == 2)
        return 0;
    for (unsigned int i = 0; i < ncred; i++) {
        const char *v = cred[i].type == VIR_CRED_AUTHNAME ? answer_user : answer_pass;
        printf("  type=%d prompt=%s\n", cred[i].type, cred[i].prompt ? "yes" : "no");
        cred[i].result = strdup(v);
        cred[i].resultlen = strlen(v);
    }
    return 0;
}

static void try_open(const char *uri, virConnectAuthPtr auth, const char *what)
{
    virConnectPtr c = virConnectOpenAuth(uri, auth, 0);
    diff_show(what, c != NULL);
    if (c) {
        printf("  domains=%d\n", virConnectNumOfDomains(c));
        virConnectClose(c);
    }
}

int main(void)
{
    diff_start();
    char path[] = "/tmp/oxvirt-auth-XXXXXX.xml";
    int fd = mkstemps(path, 4);
    const char *xml = "<node><auth><user password='s3cret'>admin</user></auth>"
                      "<domain type='test'><name>a</name><memory>1024</memory><os><type>hvm</type></os></domain></node>";
    if (fd < 0 || write(fd, xml, strlen(xml)) != (ssize_t)strlen(xml))
        return 1;
    close(fd);
    char uri[128];
    snprintf(uri, sizeof(uri), "test://%s", path);

    int types[] = {VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE};
    virConnectAuth auth = {types, 2, auth_cb, "data"};
    try_open(uri, &auth, "right credentials");
    answer_pass = "wrong";
    try_open(uri, &auth, "wrong password");
    try_open(uri, NULL, "no auth");
    int only_name[] = {VIR_CRED_AUTHNAME};
    virConnectAuth partial = {only_name, 1, auth_cb, "partial"};
    try_open(uri, &partial, "callback cannot give a password");
    try_open("test:///default", &auth, "no auth needed");
    int noecho[] = {VIR_CRED_AUTHNAME, VIR_CRED_NOECHOPROMPT};
    virConnectAuth a2 = {noecho, 2, auth_cb, "noecho"};
    virConnectAuth nocb = {noecho, 2, NULL, NULL};
    answer_pass = "s3cret";
    try_open(uri, &a2, "NOECHOPROMPT for the password");
    try_open(uri, &nocb, "no callback");
    mode = 1;
    try_open(uri, &a2, "callback fails");
    mode = 2;
    try_open(uri, &a2, "callback answers nothing");
    printf("callbacks: %d\n", calls);

    virConnectAuthPtr d = virConnectAuthPtrDefault;
    printf("default auth: %s, %u types:", d && d->cb ? "callback" : "none", d ? d->ncredtype : 0);
    for (unsigned int i = 0; d && i < d->ncredtype; i++)
        printf(" %d", d->credtype[i]);
    printf("\n");
    unlink(path);
    return 0;
}
