/* Object model: refcounts, handles keeping connections alive, lookups, listing, NULL,
 * wrong-kind and stale pointers. */
#include "helpers.h"

int main(void)
{
    virSetErrorFunc(NULL, quiet_handler);

    virConnectPtr conn = virConnectOpen("test:///default");
    CHECK(conn != NULL);
    CHECK_STR(virConnectGetType(conn), "TEST");
    char *uri = virConnectGetURI(conn);
    CHECK_STR(uri, "test:///default");
    free(uri);
    unsigned long v = 0;
    CHECK(virConnectGetVersion(conn, &v) == 0 && v == 2);
    CHECK(virConnectGetLibVersion(conn, &v) == 0 && v == 9000000);
    CHECK(virConnectGetLibVersion(conn, NULL) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "libVer in virConnectGetLibVersion must not be NULL");
    CHECK(virConnectGetMaxVcpus(conn, NULL) == 32);
    CHECK(virConnectIsAlive(conn) == 1 && virConnectIsSecure(conn) == 1 && virConnectIsEncrypted(conn) == 0);
    char *host = virConnectGetHostname(conn);
    CHECK(host != NULL && host[0] != '\0');
    free(host);
    virNodeInfo ni;
    CHECK(virNodeGetInfo(conn, &ni) == 0);
    CHECK_STR(ni.model, "i686");
    CHECK(ni.cpus == 16 && ni.mhz == 1400 && ni.memory == 3145728 && ni.nodes == 2);

    /* virConnectRef: close answers 1 while references remain, 0 when disposed. */
    CHECK(virConnectRef(conn) == 0);
    CHECK(virConnectClose(conn) == 1);

    /* Listing: a malloc'd, NULL-terminated array of new handles. */
    virDomainPtr *doms = (virDomainPtr *)1;
    CHECK(virConnectListAllDomains(conn, &doms, 0) == 1);
    CHECK(doms != NULL && doms[0] != NULL && doms[1] == NULL);
    CHECK(virConnectListAllDomains(conn, NULL, 0) == 1);
    CHECK(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_INACTIVE) == 0);
    virDomainPtr *bad = (virDomainPtr *)1;
    CHECK(virConnectListAllDomains(conn, &bad, 1u << 16) == -1);
    CHECK(bad == NULL);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
              "unsupported flags (0x10000) in function testConnectListAllDomains");
    CHECK(virConnectListAllDomains(conn, &bad, 1u << 31) == -1);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
              "unsupported flags (0x80000000) in function testConnectListAllDomains");

    virDomainPtr dom = doms[0];
    free(doms);
    CHECK_STR(virDomainGetName(dom), "test");
    CHECK(virDomainGetID(dom) == 1);
    char uuid[VIR_UUID_STRING_BUFLEN];
    CHECK(virDomainGetUUIDString(dom, uuid) == 0);
    CHECK_STR(uuid, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    unsigned char raw[VIR_UUID_BUFLEN];
    CHECK(virDomainGetUUID(dom, raw) == 0 && raw[0] == 0x66 && raw[15] == 0x3f);
    int state = -1, reason = -1;
    CHECK(virDomainGetState(dom, &state, &reason, 0) == 0);
    CHECK(state == VIR_DOMAIN_RUNNING && reason == VIR_DOMAIN_RUNNING_UNKNOWN);
    virDomainInfo info;
    CHECK(virDomainGetInfo(dom, &info) == 0);
    CHECK(info.state == VIR_DOMAIN_RUNNING && info.maxMem == 8388608 && info.memory == 2097152 && info.nrVirtCpu == 2);
    CHECK(virDomainGetConnect(dom) == conn);

    /* Every lookup is a new handle. */
    virDomainPtr a = virDomainLookupByName(conn, "test");
    virDomainPtr b = virDomainLookupByName(conn, "test");
    virDomainPtr c = virDomainLookupByID(conn, 1);
    virDomainPtr d = virDomainLookupByUUIDString(conn, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    virDomainPtr e = virDomainLookupByUUID(conn, raw);
    CHECK(a && b && c && d && e && a != b && a != dom);
    CHECK(virDomainLookupByID(conn, -1) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "id in virDomainLookupByID must be zero or greater");
    CHECK(virDomainLookupByUUIDString(conn, "not-a-uuid") == NULL);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "Invalid UUID");
    CHECK(virDomainLookupByName(conn, NULL) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "name in virDomainLookupByName must not be NULL");
    virDomainFree(b);
    virDomainFree(c);
    virDomainFree(d);
    virDomainFree(e);
    CHECK(virDomainRef(a) == 0);
    CHECK(virDomainFree(a) == 0);

    /* A domain keeps its connection alive after the application's close. */
    CHECK(virConnectClose(conn) == 1);
    CHECK_STR(virDomainGetName(dom), "test");
    CHECK(virConnectNumOfDomains(conn) == 1);
    CHECK(virDomainFree(dom) == 0);
    CHECK(virDomainFree(a) == 0);
    /* Now gone: the stale pointers are detected, never dereferenced. */
    CHECK(virConnectNumOfDomains(conn) == -1);
    CHECK_ERR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectNumOfDomains");
    CHECK(virDomainGetName(a) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainGetName");
    CHECK(virConnectClose(conn) == -1);
    CHECK_ERR(VIR_ERR_INVALID_CONN, VIR_FROM_NONE, "invalid connection pointer in virConnectClose");

    /* NULL and wrong-kind pointers for every object family. */
    virConnectPtr c2 = virConnectOpen("test:///default");
    virDomainPtr d2 = virDomainLookupByName(c2, "test");
    CHECK(virDomainGetID(NULL) == (unsigned int)-1);
    CHECK_ERR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainGetID");
    CHECK(virDomainGetID((virDomainPtr)c2) == (unsigned int)-1);
    CHECK(virDomainGetMaxMemory(NULL) == 0);
    CHECK(virConnectNumOfDomains((virConnectPtr)d2) == -1);
    CHECK_ERR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, NULL);
    CHECK(virNetworkGetName((virNetworkPtr)d2) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK, "invalid network pointer in virNetworkGetName");
    CHECK(virStoragePoolGetName(NULL) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE, NULL);
    CHECK(virStorageVolGetName(NULL) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE, NULL);
    CHECK(virInterfaceGetName(NULL) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_INTERFACE, VIR_FROM_INTERFACE, NULL);
    CHECK(virNodeDeviceGetName(NULL) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_NODE_DEVICE, VIR_FROM_NODEDEV, NULL);
    CHECK(virSecretGetUsageID(NULL) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_SECRET, VIR_FROM_SECRET, NULL);
    CHECK(virNWFilterGetName(NULL) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_NWFILTER, VIR_FROM_NWFILTER, NULL);
    CHECK(virStreamFree((virStreamPtr)c2) == -1);
    CHECK_ERR(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "invalid stream pointer in virStreamFree");
    CHECK(virDomainSnapshotGetName(NULL) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_SNAPSHOT, NULL);
    CHECK(virDomainCheckpointGetName(NULL) == NULL);
    CHECK_ERR(VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_FROM_DOMAIN_CHECKPOINT, NULL);

    /* A driver without the slot: NO_SUPPORT naming the API, as libvirt's test driver. */
    virStreamPtr st = NULL;
    CHECK(virDomainOpenChannel(d2, NULL, st, 0) == -1);
    CHECK_ERR(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, NULL);
    CHECK(virDomainAbortJob(d2) == -1);
    CHECK_ERR(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN,
              "this function is not supported by the connection driver: virDomainAbortJob");
    CHECK(virDomainFree(d2) == 0);
    CHECK(virConnectClose(c2) == 0);

    /* Read-only connections open and read. */
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    CHECK(ro != NULL && virConnectNumOfDomains(ro) == 1);
    CHECK(virConnectClose(ro) == 0);

    /* Opening errors. */
    CHECK(virConnectOpen("bogus") == NULL);
    CHECK_ERR(VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
              "no connection driver available for URI 'bogus' does not include a driver name");
    CHECK(virConnectOpen("test:///nonexistent/node.xml") == NULL);
    CHECK_ERR(VIR_ERR_XML_ERROR, VIR_FROM_TEST, "XML error: failed to parse xml document '/nonexistent/node.xml'");
    return finish("test-objects");
}
