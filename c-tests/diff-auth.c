/* virConnectOpenAuth against a test node file with <auth>: callbacks, wrong and missing
 * credentials, and virConnectAuthPtrDefault's advertised credential types. */
#include "diff-helpers.h"
#include <unistd.h>

/* 0 answer, 1 fail, 2 succeed without answering, 3 answer with resultlen past the string's end,
 * 4 answer with resultlen 0 */
static int mode;
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
        cred[i].resultlen = mode == 3 ? 4096 : mode == 4 ? 0 : strlen(v);
    }
    return 0;
}

/* Answers the first credential of each call only, as libvirt-python's own test does. */
static int one_cb(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    (void)cbdata;
    calls++;
    printf("one-per-call: %u credentials, type %d\n", ncred, ncred ? cred[0].type : -1);
    if (ncred < 1)
        return -1;
    const char *v = cred[0].type == VIR_CRED_AUTHNAME ? answer_user : answer_pass;
    cred[0].result = strdup(v);
    cred[0].resultlen = strlen(v);
    return 0;
}

static char *node_file(const char *xml)
{
    char *path = strdup("/tmp/oxvirt-auth-XXXXXX.xml");
    int fd = mkstemps(path, 4);
    if (fd < 0 || write(fd, xml, strlen(xml)) != (ssize_t)strlen(xml))
        exit(1);
    close(fd);
    return path;
}

static void try_open_flags(const char *uri, virConnectAuthPtr auth, unsigned int flags)
{
    char what[64];
    snprintf(what, sizeof(what), "flags 0x%x", flags);
    virConnectPtr c = virConnectOpenAuth(uri, auth, flags);
    diff_show(what, c != NULL);
    if (c)
        virConnectClose(c);
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
    mode = 3;
    try_open(uri, &a2, "resultlen beyond the answer");
    mode = 4;
    try_open(uri, &a2, "resultlen 0");
    mode = 0;
    printf("callbacks: %d\n", calls);

    /* Several users, one of them without a password; names are taken untrimmed. */
    char *multi = node_file("<node><auth><user password='2147483647'>marin</user>"
                            "<user password='87539319'>srinivasa</user></auth>"
                            "<auth><user>nopass</user><user password='x'> spaced </user></auth></node>");
    char muri[128];
    snprintf(muri, sizeof(muri), "test://%s", multi);
    int all[] = {VIR_CRED_AUTHNAME, VIR_CRED_ECHOPROMPT, VIR_CRED_REALM,
                 VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_EXTERNAL};
    virConnectAuth one = {all, 6, one_cb, NULL};
    const char *cases[][2] = {{"srinivasa", "87539319"}, {"marin", "2147483647"},
                              {"srinivasa", "2147483647"}, {"nobody", "x"}, {"nopass", "ignored"},
                              {" spaced ", "x"}, {"spaced", "x"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char what[96];
        answer_user = cases[i][0];
        answer_pass = cases[i][1];
        calls = 0;
        snprintf(what, sizeof(what), "user [%s] password [%s]", answer_user, answer_pass);
        try_open(muri, &one, what);
        printf("  callbacks: %d\n", calls);
    }
    char *empty = node_file("<node><auth><user password='p'></user></auth></node>");
    snprintf(muri, sizeof(muri), "test://%s", empty);
    try_open(muri, &one, "user without a name");
    char *none = node_file("<node><auth/></node>");
    snprintf(muri, sizeof(muri), "test://%s", none);
    try_open(muri, NULL, "empty auth");
    virConnectAuth name_no_cb = {all, 6, NULL, NULL};
    try_open(uri, &name_no_cb, "credential types but no callback");
    virConnectAuth nothing = {NULL, 0, NULL, NULL};
    try_open(uri, &nothing, "no credential types, no callback");

    /* Flags the test driver does not know. */
    unsigned int flags[] = {0x1, 0x2, 0x3, 0x4, 0x8, 0x80000000u, 0xffffffffu};
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        try_open_flags("test:///default", NULL, flags[i]);
    try_open_flags("test:///%zz", NULL, 0x4);
    unlink(multi);
    unlink(empty);
    unlink(none);
    free(multi);
    free(empty);
    free(none);

    virConnectAuthPtr d = virConnectAuthPtrDefault;
    printf("default auth: %s, %u types:", d && d->cb ? "callback" : "none", d ? d->ncredtype : 0);
    for (unsigned int i = 0; d && i < d->ncredtype; i++)
        printf(" %d", d->credtype[i]);
    printf("\n");
    unlink(path);
    return 0;
}
