//! The built-in node of `test:///default`: the same objects and numbers as libvirt's fixture,
//! plus one documented difference: the domain `test` has a pty `<serial>` and a serial-target
//! `<console>` (libvirt's has neither), so `virDomainOpenConsole` reaches its echo guest as
//! `serial0`, `console0` or the default device.

pub(crate) const DEFAULT_NODE_XML: &str = "<node>
  <cpu>
    <nodes>2</nodes>
    <sockets>2</sockets>
    <cores>2</cores>
    <threads>2</threads>
    <active>16</active>
    <mhz>1400</mhz>
    <model>i686</model>
  </cpu>
  <memory>3145728</memory>
  <domain type='test'>
    <name>test</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
    <memory>8388608</memory>
    <currentMemory>2097152</currentMemory>
    <vcpu>2</vcpu>
    <os>
      <type>hvm</type>
    </os>
    <on_poweroff>destroy</on_poweroff>
    <on_reboot>restart</on_reboot>
    <on_crash>destroy</on_crash>
    <devices>
      <disk type='file' device='disk'>
        <source file='/guest/diskimage1'/>
        <target dev='vda' bus='virtio'/>
        <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
      </disk>
      <interface type='network'>
        <mac address='aa:bb:cc:dd:ee:ff'/>
        <source network='default'/>
        <target dev='testnet0'/>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
      </interface>
      <serial type='pty'>
        <target port='0'/>
      </serial>
      <console type='pty'>
        <target type='serial' port='0'/>
      </console>
      <memballoon model='virtio'>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
      </memballoon>
    </devices>
  </domain>
  <network>
    <name>default</name>
    <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>
    <bridge name='virbr0'/>
    <forward/>
    <ip address='192.168.122.1' netmask='255.255.255.0'>
      <dhcp>
        <range start='192.168.122.2' end='192.168.122.254'/>
      </dhcp>
    </ip>
  </network>
  <interface type='ethernet' name='eth1'>
    <start mode='onboot'/>
    <mac address='aa:bb:cc:dd:ee:ff'/>
    <mtu size='1492'/>
    <protocol family='ipv4'>
      <ip address='192.168.0.5' prefix='24'/>
      <route gateway='192.168.0.1'/>
    </protocol>
  </interface>
  <device>
    <name>computer</name>
    <capability type='system'>
      <hardware>
        <vendor>Libvirt</vendor>
        <version>Test driver</version>
        <serial>123456</serial>
        <uuid>11111111-2222-3333-4444-555555555555</uuid>
      </hardware>
      <firmware>
        <vendor>Libvirt</vendor>
        <version>Test Driver</version>
        <release_date>01/22/2007</release_date>
      </firmware>
    </capability>
  </device>
  <device>
    <name>scsi_host1</name>
    <parent>computer</parent>
    <capability type='scsi_host'>
      <host>1</host>
      <unique_id>0</unique_id>
      <capability type='fc_host'>
        <wwnn>2000000012341234</wwnn>
        <wwpn>1000000012341234</wwpn>
        <fabric_wwn>2000000043214321</fabric_wwn>
      </capability>
      <capability type='vport_ops'>
        <max_vports>127</max_vports>
        <vports>1</vports>
      </capability>
    </capability>
  </device>
  <device>
    <name>scsi_host2</name>
    <parent>computer</parent>
    <capability type='scsi_host'>
      <host>2</host>
      <unique_id>1</unique_id>
      <capability type='fc_host'>
        <wwnn>2000000056785678</wwnn>
        <wwpn>1000000056785678</wwpn>
        <fabric_wwn>2000000087658765</fabric_wwn>
      </capability>
      <capability type='vport_ops'>
        <max_vports>127</max_vports>
        <vports>0</vports>
      </capability>
    </capability>
  </device>
  <device>
    <name>scsi_host11</name>
    <parent>scsi_host1</parent>
    <capability type='scsi_host'>
      <host>11</host>
      <unique_id>10</unique_id>
      <capability type='fc_host'>
        <wwnn>2000000034563456</wwnn>
        <wwpn>1000000034563456</wwpn>
        <fabric_wwn>2000000043214321</fabric_wwn>
      </capability>
    </capability>
  </device>
  <pool type='dir'>
    <name>default-pool</name>
    <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>
    <target>
      <path>/default-pool</path>
    </target>
  </pool>
</node>
";
