import { ownText } from "../../src/mail/own-text.js";

const lines = (...l: string[]): string => l.join("\n");

const FOOTER = lines(
  "_______________________________________________",
  "Pkg-xen-devel mailing list",
  "Pkg-xen-devel at alioth-lists.debian.net",
  "https://alioth-lists.debian.net/cgi-bin/mailman/listinfo/pkg-xen-devel",
);
const SCRUB = lines(
  "-------------- next part --------------",
  "A non-text attachment was scrubbed...",
  "Name: signature.asc",
  "Type: application/pgp-signature",
  "Size: 833 bytes",
  "Desc: This is a digitally signed message part",
  "URL: <http://alioth-lists.debian.net/pipermail/pkg-xen-devel/attachments/20240211/5f3c2a1e/attachment.sig>",
);

describe("ownText", () => {
  const rows: Array<[string, string, string]> = [
    ["plain text", lines("Hi,", "", "xendomains hangs at shutdown.", ""), "Hi,\n\nxendomains hangs at shutdown."],
    [
      "quote and attribution",
      lines(
        "On Mon, 3 Mar 2025 at 10:15, Ada Greenhill wrote:",
        "> The init script starts xenstored too late.",
        "> It needs $remote_fs.",
        "",
        "Agreed, I will add it to the LSB header.",
      ),
      "Agreed, I will add it to the LSB header.",
    ],
    [
      "attribution over two lines",
      lines(
        "On Mon, 3 Mar 2025 at 10:15, Ada Greenhill <ada.greenhill@example.org>",
        "wrote:",
        "",
        "> The init script starts xenstored too late.",
        "",
        "Fixed in git.",
      ),
      "Fixed in git.",
    ],
    [
      "attribution wrapped inside the address",
      lines(
        "On Mon, Mar 3, 2025 at 10:15 AM Ada Greenhill <",
        "ada.greenhill@example.org> wrote:",
        "> The init script starts xenstored too late.",
        "Fixed in git.",
      ),
      "Fixed in git.",
    ],
    [
      "German attributions",
      lines(
        "Am 03.03.25 um 10:15 schrieb Ada Greenhill:",
        "> Der Dom0 startet nicht.",
        "Bei mir auch nicht.",
        "",
        "Ada Greenhill schrieb:",
        "> Mit 4.17.2 ging es noch.",
        "Ja.",
        "",
        "Am Mo., 3. März 2025 um 10:15 Uhr schrieb Ada Greenhill <",
        "ada.greenhill@example.org>:",
        "> Welche Version?",
        "4.17.3.",
      ),
      "Bei mir auch nicht.\n\nJa.\n\n4.17.3.",
    ],
    [
      "interleaved reply keeps the author's text between quotes",
      lines(
        "Ada Greenhill <ada.greenhill@example.org> writes:",
        "> Does it happen with sysvinit too?",
        "",
        "Yes, with sysvinit-core 3.06-4.",
        "",
        ">   And with xen-utils-4.17 from bookworm-backports?",
        "",
        "Not tested yet.",
        "",
        ">> (older quote)",
        "Thanks.",
      ),
      "Yes, with sysvinit-core 3.06-4.\n\nNot tested yet.\n\nThanks.",
    ],
    [
      "a line ending in wrote: without a quote after it stays",
      lines("I wrote:", "", "the patch is attached."),
      "I wrote:\n\nthe patch is attached.",
    ],
    [
      "signature",
      lines("Please test 4.17.3.", "", "-- ", "Hans van Kranenburg", "Debian Xen team", "merge 1 2"),
      "Please test 4.17.3.",
    ],
    [
      "reportbug trailer",
      lines(
        "Package: xen-utils-common",
        "Version: 4.17.3+10-g091466ba55-1~deb12u1",
        "Severity: important",
        "",
        "Dear Maintainer,",
        "",
        "xendomains does not save the guests when the host shuts down.",
        "",
        "-- System Information:",
        "Debian Release: 12.5",
        "Architecture: amd64 (x86_64)",
        "",
        "Versions of packages xen-utils-common depends on:",
        "ii  lsb-base  11.6",
        "",
        "-- no debconf information",
      ),
      "Dear Maintainer,\n\nxendomains does not save the guests when the host shuts down.",
    ],
    [
      "pseudo-headers with Control:, without a blank line after them",
      lines("Control: tags -1 + moreinfo", "Control: severity -1 normal", "Which kernel do you boot as dom0?"),
      "Which kernel do you boot as dom0?",
    ],
    [
      "a body that starts with something else that looks like a header",
      lines("Note: this only happens on arm64.", "", "Regards"),
      "Note: this only happens on arm64.\n\nRegards",
    ],
    [
      "pipermail scrub notice and Mailman footer",
      lines("The patch is attached.", "", SCRUB, FOOTER, ""),
      "The patch is attached.",
    ],
    [
      "signature, then scrub notice and footer",
      lines("Uploaded to unstable.", "-- ", "Ada", SCRUB, FOOTER),
      "Uploaded to unstable.",
    ],
    [
      "scrubbed inline text part",
      lines(
        "See the log below.",
        "-------------- next part --------------",
        "xl create /etc/xen/guest.cfg",
        "libxl: error: libxl_create.c:1234: cannot start qemu",
        FOOTER,
      ),
      "See the log below.",
    ],
    [
      "scrubbed HTML part",
      lines(
        "Plain part.",
        "-------------- next part --------------",
        "An HTML attachment was scrubbed...",
        "URL: <http://alioth-lists.debian.net/pipermail/pkg-xen-devel/attachments/20240211/5f3c2a1e/attachment.html>",
        "Text after the notice.",
      ),
      "Plain part.\nText after the notice.",
    ],
    [
      "Outlook's Original Message",
      lines(
        "We see the same on our Dell hosts.",
        "",
        "-----Original Message-----",
        "From: Ada Greenhill <ada.greenhill@example.org>",
        "Sent: Monday, March 3, 2025 10:15 AM",
        "Subject: xendomains hangs",
        "",
        "xendomains hangs at shutdown.",
      ),
      "We see the same on our Dell hosts.",
    ],
    [
      "PGP clearsigned",
      lines(
        "-----BEGIN PGP SIGNED MESSAGE-----",
        "Hash: SHA256",
        "",
        "Control: tags -1 + pending",
        "",
        "Fixed in git, will be in the next upload.",
        "",
        "- -- ",
        "Ada",
        "-----BEGIN PGP SIGNATURE-----",
        "",
        "iQIzBAEBCAAdFiEE",
        "-----END PGP SIGNATURE-----",
      ),
      "Fixed in git, will be in the next upload.",
    ],
    ["only quotes", lines("On Mon, 3 Mar 2025, Ada wrote:", "> one", "> two", ""), ""],
    ["empty", "", ""],
    [
      "blank lines collapsed, trailing white space dropped",
      lines("", "", "First.   ", "", "", "", "Second.\t", "", ""),
      "First.\n\nSecond.",
    ],
  ];
  test.each(rows)("%s", (_name, body, expected) => {
    expect(ownText(body)).toEqual(expected);
  });
});
