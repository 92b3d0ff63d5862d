"""Baseline for `npm run bench`: Python's standard mailbox + email, reading each message's subject and
text body, on the same mbox file. Prints one JSON line."""
import email.policy
import json
import mailbox
import resource
import sys
import time

def text_body(msg):
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

start = time.perf_counter()
count = 0
chars = 0
for msg in mailbox.mbox(sys.argv[1], factory=None, create=False):
    subject = str(msg.get("subject", ""))
    body = text_body(msg)
    chars += len(subject) + len(body)
    count += 1
seconds = time.perf_counter() - start
print(json.dumps({"messages": count, "seconds": seconds, "chars": chars,
                  "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
