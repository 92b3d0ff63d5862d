"""Baseline for `npm run bench`: Python's standard mailbox + email, reading each message's subject and
text body, on the same mbox file. Prints one JSON line.

By default it is the API Python's documentation teaches for this: messages parsed with
`email.policy.default`, the subject read decoded (RFC 2047), the body found with `get_body()` and
decoded with `get_content()`. This is the baseline the issue's figures describe: on the same BTS mail it
takes about twice as long as a plain mailparser loop. `--compat32` runs the older, lighter API instead
(the legacy policy, the subject as it stands in the header, payloads decoded by hand), which does less
than either: it is printed too, for comparison."""
import email
import email.policy
import json
import mailbox
import resource
import sys
import time


def text_body_compat32(msg):
    parts = msg.walk() if msg.is_multipart() else [msg]
    out = []
    for part in parts:
        if part.get_content_type() != "text/plain" or part.get_content_disposition() == "attachment":
            continue
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "utf-8"
        try:
            out.append(payload.decode(charset, errors="replace"))
        except LookupError:
            out.append(payload.decode("latin-1"))
    return "\n".join(out)


def text_body(msg):
    part = msg.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        return part.get_content()
    except LookupError:
        # An unknown charset: the bytes as Latin-1, as the compat32 variant does.
        return (part.get_payload(decode=True) or b"").decode("latin-1")


def modern(f):
    return email.message_from_binary_file(f, policy=email.policy.default)


compat32 = "--compat32" in sys.argv[1:]
path = [a for a in sys.argv[1:] if not a.startswith("--")][0]
start = time.perf_counter()
count = 0
chars = 0
errors = 0
for msg in mailbox.mbox(path, factory=None if compat32 else modern, create=False):
    try:
        subject = str(msg.get("subject", "") or "")
        body = text_body_compat32(msg) if compat32 else text_body(msg)
    except Exception:  # a message the library cannot read is counted, not fatal
        errors += 1
        subject, body = "", ""
    chars += len(subject) + len(body)
    count += 1
seconds = time.perf_counter() - start
print(json.dumps({"messages": count, "seconds": seconds, "chars": chars, "errors": errors,
                  "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
