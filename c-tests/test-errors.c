/* The error API: thread error, connection error, handlers, copies, default printer. */
#include "helpers.h"
#include <pthread.h>
#include <unistd.h>

static int handler_calls;
static int handler_code;
static void *handler_opaque;

static void counting_handler(void *opaque, virErrorPtr err)
{
    handler_calls++;
    handler_code = err ? err->code : -1;
    handler_opaque = opaque;
}

static void *other_thread(void *arg)
{
    (void)arg;
    return virGetLastError();
}

int main(void)
{
    virSetErrorFunc(NULL, quiet_handler);

    /* Nothing yet. */
    CHECK(virGetLastError() == NULL);
    CHECK_STR(virGetLastErrorMessage(), "no error");
    CHECK(virGetLastErrorCode() == VIR_ERR_OK);
    CHECK(virGetLastErrorDomain() == VIR_FROM_NONE);

    /* A failing open reports like libvirt's test driver, fields included. */
    CHECK(virConnectOpen("test:///") == NULL);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
              "invalid argument: testOpen: supply a path or use test:///default");
    virErrorPtr e = virGetLastError();
    CHECK(e && e->level == VIR_ERR_ERROR);
    CHECK(e && e->str1 && strcmp(e->str1, "invalid argument: %s") == 0);
    CHECK(e && e->str2 && strcmp(e->str2, "testOpen: supply a path or use test:///default") == 0);
    CHECK(e && e->str3 == NULL && e->int1 == -1 && e->int2 == -1);
    CHECK(virGetLastErrorCode() == VIR_ERR_INVALID_ARG);
    CHECK(virGetLastErrorDomain() == VIR_FROM_TEST);

    /* Another thread has its own (empty) error. */
    pthread_t t;
    void *seen = (void *)1;
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, &seen);
    CHECK(seen == NULL);

    /* Copies. */
    virError copy;
    memset(&copy, 0xff, sizeof(copy));
    CHECK(virCopyLastError(&copy) == VIR_ERR_INVALID_ARG);
    CHECK(copy.domain == VIR_FROM_TEST && copy.message != NULL);
    virResetError(&copy);
    CHECK(copy.code == 0 && copy.message == NULL);
    CHECK(virCopyLastError(NULL) == -1);
    virErrorPtr saved = virSaveLastError();
    CHECK(saved && saved->code == VIR_ERR_INVALID_ARG);
    virFreeError(saved);

    /* A successful call clears the thread error. */
    virConnectPtr conn = virConnectOpen("test:///default");
    CHECK(conn != NULL);
    CHECK(virGetLastError() == NULL);
    saved = virSaveLastError();
    CHECK(saved != NULL && saved->code == 0);
    virFreeError(saved);
    CHECK(virCopyLastError(&copy) == 0);
    virResetError(&copy);

    /* The connection keeps its own copy until virConnResetLastError. */
    CHECK(virConnGetLastError(conn) != NULL && virConnGetLastError(conn)->code == 0);
    CHECK(virDomainLookupByName(conn, "nope") == NULL);
    CHECK_ERR(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");
    virResetLastError();
    CHECK(virGetLastError() == NULL);
    CHECK(virConnGetLastError(conn)->code == VIR_ERR_NO_DOMAIN);
    CHECK(virConnectNumOfDomains(conn) == 1);
    CHECK(virConnGetLastError(conn)->code == VIR_ERR_NO_DOMAIN);
    CHECK(virConnCopyLastError(conn, &copy) == VIR_ERR_NO_DOMAIN);
    CHECK_STR(copy.message, "Domain not found");
    virResetError(&copy);
    virConnResetLastError(conn);
    CHECK(virConnGetLastError(conn)->code == 0);
    CHECK(virConnCopyLastError(NULL, &copy) == -1);

    /* virGetVersion with no output pointer fails with the generic error. */
    unsigned long ver = 0;
    CHECK(virGetVersion(&ver, NULL, NULL) == 0 && ver == 9000000);
    CHECK(virGetVersion(NULL, NULL, NULL) == -1);
    CHECK_ERR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, "An error occurred, but the cause is unknown");

    /* Handlers: global, then the connection's own takes priority, NULL falls back. */
    int token;
    virSetErrorFunc(&token, counting_handler);
    CHECK(virDomainLookupByID(conn, 99) == NULL);
    CHECK(handler_calls == 1 && handler_code == VIR_ERR_NO_DOMAIN && handler_opaque == &token);
    int conn_token;
    virConnSetErrorFunc(conn, &conn_token, counting_handler);
    CHECK(virDomainLookupByID(conn, 99) == NULL);
    CHECK(handler_calls == 2 && handler_opaque == &conn_token);
    virConnSetErrorFunc(conn, NULL, NULL);
    CHECK(virDomainLookupByID(conn, 99) == NULL);
    CHECK(handler_calls == 3 && handler_opaque == &token);
    /* An error raised before any connection is known goes to the global handler. */
    CHECK(virDomainGetName(NULL) == NULL);
    CHECK(handler_calls == 4 && handler_code == VIR_ERR_INVALID_DOMAIN);

    /* The default handler prints libvirt's exact line on stderr. */
    virSetErrorFunc(NULL, NULL);
    fflush(stderr);
    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    int saved_stderr = dup(2);
    dup2(pipefd[1], 2);
    CHECK(virDomainLookupByName(conn, "nope") == NULL);
    CHECK(virConnectClose(NULL) == -1);
    virDefaultErrorFunc(NULL);
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    close(pipefd[1]);
    char buf[512] = {0};
    ssize_t n = read(pipefd[0], buf, sizeof(buf) - 1);
    close(pipefd[0]);
    CHECK(n > 0);
    CHECK_STR(buf, "libvirt: Test Driver error : Domain not found\n"
                   "libvirt:  error : invalid connection pointer in virConnectClose\n");

    CHECK(virConnectClose(conn) == 0);
    return finish("test-errors");
}
