/* A hot call (virConnectNumOfDomains on test:///default) timed in a loop; benches/logging/run.sh
 * runs it with logging off and on, against oxvirt and Debian's libvirt. Prints ns per call. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <libvirt/libvirt.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    virConnectPtr c = virConnectOpenReadOnly("test:///default");
    if (!c)
        return 1;
    struct timespec a, b;
    long sum = 0;
    for (long i = 0; i < n / 10; i++) /* warm-up */
        sum += virConnectNumOfDomains(c);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++)
        sum += virConnectNumOfDomains(c);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
    printf("%.1f\n", ns);
    virConnectClose(c);
    return sum == (n + n / 10) ? 0 : 2;
}
