#!/usr/bin/perl
# Debian's unmodified Sys::Virt (with PERL_DL_NONLAZY=1, so every symbol binds at load) runs
# against oxvirt: run under prove with LD_LIBRARY_PATH pointing at oxvirt's build.
use strict;
use warnings;
use Cwd qw(realpath);
use Test::More;

BEGIN { $ENV{PERL_DL_NONLAZY} = 1; }
use Sys::Virt;

my $want = $ENV{OXVIRT_EXPECT_LIB};
ok(defined $want, "OXVIRT_EXPECT_LIB names the library under test");
my ($mapped) = grep { m{libvirt\.so} } do { open(my $m, '<', '/proc/self/maps') or die; <$m> };
my $path = (split ' ', $mapped)[-1];
is(realpath($path), $want, "oxvirt's libvirt.so.0 is the one loaded");

my $conn = Sys::Virt->new(uri => "test:///default");
ok($conn, "opened test:///default");
is($conn->get_library_version(), 9000000, "library version 9.0.0");
is($conn->get_version(), 2, "hypervisor version");
is($conn->get_type(), "TEST", "driver type");
is($conn->get_uri(), "test:///default", "uri");
my @doms = $conn->list_all_domains();
is(scalar(@doms), 1, "one domain");
is($doms[0]->get_name(), "test", "named test");
is($doms[0]->get_id(), 1, "id 1");
is($doms[0]->get_uuid_string(), "6695eb01-f6a4-8304-79aa-97f2502e193f", "uuid");
my ($state, $reason) = $doms[0]->get_state();
is($state, Sys::Virt::Domain::STATE_RUNNING, "running");
is($conn->num_of_domains(), 1, "num_of_domains");

my $dom = eval { $conn->get_domain_by_name("nope") };
ok(!$dom, "lookup miss fails");
isa_ok($@, "Sys::Virt::Error");
is($@->code, Sys::Virt::Error::ERR_NO_DOMAIN, "NO_DOMAIN");
is($@->domain, Sys::Virt::Error::FROM_TEST, "from the test driver");
is($@->message, "Domain not found", "message");

eval { $conn->list_all_domains(1 << 16) };
is($@->code, Sys::Virt::Error::ERR_INVALID_ARG, "bad flags rejected");

my $ro = Sys::Virt->new(uri => "test:///default", readonly => 1);
is($ro->num_of_domains(), 1, "read-only connection lists");

done_testing();
