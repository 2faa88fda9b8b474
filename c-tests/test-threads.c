/* Handles and errors from many threads at once: shared connection, per-thread errors. */
#include "helpers.h"
#include <pthread.h>

#define THREADS 8
#define ROUNDS 2000

static virConnectPtr shared;
static int thread_failures[THREADS];

static void *worker(void *arg)
{
    int me = (int)(long)arg;
    for (int i = 0; i < ROUNDS; i++) {
        virDomainPtr d = virDomainLookupByName(shared, "test");
        if (!d || strcmp(virDomainGetName(d), "test") != 0 || virGetLastError() != NULL)
            thread_failures[me]++;
        virDomainRef(d);
        virDomainFree(d);
        virDomainPtr *doms = NULL;
        if (virConnectListAllDomains(shared, &doms, 0) != 1)
            thread_failures[me]++;
        for (int j = 0; doms && doms[j]; j++)
            virDomainFree(doms[j]);
        free(doms);
        /* A failure in this thread is this thread's error only. */
        if (virDomainLookupByID(shared, 1000 + me) != NULL)
            thread_failures[me]++;
        virErrorPtr e = virGetLastError();
        if (!e || e->code != VIR_ERR_NO_DOMAIN)
            thread_failures[me]++;
        virDomainFree(d);
        /* Each thread also opens and closes its own connections. */
        if (i % 100 == 0) {
            virConnectPtr c = virConnectOpen("test:///default");
            if (!c || virConnectClose(c) != 0)
                thread_failures[me]++;
        }
    }
    return NULL;
}

int main(void)
{
    virSetErrorFunc(NULL, quiet_handler);
    shared = virConnectOpen("test:///default");
    CHECK(shared != NULL);
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK(thread_failures[i] == 0);
    }
    CHECK(virConnectClose(shared) == 0);
    return finish("test-threads");
}
