/* Listing and lifecycle through the C API, against a node file written to /tmp: domains in
 * several run states, virConnectListAllDomains with flag groups (sorted names), the legacy
 * listing calls, lifecycle steps with their errors, ids, and handles whose id went stale. */
#include "diff-helpers.h"
#include <unistd.h>

#define NS "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'"
#define DOM(name, extra)                                                                  \
    "<domain type='test' " NS "><name>" name "</name><memory>1024</memory>"               \
    "<os><type>hvm</type></os>" extra "</domain>"

static const char *node_xml =
    "<node>"
    DOM("run", "")
    DOM("paused", "<test:runstate>3</test:runstate>")
    DOM("off", "<test:runstate>5</test:runstate>")
    DOM("saved", "<test:runstate>5</test:runstate><test:hasmanagedsave/>")
    DOM("crashed", "<test:runstate>6</test:runstate>")
    DOM("trans", "<uuid>54f4b72c-1c4f-4499-832f-3297977d8e27</uuid><test:transient/>")
    DOM("snap", "<test:runstate>5</test:runstate><test:domainsnapshot><name>s1</name>"
                "<state>shutoff</state><creationTime>5</creationTime><active>1</active>"
                "<domain type='test'><name>snap</name><memory>1024</memory>"
                "<os><type>hvm</type></os></domain>"
                "</test:domainsnapshot>")
    "</node>";

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(virConnectPtr c, unsigned int flags)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(c, &doms, flags);
    char what[64];
    snprintf(what, sizeof(what), "list 0x%x", flags);
    diff_show(what, n);
    if (n < 0) {
        printf("  doms %s\n", doms ? "set" : "NULL");
        return;
    }
    const char **names = calloc(n + 1, sizeof(char *));
    for (int i = 0; i < n; i++)
        names[i] = virDomainGetName(doms[i]);
    qsort(names, n, sizeof(char *), cmp_str);
    printf(" ");
    for (int i = 0; i < n; i++)
        printf(" %s", names[i]);
    printf("%s\n", doms[n] == NULL ? " (NULL-terminated)" : " (NOT terminated)");
    for (int i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    free(names);
    printf("  count-only %d\n", virConnectListAllDomains(c, NULL, flags));
}

static void legacy(virConnectPtr c)
{
    int ids[16], n = virConnectListDomains(c, ids, 16);
    printf("num=%d list=%d:", virConnectNumOfDomains(c), n);
    /* ids come in libvirt's hash order: sort them. */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (ids[j] < ids[i]) {
                int t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
            }
    for (int i = 0; i < n; i++)
        printf(" %d", ids[i]);
    char *names[16];
    int m = virConnectListDefinedDomains(c, names, 16);
    printf("; defined num=%d list=%d:", virConnectNumOfDefinedDomains(c), m);
    if (m > 0)
        qsort(names, m, sizeof(char *), cmp_str);
    for (int i = 0; i < m; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void state(virDomainPtr d)
{
    int st = -1, reason = -1;
    int r = virDomainGetState(d, &st, &reason, 0);
    printf("  %s: state=%d/%d (rc %d) id=%d handle-id=%d active=%d persistent=%d\n",
           virDomainGetName(d), st, reason, r, (int)virDomainGetID(d), (int)virDomainGetID(d),
           virDomainIsActive(d), virDomainIsPersistent(d));
}

#define STEP(what, call)                                                                  \
    do {                                                                                  \
        diff_show(what, (long long)(call));                                               \
    } while (0)

int main(void)
{
    diff_start();
    char path[] = "/tmp/oxvirt-diff-lifecycle-XXXXXX.xml";
    int fd = mkstemps(path, 4);
    if (fd < 0 || write(fd, node_xml, strlen(node_xml)) != (ssize_t)strlen(node_xml))
        return 1;
    close(fd);
    char uri[128];
    snprintf(uri, sizeof(uri), "test://%s", path);
    virConnectPtr c = virConnectOpen(uri);
    unlink(path);
    if (!c) {
        diff_show("open", 0);
        return 1;
    }
    static const unsigned int groups[] = {
        0, 1, 2, 3, 4, 8, 12, 16, 32, 64, 128, 16 | 32, 64 | 128, 1 | 4, 2 | 8, 256, 512,
        1024, 2048, 4096, 8192, 1 | 64, 2 | 256 | 4096, 0xffff, 1 << 16, 0x80000000,
    };
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
        list(c, groups[i]);
    legacy(c);

    virDomainPtr run = virDomainLookupByName(c, "run");
    virDomainPtr off = virDomainLookupByName(c, "off");
    virDomainPtr paused = virDomainLookupByName(c, "paused");
    virDomainPtr trans = virDomainLookupByName(c, "trans");
    virDomainPtr saved = virDomainLookupByName(c, "saved");
    if (!run || !off || !paused || !trans || !saved)
        return 1;
    state(run);
    state(off);
    state(paused);

    STEP("suspend run", virDomainSuspend(run));
    STEP("suspend run again", virDomainSuspend(run));
    STEP("resume run", virDomainResume(run));
    STEP("resume run again", virDomainResume(run));
    STEP("suspend off", virDomainSuspend(off));
    STEP("resume paused", virDomainResume(paused));
    STEP("create off", virDomainCreate(off));
    state(off);
    STEP("create off again", virDomainCreate(off));
    virDomainPtr run2 = virDomainLookupByName(c, "run");
    virDomainPtr by_id = virDomainLookupByID(c, virDomainGetID(run));
    diff_show("lookup by id", by_id != NULL);
    STEP("destroy run", virDomainDestroy(run));
    state(run);
    /* Other handles keep the id they were made with. */
    printf("  handle id=%d, second handle id=%d, by-id handle id=%d\n", (int)virDomainGetID(run),
           run2 ? (int)virDomainGetID(run2) : -2, by_id ? (int)virDomainGetID(by_id) : -2);
    if (run2)
        state(run2);
    virDomainPtr old = virDomainLookupByID(c, 1);
    diff_show("lookup old id", old != NULL);
    if (old)
        virDomainFree(old);
    if (run2)
        virDomainFree(run2);
    if (by_id)
        virDomainFree(by_id);
    STEP("destroy run again", virDomainDestroy(run));
    STEP("create run", virDomainCreate(run));
    state(run);
    STEP("shutdown off", virDomainShutdown(off));
    STEP("shutdown off again", virDomainShutdown(off));
    STEP("reboot paused", virDomainReboot(paused, 0));
    STEP("reboot off", virDomainReboot(off, 0));
    STEP("managedsave paused", virDomainManagedSave(paused, 0));
    state(paused);
    STEP("has managedsave paused", virDomainHasManagedSaveImage(paused, 0));
    STEP("create saved", virDomainCreateWithFlags(saved, 0));
    STEP("has managedsave saved", virDomainHasManagedSaveImage(saved, 0));
    STEP("create bad flags", virDomainCreateWithFlags(off, 1u << 30));
    STEP("destroy trans", virDomainDestroy(trans));
    STEP("trans after destroy: active", virDomainIsActive(trans));
    virDomainPtr again = virDomainLookupByName(c, "trans");
    diff_show("lookup trans", again != NULL);
    if (again)
        virDomainFree(again);
    STEP("undefine run (running)", virDomainUndefine(run));
    STEP("run persistent", virDomainIsPersistent(run));
    STEP("destroy run", virDomainDestroy(run));
    virDomainPtr gone = virDomainLookupByName(c, "run");
    diff_show("lookup run", gone != NULL);
    if (gone)
        virDomainFree(gone);
    STEP("autostart off", virDomainSetAutostart(off, 1));

    virDomainPtr created = virDomainCreateXML(c, DOM("new", ""), 0);
    diff_show("createxml new", created != NULL);
    if (created) {
        state(created);
        STEP("destroy new", virDomainDestroy(created));
        virDomainFree(created);
    }
    virDomainPtr defined = virDomainDefineXML(c, DOM("def", ""));
    diff_show("definexml def", defined != NULL);
    if (defined) {
        STEP("create def", virDomainCreate(defined));
        state(defined);
        virDomainFree(defined);
    }
    STEP("definexml without name",
         virDomainDefineXML(c, "<domain type='test'><memory>1</memory></domain>") != NULL);
    static const char *zzz = "<domain type='test'><name>zzz</name>"
                             "<uuid>00000000-0000-0000-0000-000000000000</uuid>"
                             "<memory>1</memory><os><type>hvm</type></os></domain>";
    virDomainPtr z = virDomainDefineXML(c, zzz);
    diff_show("definexml zzz", z != NULL);
    virDomainPtr z2 = virDomainDefineXML(c, "<domain type='test'><name>zzz2</name>"
                                            "<uuid>00000000-0000-0000-0000-000000000000</uuid>"
                                            "<memory>1</memory><os><type>hvm</type></os>"
                                            "</domain>");
    diff_show("definexml same uuid, other name", z2 != NULL);
    if (z)
        virDomainFree(z);
    if (z2)
        virDomainFree(z2);
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
        list(c, groups[i]);
    legacy(c);

    virDomainFree(run);
    virDomainFree(off);
    virDomainFree(paused);
    virDomainFree(trans);
    virDomainFree(saved);
    virConnectClose(c);
    return 0;
}
