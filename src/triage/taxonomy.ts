import { z } from "zod";

/**
 * The topics a report can carry. Each has a description (shown to maintainers) and weighted patterns:
 * a plain string matches as a phrase on word boundaries, case-insensitively (`xendomains.service`,
 * `/usr/lib/xen-4.17/` work as written); a string between slashes is a regular expression. A negative
 * weight counts against the topic (a phrase that usually means another topic).
 */
export const topicSchema = z
  .object({
    /** What the topic covers, for people. */
    description: z.string(),
    /** The GitHub label (default `topic:<name>`). */
    label: z.string().optional(),
    /** [pattern, weight] pairs. */
    patterns: z.array(z.tuple([z.string().min(1), z.number()])).min(1),
    /** Combined score from which the topic is given (0 to 1; default 0.5). */
    threshold: z.number().min(0).max(1).optional(),
  })
  .strict();

export const taxonomySchema = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), topicSchema);

export type Topic = z.infer<typeof topicSchema>;
export type Taxonomy = z.infer<typeof taxonomySchema>;

/** The Xen team's default taxonomy (DESIGN.md). A config file can add, remove or retune topics. */
export const DEFAULT_TAXONOMY: Taxonomy = {
  systemd: {
    description: "systemd units and systemd integration",
    patterns: [
      ["systemd", 2], ["systemctl", 2.5], ["journalctl", 2], ["/\\b[\\w@.-]+\\.service\\b/", 2.5], ["/\\b[\\w@.-]+\\.(?:socket|target|timer)\\b/", 2],
      ["unit file", 2.5], ["unit files", 2.5], ["systemd unit", 3], ["generator", 1], ["systemd-sysv-generator", 2.5], ["ExecStart", 2],
      ["ExecStop", 2], ["/\\b(?:After|Before|Requires|Wants|WantedBy)=/", 2.5], ["drop-in", 2], ["daemon-reload", 2.5], ["TimeoutStopSec", 2.5],
      ["sd_notify", 2.5], ["libsystemd", 1.5], ["systemd-boot", -3], ["systemd-networkd", -1],
    ],
  },
  init: {
    description: "Debian's sysvinit scripts (xen, xendomains), ordering, LSB headers",
    patterns: [
      ["/etc/init.d/xen", 3], ["/etc/init.d/xendomains", 3], ["init script", 3], ["init scripts", 3], ["initscript", 3], ["sysvinit", 3],
      ["sysv", 2], ["LSB header", 3], ["LSB headers", 3], ["/\\bLSB\\b/", 2], ["insserv", 2.5], ["update-rc.d", 2.5], ["invoke-rc.d", 2],
      ["Required-Start", 2.5], ["Required-Stop", 2.5], ["start-stop-daemon", 2.5], ["/etc/default/xendomains", 1.5], ["xendomains", 1],
      ["XENDOMAINS_SAVE", 1], ["runlevel", 2], ["rc.local", 1],
    ],
  },
  abi: {
    description: "hypervisor/tools ABI, co-installable versions under /usr/lib/xen-X.Y, library sonames",
    patterns: [
      ["/\\/usr\\/lib\\/xen-\\d+\\.\\d+/", 3], ["ABI", 3], ["co-install", 3], ["co-installed", 3], ["coinstallable", 3], ["co-installable", 3],
      ["soname", 3], ["SONAME", 3], ["/\\blibxen[\\w-]*\\.so(?:\\.\\d+)*/", 2], ["libxenctrl", 1.5], ["libxenstore", 1], ["xen-utils-common", 2],
      ["wrapper", 1], ["running hypervisor", 2.5], ["hypervisor version", 2], ["version mismatch", 2.5], ["mismatch", 1],
      ["/\\bxen-utils-\\d+\\.\\d+\\b.*\\bxen-utils-\\d+\\.\\d+\\b/", 2], ["xen_version", 1.5], ["old hypervisor", 2], ["previous hypervisor", 2],
      ["dist-upgrade", 1], ["full-upgrade", 1], ["upgrade from", 1], ["after the upgrade", 1.5], ["undefined symbol", 2.5], ["xendevicemodel", 1.5],
    ],
  },
  qemu: {
    description: "device model, qemu-system-xen, HVM emulation",
    patterns: [
      ["qemu-system-xen", 3], ["qemu-system-i386", 3], ["qemu", 2], ["device model", 3], ["device_model", 3], ["qemu-dm", 3], ["HVM", 2],
      ["stdvga", 2.5], ["cirrus", 2], ["VNC", 1.5], ["SPICE", 2], ["emulated", 2], ["emulation", 2], ["usbdevice", 2], ["qemu-img", -2],
      ["libspice", 1.5], ["seabios", 1.5], ["ovmf", 1], ["qemu-xen", 3], ["QMP", 2],
      ["ioemu", 3], ["qemu-xen-traditional", 3], ["qemu-traditional", 3], ["device-model", 3], ["hvmloader", 2], ["stubdom", 2.5], ["stub domain", 2.5],
    ],
  },
  build: {
    description: "FTBFS, build-deps, toolchain",
    patterns: [
      ["FTBFS", 3.5], ["fails to build", 3.5], ["failed to build", 3], ["build failure", 3], ["Build-Depends", 3], ["build-dep", 2.5],
      ["dpkg-buildpackage", 3], ["sbuild", 2.5], ["compile", 1.5], ["compiler", 2], ["compilation", 2], ["gcc", 2], ["GCC", 2],
      ["/\\bgcc-\\d+\\b/", 2.5], ["clang", 2], ["-Werror", 3], ["/\\berror: /", 1.5], ["linker", 2], ["undefined reference", 3], ["cross-build", 3],
      ["reproducible", 2], ["Build-Conflicts", 3], ["/\\bmake\\[\\d+\\]/", 1.5], ["ocaml", 1.5], ["python3.1", 1],
    ],
  },
  security: {
    description: "XSA/CVE: security advisories and fixes",
    patterns: [
      ["/\\bXSA-?\\d+\\b/", 4], ["/\\bCVE-\\d{4}-\\d+\\b/", 4], ["security advisory", 3], ["security issue", 3], ["security fix", 2.5],
      ["security fixes", 2.5], ["vulnerability", 3], ["vulnerable", 2.5], ["exploit", 2.5], ["privilege escalation", 3], ["denial of service", 2.5],
      ["information leak", 3], ["speculative", 2], ["side channel", 2.5], ["DSA", 2], ["security team", 2], ["security update", 1],
      ["world-readable", 2.5], ["world readable", 2.5], ["untrusted", 1.5], ["privilege", 1.5], ["dm_restrict", 2],
    ],
  },
  boot: {
    description: "grub, EFI, boot failures",
    patterns: [
      ["grub", 2.5], ["GRUB", 2.5], ["grub-xen", 2.5], ["update-grub", 2.5], ["grub.cfg", 2.5], ["GRUB_DEFAULT", 2.5], ["EFI", 2.5], ["UEFI", 2.5],
      ["xen.efi", 3], ["Secure Boot", 3], ["shim", 2], ["boot", 1], ["boots", 1], ["does not boot", 2.5], ["fails to boot", 2.5], ["bootloader", 2.5],
      ["multiboot", 3], ["serial console", 1.5], ["hangs at boot", 3], ["early boot", 2], ["systemd-boot", 2.5], ["dom0_mem", 1], ["command line", 0.5],
    ],
  },
  toolstack: {
    description: "xl, libxl, xenstore, xenconsoled",
    patterns: [
      ["/\\bxl\\b/", 2], ["xl create", 2.5], ["xl list", 2], ["xl save", 2], ["xl restore", 2], ["xl migrate", 2.5], ["xl shutdown", 2], ["xl info", 1],
      ["xl dmesg", 1], ["libxl", 2.5], ["xenstore", 2], ["xenstored", 2], ["oxenstored", 2.5], ["xenconsoled", 2.5], ["xenconsole", 2],
      ["xen-toolstack", 2.5], ["toolstack", 2.5], ["xl.cfg", 2], ["xl.conf", 2], ["xenstore-ls", 2], ["xenstore-read", 2], ["domain config", 1.5],
      ["migration", 1.5], ["live migration", 2], ["/\\bxl [a-z][a-z-]+\\b/", 2.5], ["xentop", 2.5], ["pygrub", 2], ["xenstore-write", 2],
      ["xend", 2], ["xm create", 2.5], ["/\\bxm\\b/", 1.5], ["xend-config.sxp", 2.5], ["libxenlight", 2], ["xl devd", 2.5], ["xenstore-utils", 1.5],
    ],
  },
  network: {
    description: "vif scripts, bridges, guest networking",
    patterns: [
      ["vif-bridge", 3], ["vif-route", 3], ["vif-nat", 3], ["/\\bvif\\d*(?:\\.\\d+)?\\b/", 2], ["vif script", 3], ["vif scripts", 3], ["bridge", 2],
      ["xenbr0", 3], ["brctl", 2.5], ["network-bridge", 3], ["openvswitch", 2.5], ["netfront", 2.5], ["netback", 2.5], ["MAC address", 2],
      ["IPv6", 1.5], ["DHCP", 1.5], ["network", 1], ["networking", 1.5], ["iptables", 2], ["nftables", 2], ["/etc/network/interfaces", 2],
    ],
  },
  storage: {
    description: "block backends, disks",
    patterns: [
      ["block-attach", 3], ["blkback", 3], ["blkfront", 3], ["block-detach", 3], ["/etc/xen/scripts/block", 3], ["block script", 3], ["disk=", 2.5],
      ["qdisk", 3], ["qcow2", 2.5], ["LVM", 2.5], ["logical volume", 2.5], ["iSCSI", 3], ["DRBD", 3], ["xvda", 2], ["/\\bxvd[a-z]\\d*\\b/", 2],
      ["disk image", 2.5], ["raw image", 2], ["loop device", 2.5], ["losetup", 2.5], ["phy:", 2.5], ["file:", 1], ["tapdisk", 3], ["disk", 1], ["disks", 1],
      ["qemu-img", 1.5], ["multipath", 2.5], ["/\\bLVs?\\b/", 2], ["fstrim", 2.5], ["discard", 1.5], ["NVMe", 1.5],
      ["ZFS", 2], ["zvol", 2.5], ["block device", 2], ["block devices", 2], ["AHCI", 1.5],
    ],
  },
  kernel: {
    description: "dom0/domU kernels",
    patterns: [
      ["linux-image", 3], ["/\\blinux-image-[\\w.+-]+/", 1], ["dom0 kernel", 3], ["domU kernel", 3], ["kernel", 1.5], ["kernels", 1.5],
      ["/\\b(?:5|6)\\.\\d+\\.\\d+-\\d+-(?:amd64|arm64|cloud-amd64)\\b/", 2], ["pvops", 2.5], ["kernel panic", 2.5], ["oops", 2], ["BUG:", 1.5],
      ["dmesg", 1], ["xen-blkfront", 1], ["xen-netfront", 1], ["privcmd", 2.5], ["gntdev", 2.5], ["evtchn", 2], ["kernel module", 2.5], ["modprobe", 1.5],
      ["swiotlb", 2.5], ["clocksource", 2.5], ["memory hotplug", 2.5], ["balloon", 1.5], ["CONFIG_XEN", 3],
    ],
  },
  packaging: {
    description: "dependencies, conffiles, package splits, lintian",
    patterns: [
      ["Depends:", 2], ["dependency", 2], ["dependencies", 2], ["depend on", 1.5], ["Recommends", 2.5], ["Suggests", 2], ["Breaks:", 3], ["Replaces:", 3],
      ["conffile", 3], ["conffiles", 3], ["lintian", 3], ["debian/control", 3], ["debian/rules", 2.5], ["maintainer script", 3], ["postinst", 3],
      ["prerm", 3], ["postrm", 3], ["preinst", 3], ["package split", 3], ["split the package", 3], ["transitional package", 3], ["file conflict", 3],
      ["trying to overwrite", 3], ["dpkg:", 2], ["apt", 1], ["uninstallable", 3], ["unmet dependencies", 3], ["piuparts", 3], ["dbgsym", 2],
      ["held back", 2.5], ["holds back", 2.5], ["Conflicts:", 3], ["symlink", 1.5],
      ["logrotate", 1.5], ["transition", 1.5], ["debhelper", 2], ["package description", 2.5], ["NMU", 2],
    ],
  },
  docs: {
    description: "documentation, man pages, README.Debian, NEWS",
    patterns: [
      ["README.Debian", 3.5], ["NEWS.Debian", 3.5], ["man page", 3], ["manpage", 3], ["manual page", 3], ["/\\bman \\d\\b/", 2], ["documentation", 2.5],
      ["documented", 2], ["docs", 1.5], ["typo", 2.5], ["wiki", 1.5], ["release notes", 2.5], ["/usr/share/doc", 2.5], ["example config", 2],
      ["outdated", 1.5], ["/\\b[\\w.-]+\\((?:1|5|7|8)\\)/", 1.5], ["described", 1],
    ],
  },
};

export function labelOf(name: string, topic: Topic): string {
  return topic.label ?? `topic:${name}`;
}
