/* Differential program for libvirt-admin.so.0 (tests/admin/run.sh): everything it prints must be
 * the same on Debian's libvirt-admin and on oxvirt's. argv[1] is the admin URI of a running
 * libvirtd (libvirtd:///system?socket=...). Values that differ between runs (client ids,
 * timestamps, worker counts of a busy pool) are printed as their shape only. */
#include <libvirt/libvirt-admin.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The global error handler: libvirt calls it for every error an API reports. */
static int handler_calls;
static char handler_last[512];
static void quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    handler_calls++;
    snprintf(handler_last, sizeof(handler_last), "%d/%d %s", err ? err->code : -1,
             err ? err->domain : -1, err && err->message ? err->message : "(null)");
}

static void last(const char *what)
{
    virErrorPtr e = virGetLastError();
    if (e)
        printf("%s: error code=%d domain=%d message=%s\n", what, e->code, e->domain,
               e->message ? e->message : "(null)");
    else
        printf("%s: no error\n", what);
}

static void params(const char *what, virTypedParameterPtr p, int n, int values)
{
    printf("%s: %d params\n", what, n);
    for (int i = 0; i < n; i++) {
        printf("  %s type=%d", p[i].field, p[i].type);
        if (values && p[i].type == VIR_TYPED_PARAM_UINT)
            printf(" value=%u", p[i].value.ui);
        printf("\n");
    }
}

static int close_calls;
static void on_close(virAdmConnectPtr conn, int reason, void *opaque)
{
    (void)conn;
    (void)reason;
    (void)opaque;
    close_calls++;
}
static void on_close2(virAdmConnectPtr conn, int reason, void *opaque)
{
    on_close(conn, reason, opaque);
}

static void open_fails(const char *uri)
{
    virAdmConnectPtr c = virAdmConnectOpen(uri, 0);
    printf("open %s: %s\n", uri, c ? "opened" : "failed");
    if (!c)
        last("  open");
    else
        virAdmConnectClose(c);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: diff-admin ADMIN-URI\n");
        return 2;
    }
    const char *uri = argv[1];
    virSetErrorFunc(NULL, quiet);
    printf("initialize=%d\n", virAdmInitialize());

    unsigned long long ver = 0;
    int rv = virAdmGetVersion(&ver);
    printf("getversion=%d ver=%llu\n", rv, ver);
    printf("getversion(NULL)=%d\n", virAdmGetVersion(NULL));
    last("getversion(NULL)");

    /* Bad objects. */
    printf("geturi(NULL)=%s\n", virAdmConnectGetURI(NULL) ? "uri" : "NULL");
    last("geturi(NULL)");
    printf("isalive(NULL)=%d\n", virAdmConnectIsAlive(NULL));
    printf("close(NULL)=%d\n", virAdmConnectClose(NULL));
    printf("ref(NULL)=%d\n", virAdmConnectRef(NULL));
    last("ref(NULL)");
    printf("servergetname(NULL)=%s\n", virAdmServerGetName(NULL) ? "name" : "NULL");
    last("servergetname(NULL)");
    printf("serverfree(NULL)=%d\n", virAdmServerFree(NULL));
    printf("clientfree(NULL)=%d\n", virAdmClientFree(NULL));
    printf("clientgetid(NULL)=%lld\n", (long long)virAdmClientGetID(NULL));
    last("clientgetid(NULL)");
    printf("clientgettimestamp(NULL)=%lld\n", virAdmClientGetTimestamp(NULL));
    printf("clientgettransport(NULL)=%d\n", virAdmClientGetTransport(NULL));
    printf("listservers(NULL)=%d\n", virAdmConnectListServers(NULL, NULL, 0));
    last("listservers(NULL)");
    printf("getloggingfilters(NULL)=%d\n", virAdmConnectGetLoggingFilters(NULL, NULL, 0));
    last("getloggingfilters(NULL)");

    /* URIs that do not lead to a socket. */
    open_fails("libvirtd:///nowhere");
    open_fails("qemu:///system");
    open_fails("libvirtd:///system?foo=bar");
    open_fails("libvirtd:///system?socket=/nonexistent/admin-sock");
    open_fails("virtnope:///system?socket=/nonexistent/virtnope-admin-sock");

    virAdmConnectPtr conn = virAdmConnectOpen(uri, 0);
    if (!conn) {
        last("open");
        return 1;
    }
    char *u = virAdmConnectGetURI(conn);
    printf("uri=%s\n", u ? u : "(null)");
    free(u);
    printf("isalive=%d\n", virAdmConnectIsAlive(conn));
    unsigned long long lib = 0;
    rv = virAdmConnectGetLibVersion(conn, &lib);
    printf("libversion=%d %llu\n", rv, lib);
    printf("libversion(NULL)=%d\n", virAdmConnectGetLibVersion(conn, NULL));
    last("libversion(NULL)");

    /* Close callbacks. */
    printf("register=%d\n", virAdmConnectRegisterCloseCallback(conn, on_close, NULL, NULL));
    printf("register again=%d\n", virAdmConnectRegisterCloseCallback(conn, on_close2, NULL, NULL));
    last("register again");
    printf("register NULL=%d\n", virAdmConnectRegisterCloseCallback(conn, NULL, NULL, NULL));
    last("register NULL");
    printf("unregister other=%d\n", virAdmConnectUnregisterCloseCallback(conn, on_close2));
    last("unregister other");
    printf("unregister=%d\n", virAdmConnectUnregisterCloseCallback(conn, on_close));
    printf("unregister again=%d\n", virAdmConnectUnregisterCloseCallback(conn, on_close));
    last("unregister again");

    /* Servers. */
    printf("count servers=%d\n", virAdmConnectListServers(conn, NULL, 0));
    virAdmServerPtr *srvs = NULL;
    int ns = virAdmConnectListServers(conn, &srvs, 0);
    printf("servers=%d\n", ns);
    for (int i = 0; i < ns; i++)
        printf("  server %s\n", virAdmServerGetName(srvs[i]));
    if (ns >= 0)
        printf("  terminated=%d\n", srvs[ns] == NULL);
    for (int i = 0; i < ns; i++)
        virAdmServerFree(srvs[i]);
    free(srvs);
    printf("listservers flags=%d\n", virAdmConnectListServers(conn, NULL, 1));
    last("listservers flags");

    virAdmServerPtr none = virAdmConnectLookupServer(conn, "nosuch", 0);
    printf("lookup nosuch=%s\n", none ? "found" : "NULL");
    last("lookup nosuch");
    printf("lookup NULL=%s\n", virAdmConnectLookupServer(conn, NULL, 0) ? "found" : "NULL");
    last("lookup NULL");
    virAdmServerPtr srv = virAdmConnectLookupServer(conn, "libvirtd", 0);
    if (!srv) {
        last("lookup libvirtd");
        return 1;
    }
    printf("server name=%s\n", virAdmServerGetName(srv));

    virTypedParameterPtr p = NULL;
    int np = 0;
    printf("threadpool=%d\n", virAdmServerGetThreadPoolParameters(srv, &p, &np, 0));
    params("threadpool", p, np, 0);
    virTypedParamsFree(p, np);
    p = NULL;
    np = 0;
    printf("threadpool(NULL)=%d\n", virAdmServerGetThreadPoolParameters(srv, NULL, &np, 0));
    last("threadpool(NULL)");
    printf("threadpool flags=%d\n", virAdmServerGetThreadPoolParameters(srv, &p, &np, 4));
    last("threadpool flags");

    virTypedParameterPtr set = NULL;
    int nset = 0, maxset = 0;
    virTypedParamsAddUInt(&set, &nset, &maxset, VIR_THREADPOOL_WORKERS_MIN, 4);
    virTypedParamsAddUInt(&set, &nset, &maxset, VIR_THREADPOOL_WORKERS_MAX, 12);
    printf("setthreadpool=%d\n", virAdmServerSetThreadPoolParameters(srv, set, nset, 0));
    printf("setthreadpool(-1)=%d\n", virAdmServerSetThreadPoolParameters(srv, set, -1, 0));
    last("setthreadpool(-1)");
    printf("setthreadpool(NULL)=%d\n", virAdmServerSetThreadPoolParameters(srv, NULL, 0, 0));
    last("setthreadpool(NULL)");
    virTypedParamsFree(set, nset);
    set = NULL;
    nset = maxset = 0;
    virTypedParamsAddUInt(&set, &nset, &maxset, VIR_THREADPOOL_WORKERS_MIN, 40);
    printf("setthreadpool min>max=%d\n", virAdmServerSetThreadPoolParameters(srv, set, nset, 0));
    last("setthreadpool min>max");
    virTypedParamsFree(set, nset);
    set = NULL;
    nset = maxset = 0;
    virTypedParamsAddUInt(&set, &nset, &maxset, "bogusField", 1);
    printf("setthreadpool bogus=%d\n", virAdmServerSetThreadPoolParameters(srv, set, nset, 0));
    last("setthreadpool bogus");
    virTypedParamsFree(set, nset);
    p = NULL;
    np = 0;
    virAdmServerGetThreadPoolParameters(srv, &p, &np, 0);
    for (int i = 0; i < np; i++)
        if (!strcmp(p[i].field, "minWorkers") || !strcmp(p[i].field, "maxWorkers"))
            printf("  now %s=%u\n", p[i].field, p[i].value.ui);
    virTypedParamsFree(p, np);
    set = NULL;
    nset = maxset = 0;
    virTypedParamsAddUInt(&set, &nset, &maxset, VIR_THREADPOOL_WORKERS_MIN, 5);
    virTypedParamsAddUInt(&set, &nset, &maxset, VIR_THREADPOOL_WORKERS_MAX, 20);
    printf("restore threadpool=%d\n", virAdmServerSetThreadPoolParameters(srv, set, nset, 0));
    virTypedParamsFree(set, nset);

    p = NULL;
    np = 0;
    printf("clientlimits=%d\n", virAdmServerGetClientLimits(srv, &p, &np, 0));
    params("clientlimits", p, np, 0);
    virTypedParamsFree(p, np);
    set = NULL;
    nset = maxset = 0;
    virTypedParamsAddUInt(&set, &nset, &maxset, VIR_SERVER_CLIENTS_MAX, 0);
    printf("setclientlimits 0=%d\n", virAdmServerSetClientLimits(srv, set, nset, 0));
    last("setclientlimits 0");
    virTypedParamsFree(set, nset);
    printf("updatetls=%d\n", virAdmServerUpdateTlsFiles(srv, 0));
    last("updatetls");

    /* Clients: this program's own connection is one of the admin server's. */
    virAdmServerPtr asrv = virAdmConnectLookupServer(conn, "admin", 0);
    virAdmClientPtr *clients = NULL;
    int nc = virAdmServerListClients(asrv, &clients, 0);
    printf("admin clients>=1: %d\n", nc >= 1);
    printf("count clients matches: %d\n", virAdmServerListClients(asrv, NULL, 0) == nc);
    if (nc >= 1) {
        printf("  terminated=%d\n", clients[nc] == NULL);
        virAdmClientPtr c = clients[nc - 1];
        unsigned long long id = virAdmClientGetID(c);
        printf("transport=%d timestamp>0=%d\n", virAdmClientGetTransport(c),
               virAdmClientGetTimestamp(c) > 0);
        virAdmClientPtr same = virAdmServerLookupClient(asrv, id, 0);
        printf("lookup client: %s id-equal=%d\n", same ? "found" : "NULL",
               same && virAdmClientGetID(same) == id);
        p = NULL;
        np = 0;
        printf("clientinfo=%d\n", same ? virAdmClientGetInfo(same, &p, &np, 0) : -2);
        printf("clientinfo has readonly=%d\n",
               virTypedParamsGet(p, np, VIR_CLIENT_INFO_READONLY) != NULL);
        virTypedParamsFree(p, np);
        printf("clientinfo(NULL)=%d\n", same ? virAdmClientGetInfo(same, NULL, &np, 0) : -2);
        last("clientinfo(NULL)");
        virAdmClientFree(same);
    }
    for (int i = 0; i < nc; i++)
        virAdmClientFree(clients[i]);
    free(clients);
    virAdmClientPtr nocl = virAdmServerLookupClient(asrv, 987654321ULL, 0);
    printf("lookup client nosuch=%s\n", nocl ? "found" : "NULL");
    last("lookup client nosuch");
    virAdmServerFree(asrv);

    /* Logging. */
    char *s = NULL;
    int n = virAdmConnectGetLoggingOutputs(conn, &s, 0);
    printf("outputs=%d %s\n", n, s ? s : "(null)");
    free(s);
    s = NULL;
    n = virAdmConnectGetLoggingFilters(conn, &s, 0);
    printf("filters=%d %s\n", n, s ? s : "(null)");
    free(s);
    printf("count filters=%d\n", virAdmConnectGetLoggingFilters(conn, NULL, 0));
    printf("setfilters=%d\n", virAdmConnectSetLoggingFilters(conn, "1:rpc 2:util.foo", 0));
    s = NULL;
    n = virAdmConnectGetLoggingFilters(conn, &s, 0);
    printf("filters=%d %s\n", n, s ? s : "(null)");
    free(s);
    printf("setfilters bad=%d\n", virAdmConnectSetLoggingFilters(conn, "7:rpc", 0));
    last("setfilters bad");
    printf("setfilters NULL=%d\n", virAdmConnectSetLoggingFilters(conn, NULL, 0));
    s = NULL;
    n = virAdmConnectGetLoggingFilters(conn, &s, 0);
    printf("filters=%d %s\n", n, s ? s : "(null)");
    free(s);
    printf("setoutputs bad=%d\n", virAdmConnectSetLoggingOutputs(conn, "1:nowhere", 0));
    last("setoutputs bad");
    printf("setoutputs flags=%d\n", virAdmConnectSetLoggingOutputs(conn, "1:stderr", 2));
    last("setoutputs flags");
    printf("daemontimeout flags=%d\n", virAdmConnectSetDaemonTimeout(conn, 0, 1));
    last("daemontimeout flags");

    /* References. */
    printf("ref=%d\n", virAdmConnectRef(conn));
    printf("close (ref left)=%d\n", virAdmConnectClose(conn));
    printf("server free=%d\n", virAdmServerFree(srv));
    printf("close=%d\n", virAdmConnectClose(conn));
    printf("close callbacks run=%d\n", close_calls);
    printf("handler calls=%d last=%s\n", handler_calls, handler_last);
    return 0;
}
