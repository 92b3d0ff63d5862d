import { isBtsNotice, normalizeSubject, titleFromSubject } from "../../src/mail/subjects.js";

describe("normalizeSubject", () => {
  const rows: Array<[string, string]> = [
    // list tags, at the start and repeated
    ["[Pkg-xen-devel] xen-hypervisor-4.17 fails to boot on EFI", "xen-hypervisor-4.17 fails to boot on EFI"],
    ["[Pkg-xen-devel] [Pkg-xen-devel] xendomains hangs at shutdown", "xendomains hangs at shutdown"],
    ["Re: [Pkg-xen-devel] xendomains hangs at shutdown", "xendomains hangs at shutdown"],
    ["[Pkg-xen-devel] Re: Re: xendomains hangs at shutdown", "xendomains hangs at shutdown"],
    // reply and forward markers in several languages and spellings
    ["RE: qemu-system-xen depends on libfuse3-3", "qemu-system-xen depends on libfuse3-3"],
    ["re: qemu-system-xen depends on libfuse3-3", "qemu-system-xen depends on libfuse3-3"],
    ["Fwd: xen 4.17.3 uploaded to bookworm-proposed-updates", "xen 4.17.3 uploaded to bookworm-proposed-updates"],
    ["Fw: xen 4.17.3 uploaded to bookworm-proposed-updates", "xen 4.17.3 uploaded to bookworm-proposed-updates"],
    ["AW: Xen-Dom0 startet nicht mehr nach Update", "Xen-Dom0 startet nicht mehr nach Update"],
    ["WG: AW: Xen-Dom0 startet nicht mehr nach Update", "Xen-Dom0 startet nicht mehr nach Update"],
    ["Sv: xl create hangs with vif bridge=xenbr0", "xl create hangs with vif bridge=xenbr0"],
    ["Re[2]: xl create hangs with vif bridge=xenbr0", "xl create hangs with vif bridge=xenbr0"],
    ["Re: Fwd: Re: [Pkg-xen-devel] pygrub removal", "pygrub removal"],
    ["Re : pygrub removal", "pygrub removal"],
    // Bug#N: prefixes, repeated, with list tags in between
    ["Re: [Pkg-xen-devel] Bug#1039422: Bug#1039422: xen and systemd support", "xen and systemd support"],
    ["Bug#1029998: xen: please ship systemd units", "xen: please ship systemd units"],
    ["[Pkg-xen-devel] Bug#1090233: Re: Bug#1090233: xenstored crashes on live migration", "xenstored crashes on live migration"],
    ["Bug #1090233: xenstored crashes on live migration", "xenstored crashes on live migration"],
    // white space collapsed, also a folded header
    ["  Re:   xen-utils-4.17:\n\t postinst   fails  ", "xen-utils-4.17: postinst fails"],
    // what is not a prefix stays
    ["Research on Xen NUMA placement", "Research on Xen NUMA placement"],
    ["[INTL:de] German debconf translation for xen", "[INTL:de] German debconf translation for xen"],
    ["[DSA 5617-1] xen security update", "[DSA 5617-1] xen security update"],
    ["Re: [SECURITY] [DSA 5617-1] xen security update", "[DSA 5617-1] xen security update"],
    ["xen: FTBFS with gcc-14 (Bug#1075412 follow-up)", "xen: FTBFS with gcc-14 (Bug#1075412 follow-up)"],
    ["Re:", ""],
    ["", ""],
  ];
  test.each(rows)("%j", (subject, expected) => {
    expect(normalizeSubject(subject)).toEqual(expected);
  });
});

describe("titleFromSubject", () => {
  const rows: Array<[string, string]> = [
    ["Bug#144876: marked as done (xfsprogs: foo)", "xfsprogs: foo"],
    ["Bug#1090233: Acknowledgement (xen-utils-common: xendomains does not save guests)", "xen-utils-common: xendomains does not save guests"],
    ["Bug#1090233: Info received (Re: Bug#1090233: xendomains does not save guests)", "xendomains does not save guests"],
    ["Bug#1090233: marked as forwarded (xen: vif-bridge ignores mtu)", "xen: vif-bridge ignores mtu"],
    ["Bug#1090233: acknowledged by developer (xen: vif-bridge ignores mtu)", "xen: vif-bridge ignores mtu"],
    // the "closed by" notice has no colon after the number and names who closed it first
    [
      "Bug#1063163 closed by Hans van Kranenburg <hans@example.org> (reply to Ada Greenhill <ada@example.org>) (Re: Bug#1063163: xen: grub entry lacks dom0_mem)",
      "xen: grub entry lacks dom0_mem",
    ],
    ["Bug#1063163: closed by Ada Greenhill <ada@example.org> (xen: grub entry lacks dom0_mem)", "xen: grub entry lacks dom0_mem"],
    // a title with parentheses of its own
    ["Bug#1058222: marked as done (xen: hvmloader crash (regression in 4.17.2))", "xen: hvmloader crash (regression in 4.17.2)"],
    ["Bug#1058222: marked as done (xen: 4.17) hvmloader regression)", "xen: 4.17) hvmloader regression"],
    // Processed: transcripts
    ["Processed: Re: Bug#1054644: xen-utils-4.17: xl list shows no domains", "xen-utils-4.17: xl list shows no domains"],
    ["Processed (with 2 errors): tagging xen bugs", "tagging xen bugs"],
    ["Processed (with 1 error): Re: [Pkg-xen-devel] Bug#1039422: xen and systemd support", "xen and systemd support"],
    // A reply to a transcript, filed to the bug: the BTS put `Bug#N:` before `Processed:`.
    ["Bug#1054644: Processed: Re: xl list shows no domains", "xl list shows no domains"],
    // notices without a title in parentheses, and ordinary subjects
    ["Bug#1063163: fixed in xen 4.17.3+10-g091466ba55-1~deb12u1", "fixed in xen 4.17.3+10-g091466ba55-1~deb12u1"],
    ["Re: [Pkg-xen-devel] Bug#1039422: Bug#1039422: xen and systemd support", "xen and systemd support"],
    ["Fwd: qemu-system-xen (1:8.2.1+ds-1) breaks HVM guests", "qemu-system-xen (1:8.2.1+ds-1) breaks HVM guests"],
  ];
  test.each(rows)("%j", (subject, expected) => {
    expect(titleFromSubject(subject)).toEqual(expected);
  });
});

describe("isBtsNotice", () => {
  const rows: Array<[string, boolean]> = [
    ["Processed: Re: Bug#1054644: xen-utils-4.17: xl list shows no domains", true],
    ["Processed (with 1 error): Re: Bug#1054644: xl list shows no domains", true],
    ["Bug#1090233: Acknowledgement (xen-utils-common: xendomains does not save guests)", true],
    ["Bug#144876: marked as done (xfsprogs: foo)", true],
    ["Bug#1090233: marked as forwarded (xen: vif-bridge ignores mtu)", true],
    ["Bug#1090233: Info received (Re: Bug#1090233: xendomains does not save guests)", true],
    ["Bug#1063163: fixed in xen 4.17.3+10-g091466ba55-1~deb12u1", true],
    ["Bug#1063163 closed by Hans van Kranenburg <hans@example.org> (Re: Bug#1063163: xen: grub)", true],
    ["Bug#1063163: xen: grub entry lacks dom0_mem", false],
    ["Re: Bug#1063163: xen: grub entry lacks dom0_mem", false],
    ["[Pkg-xen-devel] Processed debian/changelog entries for 4.17", false],
    ["xen: info received from upstream about XSA-450", false],
  ];
  test.each(rows)("%j", (subject, expected) => {
    expect(isBtsNotice(subject)).toEqual(expected);
  });
});
