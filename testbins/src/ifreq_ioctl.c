/* Interface queries through ioctl(SIOCGIF*) on a socket, as if_nametoindex/if_indextoname
   (CPython's socket module) make them. The loopback interface exists in every network namespace. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    unsigned idx = if_nametoindex("lo");
    printf("nametoindex lo: %s\n", idx > 0 ? "found" : "missing");
    char name[IF_NAMESIZE];
    printf("indextoname back: %s\n", if_indextoname(idx, name) ? name : "(failed)");
    printf("nametoindex bogus: %u\n", if_nametoindex("no-such-if0"));

    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int r = ioctl(s, SIOCGIFFLAGS, &ifr);
    printf("SIOCGIFFLAGS lo: %d loopback=%d\n", r, r == 0 && (ifr.ifr_flags & IFF_LOOPBACK) != 0);
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    r = ioctl(s, SIOCGIFMTU, &ifr);
    printf("SIOCGIFMTU lo: %d positive=%d\n", r, r == 0 && ifr.ifr_mtu > 0);
    close(s);
    return 0;
}
