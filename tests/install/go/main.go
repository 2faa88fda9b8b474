// A Go program using Debian's libvirt-go bindings (github.com/libvirt/libvirt-go, cgo), built
// statically against an installed oxvirt by tests/install/run.sh go.
package main

import (
	"fmt"
	"os"

	libvirt "github.com/libvirt/libvirt-go"
)

func main() {
	conn, err := libvirt.NewConnectReadOnly("test:///default")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer conn.Close()
	uri, err := conn.GetURI()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("uri %s\n", uri)
	doms, err := conn.ListAllDomains(libvirt.CONNECT_LIST_DOMAINS_ACTIVE)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("active %d\n", len(doms))
	for _, d := range doms {
		name, _ := d.GetName()
		uuid, _ := d.GetUUIDString()
		fmt.Printf("  %s %s\n", name, uuid)
		d.Free()
	}
	// libvirt's error, through the bindings.
	if _, err := conn.LookupDomainByName("no-such-domain"); err != nil {
		e := err.(libvirt.Error)
		fmt.Printf("error %d %d %s\n", e.Code, e.Domain, e.Message)
	}
}
